package topics

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestWorldRegions checks that names from the generated world table tag their countries, in the
// languages of the feeds sitrep reads, and that the hand-made regions keep their slugs.
func TestWorldRegions(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, title, text string
		want, not         []string
	}{
		{"english", "Explosions heard in Venezuela as tensions rise", "", []string{"venezuela"}, nil},
		{"capital", "Blackout hits Caracas after blasts", "", []string{"venezuela"}, nil},
		{"cldr short name", "North Korea fires ballistic missiles", "", []string{"north-korea"}, []string{"south-korea"}},
		{"slug by the guide", "Clashes in eastern DR Congo displace thousands", "", []string{"democratic-republic-of-the-congo"}, nil},
		{"ivory coast", "Côte d'Ivoire holds run-off vote", "", []string{"ivory-coast"}, nil},
		{"state names its country", "Floods hit Queensland towns", "", []string{"australia"}, nil},
		{"urdu", "امریکہ نے وینزویلا پر حملہ کیا", "", []string{"united-states"}, nil},
		{"arabic", "غارات أمريكية على فنزويلا", "", []string{"venezuela"}, nil},
		{"arabic nisba", "الجيش الفنزويلي في حالة تأهب", "", []string{"venezuela"}, nil},
		{"persian", "حمله آمریکا به ونزوئلا", "", []string{"venezuela"}, nil},
		{"turkish suffix after apostrophe", "ABD'den Venezuela'ya saldırı", "", []string{"venezuela"}, nil},
		{"polish genitive", "Rząd Wenezueli wskazuje cel ataku", "", []string{"venezuela"}, nil},
		{"polish accusative", "Atak USA na Wenezuelę", "", []string{"venezuela", "united-states"}, nil},
		{"polish plural genitive", "Prezydent Stanów Zjednoczonych zabrał głos", "", []string{"united-states"}, nil},
		{"polish adjective", "Rosyjski tankowiec osiadł na mieliźnie", "", []string{"russia"}, nil},
		{"french", "La Corée du Nord tire des missiles", "", []string{"north-korea"}, nil},
		{"hand region kept", "Drone strike near Erbil", "", []string{"kurdistan-region", "iraq"}, nil},
		{"sea", "Tanker struck in the Black Sea", "", []string{"black-sea"}, nil},
		{"english demonym the datasets share", "Dutch police raid a port warehouse", "", []string{"netherlands"}, []string{"aruba"}},
		{"english demonym of the larger congo", "Congolese army retakes a town", "", []string{"democratic-republic-of-the-congo"}, []string{"republic-of-the-congo"}},
		{"english demonym the datasets lack", "Norwegian navy tracks a submarine", "", []string{"norway"}, nil},
		{"hormuz is the persian gulf, within gulf", "Tanker seized in the Strait of Hormuz", "", []string{"persian-gulf", "gulf"}, nil},
		{"turkish abbreviation", "ABD her şeyi önceden planlamış! Füze fırlatıldı", "", []string{"united-states"}, nil},
		{"turkish demonym", "Çinli hackerlar bakanlığa saldırdı", "", []string{"china"}, nil},
		{"turkish gaza", "İsrail Gazze'ye saldırdı", "", []string{"israel", "palestine"}, nil},
		{"persian province", "بازداشت مدیر کل غله استان گلستان", "", []string{"iran"}, nil},
		{"persian city", "دستگیری عاملین تیراندازی در خرم آباد", "", []string{"iran"}, nil},
		{"persian istanbul", "انفجار در میدان تقسیم استانبول", "", []string{"turkey"}, []string{"iran"}},
		{"urdu city", "کراچی میں دھماکہ، تین افراد ہلاک", "", []string{"pakistan"}, nil},
		{"urdu cities", "پشاور اور کوئٹہ میں سکیورٹی سخت", "", []string{"pakistan"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tg.Tag(Doc{Title: tt.title, Text: tt.text}).Regions
			checkRegions(t, tt.title, got, tt.want, tt.not)
		})
	}
}

// TestWorldAmbiguousNames checks names that are also words or people's names.
func TestWorldAmbiguousNames(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, title string
		want, not   []string
	}{
		{"jordan the person", "Michael Jordan's sneakers sell for a record price", nil, []string{"jordan"}},
		{"jordan the person, name first", "Jordan Bardella leads the polls in France", []string{"france"}, []string{"jordan"}},
		{"jordan the country", "Jordan shuts its border crossing with Syria", []string{"jordan"}, nil},
		{"jordan after a preposition", "Refugees return from Jordan to Syria", []string{"jordan", "syria"}, nil},
		{"jordan after a place", "Talks in Amman, Jordan end without a deal", []string{"jordan"}, nil},
		{"jordan in a title-case headline", "Jordan Shuts Its Border Crossing With Syria", []string{"jordan"}, nil},
		{"chad the person", "Chad Daybell was sentenced to death by a court in Idaho", []string{"united-states"}, []string{"chad"}},
		{"chad the country", "Chad closes its border with Sudan", []string{"chad", "sudan"}, nil},
		{"turkey the bird", "How to roast a turkey for the holidays", nil, []string{"turkey"}},
		{"china the porcelain", "Collectors bid on fine china at auction", nil, []string{"china"}},
		{"guinea pig", "Guinea pigs make good pets, vets say", nil, []string{"guinea"}},
		{"state inside a compound name", "Fire at a bar in Crans-Montana kills dozens", nil, []string{"united-states"}},
		{"capital that is a word", "Victoria wins the final in Melbourne", []string{"australia"}, []string{"seychelles"}},
		{"arabic financial is not mali", "أزمة مالية في لبنان", []string{"lebanon"}, []string{"mali"}},
		{"persian financial is not mali", "گردش مالی روزانه یک میلیارد تومانی", nil, []string{"mali"}},
		{"persian germany keeps its alef", "سفر وزیر خارجه به آلمان", []string{"germany"}, nil},
		{"persian 'to stay' is not german", "باید اینجا بمانی", nil, []string{"germany"}},
		{"arabic germany after a clitic", "وصل الوفد بألمانيا", []string{"germany"}, nil},
		{"soleimani is not sulaymaniyah", "سالگرد شهادت سردار سلیمانی", []string{"iran"}, []string{"kurdistan-region"}},
		{"polish dishes are not denmark", "Najlepsze dania na święta", nil, []string{"denmark"}},
		{"no country inside a word", "Chadwick Boseman film returns to cinemas", nil, []string{"chad"}},
		{"the weapon is not grenada", "Grenade attack on police station in Kenya", []string{"kenya"}, []string{"grenada"}},
		{"the sport is not thailand", "Muay thai champion retires", nil, []string{"thailand"}},
		{"turkish morning is not sabah", "Bir sabah kalkıyorsunuz", nil, []string{"malaysia"}},
		{"turkish acceptance is not kabul", "Bu teklif kabul edilmez", nil, []string{"afghanistan"}},
		{"the convention is not geneva", "Strikes on hospitals breach the Geneva Convention", nil, []string{"switzerland"}},
		{"mali the country", "Army base attacked in central Mali", []string{"mali"}, nil},
		{"an island is not iceland", "Oil spill reaches the coast of Qeshm Island", []string{"iran"}, []string{"iceland"}},
		{"persian lunar is not comoros", "مراسم ماه محرم طبق تقویم قمری در کربلا", []string{"iraq"}, []string{"comoros"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tg.Tag(Doc{Title: tt.title}).Regions
			checkRegions(t, tt.title, got, tt.want, tt.not)
		})
	}
}

// TestPlacementInPassing checks that places named in passing are left out and the places an
// item is about are kept.
func TestPlacementInPassing(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, title, text string
		want, not         []string
	}{
		{"backed", "Saudi-backed forces advance in southern Yemen", "", []string{"yemen"}, []string{"saudi-arabia"}},
		{"pro", "Pro-Palestinian activists rally outside parliament in London", "", []string{"united-kingdom"}, []string{"palestine"}},
		{"demonym far down", "Parliament passes the budget in Warsaw",
			"The vote came after a long night. Lawmakers argued over taxes. An American economist was quoted by one party.",
			[]string{"poland"}, []string{"united-states"}},
		{"named twice further down", "Talks stall",
			"Negotiators met again on Monday. Ukraine said the offer was not enough. Ukraine will answer next week.",
			[]string{"ukraine"}, nil},
		{"reacting countries", "Chile and Peru condemn the coup in Bolivia",
			"Soldiers took the presidential palace in La Paz overnight.", []string{"bolivia"}, []string{"chile", "peru"}},
		{"trailing clause", "Bolivia's parliament elects a new speaker amid Chile talks",
			"Lawmakers in La Paz voted on Tuesday. Bolivia's opposition walked out. The Bolivian vote ends a long crisis.",
			[]string{"bolivia"}, []string{"chile"}},
		{"reacting country alone", "Chile condemns the new mining law", "", []string{"chile"}, nil},
		{"feed trailer is not a mention", "Rabbis share their wardrobe on a new account",
			"A lifestyle account shows clergy fashion. The post Rabbis share their wardrobe appeared first on The Times of Israel.",
			nil, []string{"israel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tg.Tag(Doc{Title: tt.title, Text: tt.text}).Regions
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Regions = %v, want %q", got, w)
				}
			}
			for _, w := range tt.not {
				if slices.Contains(got, w) {
					t.Errorf("Regions = %v, must not contain %q", got, w)
				}
			}
		})
	}
}

// TestRegionsDocumented checks that docs/regions.md lists every region slug.
func TestRegionsDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/regions.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	rs := Regions()
	if len(rs) < 240 {
		t.Fatalf("only %d regions: the world table is not loaded", len(rs))
	}
	for _, r := range rs {
		if !strings.Contains(doc, "| `"+r.Slug+"` |") {
			t.Errorf("docs/regions.md does not list %q", r.Slug)
		}
	}
}

// TestGazetteerReopen checks that a later gazetteer file adds names to a region of an earlier
// one and that a region cannot be declared twice in one file.
func TestGazetteerReopen(t *testing.T) {
	g, err := loadGazetteer("data/gazetteer.txt", "data/world.txt")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.Join(regionSlugs(), " "), "iraq "); n != 1 {
		t.Errorf("iraq declared %d times", n)
	}
	// "Irak" (Turkish, Polish, German...) comes from world.txt and names the hand-made region.
	if got := LookupRegions("Irak"); !slices.Equal(got, []string{"iraq"}) {
		t.Errorf("LookupRegions(Irak) = %v", got)
	}
	if _, ok := g.regionIdx["iraq"]; !ok {
		t.Error("iraq missing")
	}
}
