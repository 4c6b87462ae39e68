package topics

import "testing"

func TestLanguageOfReport(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		title, text string
		want        uint8
	}{
		{"Power cut in the capital after an attack on cables", "Thousands of homes were without power for days after the attack, the city's operator said.", langEnglish},
		{"Awaria w stolicy po ataku na kable", "Dziesiątki tysięcy domów nie ma prądu od kilku dni, podał operator sieci.", langPolish},
		{"Başkentte kablolara saldırı sonrası elektrik kesintisi", "Binlerce ev günlerdir elektriksiz, şebeke operatörü bu konuda açıklama yaptı ve ancak kesinti sürüyor.", langTurkish},
		{"انقطاع الكهرباء في العاصمة بعد هجوم على الكابلات", "قالت الشركة إن آلاف المنازل بلا كهرباء منذ أيام.", langArabic},
		{"Berlin blackout", "", langUnknown},
		// Headlines without a description and with few function words: told by their letters.
		{"Lewicowi ekstremiści sparaliżowali Berlin. Potężna awaria", "", langPolish},
		{"Dışişleri Bakanlığı'ndan açıklama", "", langTurkish},
		{"Las señales de alarma", "", langSpanish},
		{"Café crème", "", langUnknown}, // letters French shares with others tell nothing
	}
	for _, tc := range tests {
		f := extractFeatures(tg.g, tg.r, analyzeN(tg.g, Doc{Title: tc.title, Text: tc.text}, clusterScan))
		if f.lang != tc.want {
			t.Errorf("%q: language %d, want %d", tc.title, f.lang, tc.want)
		}
	}
}

func TestOtherLanguage(t *testing.T) {
	tests := []struct {
		a, b docFeatures
		want bool
	}{
		{docFeatures{lang: langEnglish}, docFeatures{lang: langEnglish}, false},
		{docFeatures{lang: langEnglish}, docFeatures{lang: langPolish}, true},
		{docFeatures{lang: langEnglish}, docFeatures{lang: langUnknown}, false},
		{docFeatures{lang: langUnknown}, docFeatures{arabic: true, lang: langArabic}, true},
	}
	for _, tc := range tests {
		if got := otherLanguage(&tc.a, &tc.b); got != tc.want {
			t.Errorf("otherLanguage(%d, %d) = %v, want %v", tc.a.lang, tc.b.lang, got, tc.want)
		}
	}
}

// Inflected forms of one word are one feature: English -ions/-ing, Polish case endings; words
// that only begin alike are not.
func TestInflectedFormsMeet(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	word := func(w string) uint64 {
		f := extractFeatures(tg.g, tg.r, analyzeN(tg.g, Doc{Title: w}, clusterScan))
		for _, x := range f.feats {
			if x.kind == fWord {
				return x.h
			}
		}
		t.Fatalf("%q: no word feature", w)
		return 0
	}
	for _, tc := range []struct {
		a, b string
		meet bool
	}{
		{"negotiations", "negotiating", true},
		{"bezpieczeństwa", "bezpieczeństwo", true},
		{"Wenezuelczycy", "Wenezuelczyków", true},
		{"international", "internet", false},
		{"protest", "protection", false},
	} {
		if got := word(tc.a) == word(tc.b); got != tc.meet {
			t.Errorf("%q and %q one feature = %v, want %v", tc.a, tc.b, got, tc.meet)
		}
	}
}
