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
