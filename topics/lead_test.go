package topics

import (
	"slices"
	"strings"
	"testing"
)

func TestDatelineBytes(t *testing.T) {
	tests := []struct {
		text, rest string // rest: what follows the dateline ("" = the whole text, no dateline)
	}{
		{"SINJAR - A drone struck a vehicle.", "A drone struck a vehicle."},
		{"ERBIL, Kurdistan Region - Iraq's adviser said.", "Iraq's adviser said."},
		{"TEHRAN, Aug. 13 (MNA) – Iran said.", "Iran said."},
		{"AMMAN (Reuters) - Jordan said.", "Jordan said."},
		{"BAGHDAD— The ministry said.", "The ministry said."},
		{"  BEIRUT: Lebanon's army said.", "Lebanon's army said."},
		{"Baghdad - a city of millions.", ""},                     // not in capitals
		{"US - Iran talks resume.", ""},                           // too short to be a place
		{"ISIS claimed the attack in Deir ez-Zor on Monday.", ""}, // a hyphen inside a word
		{"NEW YORK. The UN said - later - that it would.", ""},    // a sentence ends first
		{"ANKARA " + strings.Repeat("word ", 20) + "- late dash", ""},
		{"", ""},
		{"سنجار - قصفت طائرة", ""},
	}
	for _, tt := range tests {
		n := datelineBytes(tt.text)
		want := 0
		if tt.rest != "" {
			want = len(tt.text) - len(tt.rest)
		}
		if n != want {
			t.Errorf("datelineBytes(%q) = %d (%q), want %d", tt.text, n, tt.text[n:], want)
		}
	}
}

func TestFirstSentenceEnd(t *testing.T) {
	tests := []struct{ text, first string }{
		{"A drone struck a car near Sinjar. Two died.", "A drone struck a car near Sinjar."},
		{"U.S. forces struck Gen. Ali's base in Aug. 2025. Later more.", "U.S. forces struck Gen. Ali's base in Aug. 2025."},
		{"George W. Bush visited Baghdad. He left.", "George W. Bush visited Baghdad."},
		{"Headline-like line\nSecond paragraph.", "Headline-like line\n"},
		{"No full stop at all", "No full stop at all"},
		{"هل وقع الهجوم؟ نعم", "هل وقع الهجوم؟"},
	}
	for _, tt := range tests {
		if got := tt.text[:firstSentenceEnd(tt.text, 0)]; got != tt.first {
			t.Errorf("first sentence of %q = %q, want %q", tt.text, got, tt.first)
		}
	}
	long := strings.Repeat("word ", 500)
	end := firstSentenceEnd(long, 0)
	if end > maxFirstSentence+5 || end < maxFirstSentence || long[end] != ' ' {
		t.Errorf("unbounded sentence cut at %d, want a space just after %d", end, maxFirstSentence)
	}
}

// TestAnalyzeDatelineAndLead checks that tokenizing in pieces gives the tokens of one pass and
// marks where the dateline and the first sentence end.
func TestAnalyzeDatelineAndLead(t *testing.T) {
	g, _, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	text := "ERBIL, Kurdistan Region - Iraq's adviser said the memorandum was signed. Under the deal patrols start."
	a := analyze(g, Doc{Text: text})
	whole := tokenize(text, nil)
	if len(a.text) != len(whole) {
		t.Fatalf("%d tokens, want %d", len(a.text), len(whole))
	}
	for i := range whole {
		if a.text[i] != whole[i] {
			t.Fatalf("token %d = %+v, want %+v", i, a.text[i], whole[i])
		}
	}
	if a.dateline != 3 || a.text[a.dateline].norm != "iraq" {
		t.Errorf("dateline = %d tokens, want 3", a.dateline)
	}
	if a.text[a.first-1].norm != "signed" {
		t.Errorf("first sentence ends before %q, want after \"signed\"", a.text[a.first-1].norm)
	}
}

func TestStatementDays(t *testing.T) {
	g, r, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	feats := func(title, text string) docFeatures {
		return extractFeatures(g, r, analyze(g, Doc{Title: title, Text: text}))
	}
	mon := feats("Iraq and Iran sign memorandum", "Iraq and Iran signed a memorandum in Baghdad on Monday, officials said.")
	wedSaid := feats("Memorandum converts protocol", "The adviser said on Wednesday that the memorandum signed this week converts the protocol.")
	wedEvent := feats("Drone strike near Sinjar", "A drone struck a car near Sinjar on Wednesday, officials said.")
	friSaid := feats("Memorandum converts protocol", "The adviser told reporters on Friday that the memorandum converts the protocol.")
	none := feats("Memorandum draws objection", "The United States objected to the memorandum.")
	if wedSaid.weekdays != 0 || wedSaid.saidDays == 0 {
		t.Errorf("\"said on Wednesday\": event days %b, statement days %b", wedSaid.weekdays, wedSaid.saidDays)
	}
	if wedEvent.weekdays == 0 || wedEvent.saidDays != 0 {
		t.Errorf("\"struck ... on Wednesday\": event days %b, statement days %b", wedEvent.weekdays, wedEvent.saidDays)
	}
	tests := []struct {
		name     string
		a, b     docFeatures
		conflict bool
	}{
		{"event Monday, statement Wednesday", mon, wedSaid, false},
		{"event Monday, event Wednesday", mon, wedEvent, true},
		{"event Monday, statement Friday", mon, friSaid, true},
		{"no day named", mon, none, false},
		{"same event day", wedEvent, wedEvent, false},
	}
	for _, tt := range tests {
		if got := daysConflict(&tt.a, &tt.b); got != tt.conflict {
			t.Errorf("%s: conflict %v, want %v", tt.name, got, tt.conflict)
		}
		if got := daysConflict(&tt.b, &tt.a); got != tt.conflict {
			t.Errorf("%s (swapped): conflict %v, want %v", tt.name, got, tt.conflict)
		}
	}
	// Saturday's statement may follow an event on Thursday or Friday, wrapping around the week.
	if daysAfter(1<<4)&(1<<6) == 0 || daysAfter(1<<6)&(1<<1) == 0 || daysAfter(1<<6)&(1<<2) != 0 {
		t.Errorf("daysAfter wraps wrongly: %07b %07b", daysAfter(1<<4), daysAfter(1<<6))
	}
}

// TestEventPlaces checks that a capital named later in the lead as a government ("Ankara did not
// comment") does not make two strikes in different countries' towns look like one place.
func TestEventPlaces(t *testing.T) {
	g, r, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	c := NewClusterer(0)
	feats := func(title, text string) docFeatures {
		return extractFeatures(g, r, analyze(g, Doc{Title: title, Text: text}))
	}
	syria := feats("Three killed in drone strike", "A drone struck a checkpoint in Raqqa province on Tuesday. Ankara did not comment.")
	iraq := feats("Two killed in drone strike", "SINJAR - A drone struck a car west of Sinjar on Tuesday. Ankara did not comment.")
	iraq2 := feats("Drone strike near Sinjar", "Turkey said its drone hit a car. Officials in Nineveh confirmed the strike.")
	if !c.placesConflict(eventPlaces(&syria), eventPlaces(&iraq)) {
		t.Error("Raqqa and Sinjar strikes: no place conflict")
	}
	if c.placesConflict(syria.places, iraq.places) {
		t.Error("all lead places: want Ankara to make them compatible (the case eventPlaces exists for)")
	}
	if c.placesConflict(eventPlaces(&iraq), eventPlaces(&iraq2)) {
		t.Error("Sinjar and Sinjar/Nineveh: place conflict")
	}
}

// TestTagSkipsDateline checks that the place a report was filed from is not tagged as a region
// unless the report names it again.
func TestTagSkipsDateline(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text   string
		want   string
		tagged bool
	}{
		{"ERBIL, Kurdistan Region - Iraq and Iran agreed on joint patrols, officials said.", "kurdistan-region", false},
		{"BEIRUT - Iraq and Iran agreed on joint patrols, officials said.", "lebanon", false},
		{"Iraq and Iran agreed in Erbil on joint patrols, officials said.", "kurdistan-region", true},
	}
	for _, tt := range tests {
		got := tg.Tag(Doc{Title: "Border patrol deal", Text: tt.text}).Regions
		if slices.Contains(got, tt.want) != tt.tagged || !slices.Contains(got, "iran") {
			t.Errorf("Tag(%q).Regions = %v: %s tagged %v, want %v", tt.text, got, tt.want, !tt.tagged, tt.tagged)
		}
	}
}

func TestCutFeedTrailer(t *testing.T) {
	long := strings.Repeat("Officials said the talks would resume. ", 20)
	tests := []struct{ text, want string }{
		{"Troops withdrew. The post Troops withdraw appeared first on Daily News.", "Troops withdrew."},
		{long + "The post Talks resume appeared first on Daily News.", strings.TrimRight(long, " ")},
		{"Troops withdrew.", "Troops withdrew."},
		// "appeared first on" further from the end than a trailer's: part of the text
		{"The post of envoy appeared first on a list. " + long, "The post of envoy appeared first on a list. " + long},
		// no "The post" before it
		{"The report appeared first on Monday.", "The report appeared first on Monday."},
		// the last trailer counts
		{"The post A appeared first on X. More. The post B appeared first on Y.", "The post A appeared first on X. More."},
		{"", ""},
	}
	for _, tt := range tests {
		if got := cutFeedTrailer(tt.text); got != tt.want {
			t.Errorf("cutFeedTrailer(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
