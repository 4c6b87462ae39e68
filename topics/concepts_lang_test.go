package topics

import (
	"slices"
	"strings"
	"testing"
)

// conceptKeys lists the concepts (generic ones too) named in s, in order, without the "c:" prefix.
func conceptKeys(t *testing.T, s string) []string {
	t.Helper()
	_, r, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	r.concepts.scan(tokenize(s, nil), func(id int32, _, _ int) {
		keys = append(keys, strings.TrimPrefix(r.ckeys[id], "c:"))
	})
	return keys
}

// Two reports of one event in two languages share the event's concept; the sentences are made up.
func TestConceptsAcrossLanguages(t *testing.T) {
	tests := []struct {
		concept string
		a, b    string
	}{
		{"electricity", "Tens of thousands without power after arson on cables", "Dziesiątki tysięcy osób bez prądu po podpaleniu kabli"},
		{"electricity", "Blackout hits the capital", "Ogromna awaria w stolicy"},
		{"fire", "Arsonists set cables on fire", "Podpalenie kabli w stolicy"},
		{"fire", "Bar fire kills dozens", "Pożar baru. Dziesiątki ofiar"},
		{"court", "Ten convicted of cyberbullying", "Dziesięć osób skazanych za nękanie"},
		{"court", "Court finds ten guilty", "Zapadły wyroki w sprawie nękania"},
		{"missile", "North Korea fires ballistic missiles", "Korea Północna wystrzeliła pociski"},
		{"strike", "Warplanes strike arms cache", "Atak lotnictwa na skład broni"},
		{"airport", "Airports shut as airspace closes", "Zamknięto dwa lotniska"},
		{"protest", "Rioters clash with police", "Zamieszki na ulicach stolicy"},
		{"protest", "Thousands take to the streets", "Tysiące osób wyszły na ulice"},
		{"protest", "Activist ends hunger strike", "Aktywista kończy strajk głodowy"},
		{"protest", "Hunger strike enters day 60", "Açlık grevi 60. gününde"},
		{"arrest", "Militia leader captured in raid", "Pojmanie przywódcy milicji"},
		{"talks", "Leaders call for dialogue", "Przywódcy wzywają do dialogu"},
		{"resignation", "Spy chief resigns", "Dymisja szefa wywiadu"},
		{"espionage", "Ex-president was wiretapped for years", "Były prezydent był podsłuchiwany przez lata"},
		{"annexation", "Premier rejects annexation threats", "Premier odrzuca groźby aneksji"},
		{"coup", "Coup attempt foiled", "Udaremniono próbę zamachu stanu"},
		{"shooting", "Gunmen open fire on a bus", "Strzelanina w autobusie"},
		{"tourists", "Hundreds of tourists stranded", "Setki turystów utknęły na wyspie"},
		{"evacuation", "Patients evacuated from clinic", "Ewakuacja pacjentów z kliniki"},
		{"killed", "Two soldiers killed", "Zginęło dwóch żołnierzy"},
		{"wounded", "All injured identified", "Zidentyfikowano wszystkich rannych"},
		// Turkish
		{"killed", "Eight police officers killed in attack", "Saldırıda 8 polis öldü"},
		{"attack", "Attack on a consulate", "Başkonsolosluğa saldırı"},
		{"earthquake", "Magnitude 6 earthquake hits the east", "Doğuda 6 büyüklüğünde deprem"},
		{"arrest", "Student detained over app", "Üniversite öğrencisi gözaltına alındı"},
		{"ceasefire", "Truce holds in the north", "Kuzeyde ateşkes sürüyor"},
		{"coup", "Pilot of the coup attempt caught", "Darbe girişiminin pilotu yakalandı"},
		// Persian
		{"seize", "Navy seizes seven foreign boats", "نیروی دریایی هفت قایق خارجی را توقیف کرد"},
		{"strike", "Air strike on militia positions", "حمله هوایی به مواضع حشد الشعبی"},
		{"attack", "Attack on a shrine", "حمله به زیارتگاه"},
		{"drone", "Two drones carried explosives", "دو پهپاد حامل مواد منفجره بودند"},
		{"ceasefire", "Ceasefire talks resume", "مذاکرات آتش\u200cبس از سر گرفته شد"},
		{"fire", "Fire contained after four days", "مهار آتش\u200cسوزی پس از چهار روز"},
		// Urdu
		{"explosion", "Blast in Quetta market", "کوئٹہ کے بازار میں دھماکہ"},
		{"attack", "Attack on a checkpoint", "چوکی پر حملہ"},
		{"killed", "Five killed in firing", "فائرنگ سے پانچ افراد ہلاک"},
		{"shooting", "Gunmen open fire on a bus", "بس پر فائرنگ"},
		// Arabic
		{"shooting", "Gunfire at a checkpoint", "إطلاق نار على حاجز"},
		{"resignation", "Minister resigns", "استقالة الوزير"},
		{"tourists", "Tourists stranded on the island", "السياح عالقون في الجزيرة"},
		// French, German, Spanish
		{"strike", "Air strikes on the port", "Frappes aériennes sur le port"},
		{"electricity", "Power cut in the capital", "Coupure de courant dans la capitale"},
		{"court", "Court convicts ten", "Le tribunal condamne dix personnes"},
		{"attack", "Attack on power cables", "Anschlag auf Stromkabel"},
		{"fire", "Arson at the grid", "Brandanschlag auf das Stromnetz"},
		{"hostage", "Hostages freed", "Geiseln freigelassen"},
		{"earthquake", "Earthquake shakes the coast", "Un terremoto sacude la costa"},
		{"killed", "Dozens killed", "Decenas de muertos"},
		// Russian
		{"drone", "Drones attack an oil depot", "Беспилотники атаковали нефтебазу"},
		{"strike", "Strike on Kyiv clinic", "Удар по клинике в Киеве"},
		{"airport", "Two airports closed", "Закрыты два аэропорта"},
		{"court", "Court sentences activist", "Суд вынес приговор активисту"},
		// Central Kurdish (Sorani)
		{"drone", "Drone attack on a Peshmerga base", "هێرشی درۆن بۆ سەر بنکەیەکی پێشمەرگە"},
		{"killed", "Two killed, three wounded", "دوو کەس کوژران و سێ بریندار بوون"},
		{"salaries", "Salary earners protest in Sulaimani", "خۆپیشاندانی مووچەخۆران لە سلێمانی"},
		{"ceasefire", "Ceasefire in Gaza", "ئاگربەست لە غەززە"},
	}
	for _, tt := range tests {
		for _, s := range []string{tt.a, tt.b} {
			if got := conceptKeys(t, s); !slices.Contains(got, tt.concept) {
				t.Errorf("%q names %v, want %s", s, got, tt.concept)
			}
		}
	}
}

// A concept word inside or folded into another word is not the concept.
func TestConceptsNotInOtherWords(t *testing.T) {
	tests := []struct {
		concept, s string
	}{
		{"court", "A sad day for the club"},              // Polish "sąd" folds to "sad"
		{"election", "Trudny wybór dla rządu"},           // "wybór" (a choice), not "wybory" (elections)
		{"talks", "Czy Merza spotka los Maduro?"},        // "spotka los": fate befalls
		{"protest", "Protestant churches mark Easter"},   // "protest" is not a prefix alias
		{"accident", "Katastrofa humanitarna w Strefie"}, // a humanitarian disaster is aid
		{"coup", "Zamach w stolicy"},                     // an attack, not "zamach stanu"
		{"arrest", "Arrestingly beautiful"},              // no prefix alias in English
		{"hostage", "Porwał tłumy"},                      // not a listed form
		{"killed", "Model oldu"},                         // Turkish "öldü" (died) folds to "oldu" (became)
		{"attack", "حملة انتخابية"},                      // Arabic "حملة" (campaign) folds to Persian "حمله" (attack)
		{"visit", "وزارت کشور"},                          // "وزارت" (ministry) is not "و" + "زارت" (she visited)
		{"aid", "بامداد دوشنبه"},                         // "بامداد" (dawn) is not "ب" + "امداد" (relief)
		{"prison", "الجيل الجديد"},                       // Arabic "جيل" (generation), not Urdu "جیل" (jail)
		{"nuclear", "تغيير جوهري"},                       // Arabic "جوهري" (fundamental), not Urdu "جوہری" (nuclear)
		{"court", "Iran condamne l'attaque"},             // "condamne" (condemns), not "condamné" (convicted)
		{"investigation", "Fiscal policy tightens"},      // Spanish "fiscal" (prosecutor) is left out
		{"oil", "Girl lowered over the barrier by rope"}, // Polish "ropę" (oil) folds to "rope"
		{"strike", "Activist ends hunger strike"},        // a hunger strike is a protest
		{"ship", "Решение суда"},                         // "суда": of the court, and ships
		{"drone", "درون خانه"},                           // Persian "درون" (inside), not Sorani "درۆن" (drone)
		{"fire", "ئاگربەست ڕاگەیەندرا"},                  // a ceasefire is no fire
	}
	for _, tt := range tests {
		if got := conceptKeys(t, tt.s); slices.Contains(got, tt.concept) {
			t.Errorf("%q names %v, want no %s", tt.s, got, tt.concept)
		}
	}
}

func TestConceptsMoreAliasesNeedKey(t *testing.T) {
	r := &rules{concepts: newMatcher()}
	err := r.loadConceptLines("x", []dataLine{{no: 1, text: "fire = fire"}, {no: 2, text: "flood += powódź"}})
	if err == nil || !strings.Contains(err.Error(), "x:2") {
		t.Errorf("reopening an undefined concept: err = %v, want one at x:2", err)
	}
	r = &rules{concepts: newMatcher()}
	if err := r.loadConceptLines("x", []dataLine{{no: 1, text: "proceeding court = court"}, {no: 2, text: "court += sądu"}}); err != nil {
		t.Fatal(err)
	}
	var got []int32
	r.concepts.scan(tokenize("przed obliczem sądu", nil), func(id int32, _, _ int) { got = append(got, id) })
	if len(got) != 1 || got[0] != 0 || !r.proceeding[0] {
		t.Errorf("\"court += sądu\": matches %v, proceeding %v; want concept 0, a proceeding", got, r.proceeding)
	}
}

func TestConceptFamilies(t *testing.T) {
	lines := func(text ...string) []dataLine {
		var out []dataLine
		for i, s := range text {
			out = append(out, dataLine{no: i + 1, text: s})
		}
		return out
	}
	r := &rules{concepts: newMatcher()}
	if err := r.loadConceptLines("x", lines("attack = attack", "clashes = clash", "singular flood = flood", "agreement = deal",
		"strike = strike", "family violence = attack, clashes", "broader attack = strike")); err != nil {
		t.Fatal(err)
	}
	attack, clashes, flood, deal, strike := int32(0), int32(1), int32(2), int32(3), int32(4)
	tests := []struct {
		a, b     []int32
		disjoint bool
	}{
		{[]int32{attack}, []int32{clashes}, false}, // one family
		{[]int32{attack}, []int32{deal}, true},
		{[]int32{flood, deal}, []int32{deal}, false},
		{nil, []int32{deal}, false},               // a headline naming no kind of event conflicts with none
		{[]int32{attack}, []int32{strike}, false}, // an attack may be a strike
		{[]int32{strike}, []int32{attack}, false},
		{[]int32{strike}, []int32{clashes}, true}, // a strike is not clashes, though both are attacks
	}
	for _, tt := range tests {
		if got := r.conceptsDisjoint(tt.a, tt.b); got != tt.disjoint {
			t.Errorf("conceptsDisjoint(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.disjoint)
		}
	}
	if !r.singular[flood] || r.singular[attack] {
		t.Errorf("singular = %v, want flood only", r.singular)
	}
	for _, bad := range [][]dataLine{
		lines("attack = attack", "family violence = attack, strike"),                                      // strike undefined
		lines("attack = attack", "strike = strike", "family a = attack", "family b = attack, strike"),     // attack twice
		lines("attack = attack", "family violence = attack"),                                              // a family of one
		lines("attack = attack", "broader attack = strike"),                                               // strike undefined
		lines("attack = attack", "broader raid = attack"),                                                 // raid undefined
		lines("attack = attack", "broader attack = attack"),                                               // itself
		lines("attack = attack", "strike = strike", "broader attack = strike", "broader attack = strike"), // twice
	} {
		r := &rules{concepts: newMatcher()}
		if err := r.loadConceptLines("x", bad); err == nil || !strings.Contains(err.Error(), "x:") {
			t.Errorf("%v: err = %v, want one naming its line", bad, err)
		}
	}
}
