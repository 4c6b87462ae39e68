package topics

import (
	"slices"
	"strings"
	"testing"
)

func TestBuiltinTopics(t *testing.T) {
	want := []string{"border-security", "terrorism", "armed-conflict", "maritime-security", "diplomacy",
		"politics", "energy", "protests", "humanitarian", "cyber"}
	got := BuiltinTopics()
	if !slices.Equal(got, want) {
		t.Errorf("BuiltinTopics() = %v, want %v", got, want)
	}
	got[0] = "changed"
	if BuiltinTopics()[0] != "border-security" {
		t.Error("BuiltinTopics returns the package's own slice")
	}
	for _, w := range want {
		if !IsTopic(w) {
			t.Errorf("IsTopic(%q) = false", w)
		}
	}
	if IsTopic("sport") || IsTopic("Terrorism") {
		t.Error("IsTopic accepts a non-topic")
	}
}

func TestTopicRules(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		title, text string
		want        []string // must be present
		none        bool     // no topics at all
	}{
		{"sport", "Iraq beat Iran 2-1 in World Cup qualifier", "Iraq's national football team beat Iran in Basra, with the striker scoring twice before 60,000 fans.", nil, true},
		{"markets", "Saudi stocks rise as banks rally", "The Tadawul index rose 1.2 percent as investors bought bank shares; trading volume was thin.", nil, true},
		{"weather", "Heatwave grips Kuwait as temperatures hit 51C", "Forecasters expect temperatures above 50 degrees Celsius through the weekend, with dusty winds and high humidity.", nil, true},
		{"celebrity", "Lebanese singer announces world tour", "The pop star will promote her new album with concerts in Dubai and Paris, her label said.", nil, true},
		{"arabic sport", "المنتخب العراقي يفوز على نظيره الإيراني", "فاز المنتخب العراقي لكرة القدم في المباراة التي جرت على ملعب البصرة ضمن تصفيات كأس العالم.", nil, true},
		{"metaphor", "Vulture expert fighting to save the birds", "Conservationists say the birds play a vital role in nature.", nil, true},
		{"terrorism", "Suicide bomber kills 12 at mosque", "A suicide bomber blew himself up during Friday prayers, police said; no group claimed the attack.", []string{"terrorism"}, false},
		{"isis entity", "Iraqi forces kill ISIS militants in Anbar desert", "An airstrike killed three Daesh members in their hideout, the security media cell said.", []string{"terrorism", "armed-conflict"}, false},
		{"maritime", "Houthis fire missile at tanker in Red Sea", "The UKMTO said a merchant vessel was hit west of Hodeidah; the crew was safe.", []string{"maritime-security"}, false},
		{"diplomacy", "Foreign ministers of Iran and Saudi Arabia meet in Muscat", "The two sides held talks on bilateral relations and agreed to reopen embassies.", []string{"diplomacy"}, false},
		{"border", "Iraqi border guards arrest smugglers near Iranian border", "Border guards seized smuggled weapons at an illegal crossing point in Maysan.", []string{"border-security"}, false},
		{"energy", "Kurdistan oil exports resume through Ceyhan pipeline", "Crude began flowing again after a two-year halt, the oil ministry said, at 230,000 barrels per day.", []string{"energy"}, false},
		{"protests", "Protesters block roads in Basra over power cuts", "Demonstrators burned tyres and security forces fired tear gas to disperse them.", []string{"protests"}, false},
		{"humanitarian", "Aid trucks enter Gaza as famine warnings grow", "The UN said food and medical aid reached displaced families; famine conditions persist.", []string{"humanitarian"}, false},
		{"cyber", "Hackers claim ransomware attack on ministry", "A cyberattack took down online services; officials said servers were hit by ransomware.", []string{"cyber"}, false},
		{"politics", "Iraqi parliament votes on election law amendments", "Lawmakers from the ruling coalition and opposition parties debated the electoral districts.", []string{"politics"}, false},
		{"arabic conflict", "طائرات تركية تقصف مواقع حزب العمال الكردستاني في دهوك", "قصفت طائرات حربية تركية مواقع قرب قرى قضاء العمادية، بحسب مسؤولين محليين.", []string{"armed-conflict"}, false},
		{"title clash", "Rybakina title clash in Toronto", "Elena Rybakina meets the world number one in the final on Sunday.", nil, true},
		{"killer app", "Is this the killer app for smart glasses?", "The device maker hopes its new assistant will finally win over buyers.", nil, true},
		{"energy of a speech", "Critics note the lack of energy of the speech", "The address to the party faithful ran for an hour; commentators called it flat.", nil, true},
		// headlines alone, as feeds without descriptions give them
		{"markets headline", "Saudi stocks rise as banks rally", "", nil, true},
		{"title clash headline", "Rybakina title clash in Toronto", "", nil, true},
		{"killer app headline", "Is this the killer app for smart glasses?", "", nil, true},
		{"energy of a speech headline", "Critics note the lack of energy of the speech", "", nil, true},
		{"arabic protests", "متظاهرون يقطعون طرقا في البصرة", "خرجت احتجاجات واسعة واستخدمت القوات الأمنية الغاز المسيل للدموع لتفريق المتظاهرين.", []string{"protests"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tags := tg.Tag(Doc{Title: tt.title, Text: tt.text})
			if tt.none {
				if len(tags.Topics) != 0 || tags.Severity != "" || tags.Security {
					t.Errorf("Tag(%q) topics %v security %v severity %q, want none", tt.title, tags.Topics, tags.Security, tags.Severity)
				}
				return
			}
			for _, w := range tt.want {
				if !slices.Contains(tags.Topics, w) {
					t.Errorf("Tag(%q).Topics = %v, want %q", tt.title, tags.Topics, w)
				}
			}
			if !slices.IsSorted(tags.Topics) {
				t.Errorf("topics %v not sorted", tags.Topics)
			}
			if tags.Security == (tags.Severity == "") {
				t.Errorf("Tag(%q): security %v with severity %q (severity is set on security news only)", tt.title, tags.Security, tags.Severity)
			}
		})
	}
}

// The phrase rules know the topics in Polish, Turkish and Persian too (feeds in those languages
// are polled; the rules also decide the topics the model has too few items to learn).
func TestTopicRulesMultilingual(t *testing.T) {
	g, r, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, title, text string
		want              string // "": no topic
	}{
		{"pl", "Straż graniczna zatrzymała przemytników na granicy z Białorusią", "", "border-security"},
		{"pl", "Tankowiec floty cieni uszkodził kabel podmorski na Bałtyku", "", "maritime-security"},
		{"pl", "Hakerzy przeprowadzili cyberatak na ministerstwo", "", "cyber"},
		{"pl", "Protesty w Teheranie. Demonstranci starli się z policją", "", "protests"},
		{"tr", "Terör saldırısında 3 kişi hayatını kaybetti", "", "terrorism"},
		{"fa", "حمله تروریستی در زاهدان", "", "terrorism"},
		{"en", "Thousands without power after attack on power lines", "", "energy"},
		{"pl", "Mecz ligi: trener chwali zawodników", "", ""},
	}
	for _, tt := range tests {
		got := pickTopics(r.scoreTopics(g, analyze(g, Doc{Title: tt.title, Text: tt.text})))
		if tt.want == "" && len(got) > 0 || tt.want != "" && !slices.Contains(got, tt.want) {
			t.Errorf("%s %q: rule topics %v, want %q", tt.lang, tt.title, got, tt.want)
		}
	}
}

func TestSeverity(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		title, text string
		want        Severity
	}{
		{"Dozens killed in airstrike on market in Idlib", "Warplanes struck a crowded market, rescuers said.", SeverityHigh},
		{"Car bomb kills 15 in Kirkuk", "Fifteen people were killed and 40 wounded by the explosion.", SeverityHigh},
		{"مقتل 12 شخصا بغارة جوية على سوق", "قتل 12 شخصا وأصيب آخرون في غارة جوية استهدفت سوقا شعبيا.", SeverityHigh},
		{"Drone strike kills two PKK members near Zakho", "A Turkish drone struck a vehicle, killing two people.", SeverityHigh},
		{"Rocket attack on base, no casualties", "Two rockets landed near the base perimeter, the army said.", SeverityMedium},
		{"Iraq and Iran foreign ministers meet in Baghdad", "The ministers held talks on border security cooperation and issued a joint statement.", SeverityLow},
		{"Parliament debates election law", "Lawmakers discussed amendments in a session on Tuesday; a vote was postponed.", ""},
		{"Gunmen open fire on army checkpoint, wounding two soldiers", "The attackers fled towards the hills, the army said; the wounded were taken to hospital.", SeverityMedium},
		{"Massacre in village leaves families in mourning", "Gunmen attacked the village at dawn.", SeverityHigh},
	}
	for _, tt := range tests {
		tags := tg.Tag(Doc{Title: tt.title, Text: tt.text})
		if tags.Severity != tt.want || tags.Security != (tt.want != "") {
			t.Errorf("Tag(%q): security %v severity %q (topics %v), want %q", tt.title, tags.Security, tags.Severity, tags.Topics, tt.want)
		}
	}
}

// Casualty counts and violent events are read in Polish, Turkish and Persian too.
func TestSeveritySignalsMultilingual(t *testing.T) {
	tests := []struct {
		lang, title     string
		killed, wounded int
		violent         bool
	}{
		{"pl", "W ataku rakietowym zginęło 12 osób", 12, 0, true},
		{"pl", "Ostrzał Charkowa: 30 osób zostało rannych", 0, 30, true},
		{"pl", "Nalot na Kijów. Nie ma ofiar", 0, 0, true}, // a casualty word without a count is none
		{"tr", "Saldırıda 3 asker öldü", 3, 0, true},
		{"tr", "Patlamada 5 kişi yaralandı", 0, 5, true},
		{"fa", "انفجار در کابل؛ ۱۰ نفر کشته شدند", 10, 0, true},
		{"pl", "Premier spotkał się z prezydentem", 0, 0, false},
	}
	for _, tt := range tests {
		sv := severitySignals(tokenize(tt.title, nil), nil)
		if sv.killed != tt.killed || sv.wounded != tt.wounded || sv.violent != tt.violent {
			t.Errorf("%s %q: killed %d wounded %d violent %v, want %d %d %v", tt.lang, tt.title, sv.killed, sv.wounded, sv.violent, tt.killed, tt.wounded, tt.violent)
		}
	}
}

// A headline holding a verb form that reports a violent act or a seizure as done reports an
// incident; the same word after a backdrop word ("after", "po", "بعد") does not, nor does the
// noun of the act.
func TestTitleIncident(t *testing.T) {
	tests := []struct {
		lang, title string
		want        bool
	}{
		{"en", "US forces captured Maduro in Caracas", true},
		{"en", "Two dead in Israeli strike on south Lebanon", true},
		{"en", "Trump says US will run Venezuela after Maduro seized", false},
		{"en", "What the capture of Maduro means for China", false},
		{"en", "Trump threatens more strikes", false},
		{"pl", "Rosjanie zaatakowali Kijów", true},
		{"pl", "Reakcje po ataku na Wenezuelę", false},
		{"tr", "Musul'da 13 DEAŞ militanı öldürüldü", true},
		{"ar", "قصفت إسرائيل جنوب لبنان", true},
		{"ar", "مظاهرات بعد اعتقال الرئيس", false},
		{"fa", "۱۰ نفر در حمله به پایگاه کشته شدند", true},
		{"ur", "دھماکے میں پانچ افراد ہلاک", true},
	}
	for _, tt := range tests {
		if got := severitySignals(tokenize(tt.title, nil), nil).titleIncident; got != tt.want {
			t.Errorf("%s %q: titleIncident %v, want %v", tt.lang, tt.title, got, tt.want)
		}
	}
}

func FuzzTag(f *testing.F) {
	for _, s := range []string{"Iraq, Iran sign border security agreement", "العراق وإيران يوقعان اتفاقا أمنيا", "ـــ\u0651\u064b", "U.S. 12 killed", strings.Repeat("و", 50)} {
		f.Add(s, s)
	}
	tg, err := NewTagger([]UserTopic{{Name: "u", Query: `pkk OR "kurdistan workers" OR kurd*`}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, title, text string) {
		d := Doc{ID: title, Title: title, Text: text}
		tags := tg.Tag(d)
		for _, r := range tags.Regions {
			if !IsRegion(r) {
				t.Fatalf("unknown region %q", r)
			}
		}
		for _, tp := range tags.Topics {
			if !IsTopic(tp) {
				t.Fatalf("unknown topic %q", tp)
			}
		}
		c := NewClusterer(0)
		if id := c.Add(d, tags, ""); !strings.HasPrefix(id, "s") {
			t.Fatalf("story id %q", id)
		}
	})
}
