package topics

import (
	"slices"
	"strings"
	"testing"
)

func TestBuiltinDataLoads(t *testing.T) {
	g, r, err := builtin()
	if err != nil {
		t.Fatalf("builtin data: %v", err)
	}
	if len(g.regions) < 30 || len(g.entities) < 150 {
		t.Errorf("gazetteer has %d regions and %d entities, want a real gazetteer", len(g.regions), len(g.entities))
	}
	if len(r.ckeys) < 30 {
		t.Errorf("only %d concepts", len(r.ckeys))
	}
	for _, want := range []string{"iraq", "iran", "kurdistan-region", "syria", "turkey", "yemen", "israel", "lebanon",
		"saudi-arabia", "united-states", "palestine", "jordan", "egypt", "qatar", "uae", "oman", "kuwait", "bahrain",
		"russia", "ukraine", "afghanistan", "pakistan", "gulf", "red-sea"} {
		if !IsRegion(want) {
			t.Errorf("IsRegion(%q) = false", want)
		}
	}
	if IsRegion("Iraq") || IsRegion("atlantis") {
		t.Error("IsRegion accepts a non-slug")
	}
	if got := Regions(); len(got) != len(g.regions) || got[0].Slug != "iraq" || got[0].Name != "Iraq" {
		t.Errorf("Regions() = %v...", got[:min(3, len(got))])
	}
}

func TestGazetteerRegions(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		title string
		want  []string // regions that must be present
		not   []string // regions that must be absent
	}{
		{"turkiye", "Türkiye deploys troops", []string{"turkey"}, nil},
		{"turkiye ascii", "Turkiye says talks continue", []string{"turkey"}, nil},
		{"turkey", "Turkish drones over Duhok", []string{"turkey", "kurdistan-region", "iraq"}, nil},
		{"shingal", "Return to Shingal stalls", []string{"iraq"}, nil},
		{"sinjar", "Sinjar agreement anniversary", []string{"iraq"}, nil},
		{"ain issa", "Drone strike near Ain Issa", []string{"syria"}, []string{"iraq"}},
		{"tal abyad arabic", "اشتباكات في تل أبيض", []string{"syria"}, nil},
		{"hewler", "Rally in Hewlêr", []string{"kurdistan-region", "iraq"}, nil},
		{"arbil", "Arbil airport closed", []string{"kurdistan-region"}, nil},
		{"slemani", "Slemani governor resigns", []string{"kurdistan-region"}, nil},
		{"sulaymaniyah", "Sulaymaniyah market fire", []string{"kurdistan-region"}, nil},
		{"dohuk", "Dohuk villages evacuated", []string{"kurdistan-region"}, nil},
		{"arabic iraq", "العراق وإيران يوقعان اتفاقا أمنيا", []string{"iraq", "iran"}, nil},
		{"arabic clitic wa+al", "وفد من والعراق", []string{"iraq"}, nil},
		{"arabic clitic bi+al", "انفجار بالموصل", []string{"iraq"}, nil},
		{"arabic li+al", "زيارة للسعودية", []string{"saudi-arabia"}, nil},
		{"arabic erbil", "قصف قرب أربيل", []string{"kurdistan-region", "iraq"}, nil},
		{"kurdish script", "هەولێر و سلێمانی", []string{"kurdistan-region"}, nil},
		{"persian", "تهران و ایران", []string{"iran"}, nil},
		{"persian syria", "نیروهای آمریکایی در سوریه", []string{"syria"}, nil},
		{"sorani turkey", "هێرشی تورکیا بۆ دهۆک", []string{"turkey", "kurdistan-region"}, nil},
		{"pkk", "PKK fighters withdraw", []string{"turkey"}, nil},
		{"houthis", "Ansar Allah claims attack", []string{"yemen"}, nil},
		{"hashd", "Hashd al-Shaabi parade", []string{"iraq"}, nil},
		{"irgc", "IRGC navy seizes tanker", []string{"iran"}, nil},
		{"hezbollah arabic", "حزب الله يعلن", []string{"lebanon"}, nil},
		{"rafah crossing", "Rafah crossing reopens", []string{"palestine", "egypt"}, nil},
		{"us case", "US envoy arrives", []string{"united-states"}, nil},
		{"us pronoun", "Tell us what happened", nil, []string{"united-states"}},
		{"no substring iran", "Tiranë hosts Balkan summit in Tirana", nil, []string{"iran"}},
		{"no substring oman", "Romania and Romans", nil, []string{"oman"}},
		{"no substring iraq", "Iraqiyaland festival", nil, []string{"iraq"}},
		{"no substring arabic", "عراقيل أمام المشروع", nil, []string{"iraq"}},
		{"arabic conjunction is not van", "وقالت مصادر إن السفينة بخير وإن طاقمها سالم", nil, []string{"turkey"}},
		{"lake van arabic", "زلزال قرب بحيرة وان", []string{"turkey"}, nil},
		{"arabic pretext is not hajjah", "اعتقلت الشرطة ناشطين بحجة الإخلال بالأمن في بغداد", []string{"iraq"}, []string{"yemen"}},
		{"hajjah province arabic", "غارات على محافظة حجة", []string{"yemen"}, nil},
		{"arabic common verb", "أعادت مصر فتح المعبر", []string{"egypt"}, []string{"palestine"}},
		{"kurdistan workers not region", "Kurdistan Workers' Party statement", []string{"turkey"}, []string{"kurdistan-region"}},
		{"persian gulf", "Persian Gulf tensions", []string{"gulf"}, []string{"iran"}},
		{"israeli town", "Man stabbed to death in Pardes Hanna", []string{"israel"}, nil},
		{"israeli party", "Ra'am weighs joining the coalition", []string{"israel"}, nil},
		{"haredi draft", "Haredi draft bill stalls again", []string{"israel"}, nil},
		{"unrwa", "Donors pledge new funds for UNRWA schools", []string{"palestine"}, nil},
		{"swiss resort", "Crans-Montana reopens its ski lifts", []string{"switzerland"}, []string{"united-states"}},
		{"us city", "Storm floods streets in San Diego", []string{"united-states"}, nil},
		{"polish medvedev", "Miedwiediew znów grozi Europie", []string{"russia"}, nil},
		{"polish merz", "Rozmowa z Merzem o granicy", []string{"germany"}, nil},
		{"persian trump", "ترامپ درباره تحریم\u200cها سخن گفت", []string{"united-states"}, nil},
		{"persian kurdistan province", "همایش در شهرهای کردستان برگزار می شود", []string{"iran"}, []string{"kurdistan-region", "iraq"}},
		{"persian kurdistan province in full", "سیل در استان کردستان", []string{"iran"}, []string{"kurdistan-region"}},
		{"persian kurdistan region", "سفر هیئت ایرانی به اقلیم کردستان", []string{"kurdistan-region", "iraq"}, nil},
		{"persian iraqi kurdistan", "انتخابات در کردستان عراق", []string{"kurdistan-region", "iraq"}, nil},
		{"persian puk", "دیدار با رهبر اتحادیه میهنی کردستان", []string{"kurdistan-region"}, []string{"iran"}},
		{"arabic kurdistan is the region", "انتخابات في كردستان", []string{"kurdistan-region", "iraq"}, []string{"iran"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tg.Tag(Doc{Title: tt.title}).Regions
			checkRegions(t, tt.title, got, tt.want, tt.not)
			if !slices.IsSorted(got) {
				t.Errorf("regions %v not sorted", got)
			}
		})
	}
}

func TestRegionPlacementRule(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	filler := strings.Repeat("The committee discussed the budget and the schedule at length. ", 20)
	once := Doc{Title: "Budget talks", Text: filler + "A delegate had visited Qatar."}
	if got := tg.Tag(once).Regions; slices.Contains(got, "qatar") {
		t.Errorf("a single late mention tagged qatar: %v", got)
	}
	twice := Doc{Title: "Budget talks", Text: filler + "A delegate had visited Qatar. Doha hosted them."}
	if got := tg.Tag(twice).Regions; !slices.Contains(got, "qatar") {
		t.Errorf("two late mentions did not tag qatar: %v", got)
	}
	lead := Doc{Title: "Budget talks", Text: "In Doha, " + filler}
	if got := tg.Tag(lead).Regions; !slices.Contains(got, "qatar") {
		t.Errorf("a lead mention did not tag qatar: %v", got)
	}
}

func TestTokenizeNormalizes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hewlêr", "hewler"},
		{"Türkiye's", "turkiye s"},
		{"al-Sudani", "al sudani"},
		{"العراق", "عراق"},
		{"أربيل", "اربيل"},
		{"إيرانية", "ايرانيه"},
		{"دهۆک", "دهوك"},
		{"١٢ قتيلا", "12 قتيلا"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := normalizeText(tt.in); got != tt.want {
			t.Errorf("normalizeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTokenizeClauseMarks checks the clause marks tokens carry (placement reads a headline's
// leading clause to its comma and a speaker before a colon), and that a hyphen inside a compound
// is none.
func TestTokenizeClauseMarks(t *testing.T) {
	tests := []struct {
		in   string
		want []byte
	}{
		{"After Chad, Niger", []byte{0, 0, ','}},
		{"Macron: yes", []byte{0, ':'}},
		{"Saudi-backed forces – again", []byte{0, 0, 0, '-'}},
		{"a - b; c", []byte{0, '-', ';'}},
		{"بغداد، أربيل", []byte{0, ','}},
	}
	for _, tt := range tests {
		toks := tokenize(tt.in, nil)
		var got []byte
		for _, tk := range toks {
			got = append(got, tk.sep)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("clause marks of %q = %q, want %q", tt.in, got, tt.want)
		}
		for cut := range len(tt.in) {
			if cut > 0 && isWordRune(rune(tt.in[cut])) && !isWordRune(rune(tt.in[cut-1])) && tt.in[cut] < 0x80 {
				if tok := tokenize(tt.in[cut:], nil); len(tok) > 0 && tok[0].sep == 0 && sepBefore(tt.in[:cut]) != got[len(got)-len(tok)] {
					t.Errorf("sepBefore(%q) = %q, want %q", tt.in[:cut], sepBefore(tt.in[:cut]), got[len(got)-len(tok)])
				}
			}
		}
	}
}

func TestLookupRegions(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"iraq", []string{"iraq"}},
		{"Türkiye", []string{"turkey"}},
		{"Hewlêr", []string{"iraq", "kurdistan-region"}},
		{"أربيل", []string{"iraq", "kurdistan-region"}},
		{"Houthis", []string{"yemen"}},
		{"Rafah crossing", []string{"egypt", "palestine"}},
		{"Atlantis", nil},
		{"", nil},
		{"the weather in Paris tomorrow morning", nil},
	}
	for _, tt := range tests {
		if got := LookupRegions(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("LookupRegions(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestTagsMatches(t *testing.T) {
	tags := Tags{Regions: []string{"iran", "iraq"}, Topics: []string{"border-security"}, UserTopics: []string{"pkk"}}
	tests := []struct {
		topics, regions []string
		want            bool
	}{
		{nil, nil, true},
		{[]string{"border-security"}, []string{"iraq", "syria"}, true},
		{[]string{"pkk"}, nil, true},
		{[]string{"terrorism"}, nil, false},
		{nil, []string{"yemen"}, false},
		{[]string{"border-security"}, []string{"yemen"}, false},
	}
	for _, tt := range tests {
		if got := tags.Matches(tt.topics, tt.regions); got != tt.want {
			t.Errorf("Matches(%v, %v) = %v, want %v", tt.topics, tt.regions, got, tt.want)
		}
	}
	if got := MaxSeverity("low", "", "high", "medium"); got != "high" {
		t.Errorf("MaxSeverity = %q", got)
	}
	if got := MaxSeverity(); got != "" {
		t.Errorf("MaxSeverity() = %q", got)
	}
}

func TestArabicVerbForms(t *testing.T) {
	m := newMatcher()
	m.verbs = true
	m.add("قصف", 1)
	m.add("استهداف", 2)
	names := newMatcher()
	names.add("عز", 3)
	tests := []struct {
		text string
		m    *matcher
		want []int32
	}{
		{"طائرات تقصف مواقع", m, []int32{1}},
		{"ويقصف الجيش", m, []int32{1}},
		{"بعد استهدافها أمس", m, []int32{2}},
		{"مدينة تعز", names, nil}, // names are not stripped of verb prefixes
	}
	for _, tt := range tests {
		var got []int32
		tt.m.scan(tokenize(tt.text, nil), func(id int32, _, _ int) { got = append(got, id) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("scan(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// checkRegions fails the test when got lacks a region of want or holds one of not.
func checkRegions(t *testing.T, title string, got, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("Tag(%q).Regions = %v, want %q", title, got, w)
		}
	}
	for _, w := range not {
		if slices.Contains(got, w) {
			t.Errorf("Tag(%q).Regions = %v, must not contain %q", title, got, w)
		}
	}
}

// Abbreviations written with dots name the same group as without: "At the U.N." is the UN.
func TestDottedAbbreviations(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"At the U.N., allies condemn the raid", "At the UN, allies condemn the raid"} {
		a := analyzeN(tg.g, Doc{Title: title}, clusterScan)
		found := false
		for _, m := range a.titleMents {
			if tg.g.entities[m.ent].key == "g:un" {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: the UN not recognised", title)
		}
	}
}
