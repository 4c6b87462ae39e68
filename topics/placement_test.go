package topics

import "testing"

// TestPlacementRoles checks the parts of the placement rule that tell the place where an event
// happens from states that react to it, people's nationalities and places named in passing.
func TestPlacementRoles(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, title, text string
		want, not         []string
	}{
		{"reacting states listed", "Algeria, Tunisia denounce attack on army base in Mali", "",
			[]string{"mali"}, []string{"algeria", "tunisia"}},
		{"reacting states joined by and", "Chile and Peru condemn the coup in Bolivia", "",
			[]string{"bolivia"}, []string{"chile", "peru"}},
		{"arabic reacting states, verb first", "نددت روسيا والصين بالضربة على فنزويلا", "",
			[]string{"venezuela"}, []string{"russia", "china"}},
		{"the state attacked is not a reactor", "Mali condemns attack on army base near Gao", "",
			[]string{"mali"}, nil},
		{"a person who ends the headline speaks", "Drone strike hit no civilians in Kherson, says Macron", "",
			[]string{"ukraine"}, []string{"france"}},
		{"a person's nationality", "Ghanaian student dies in Kenyan bus crash", "",
			[]string{"kenya"}, []string{"ghana"}},
		{"a person's nationality in polish", "Czeski turysta zginął w lawinie w Austrii", "",
			[]string{"austria"}, []string{"czechia"}},
		{"a state's troops act", "Clashes spread in southern Somalia",
			"Ethiopian troops opened fire near the border town, residents said.",
			[]string{"somalia", "ethiopia"}, nil},
		{"states listed before one force noun act", "Dutch, Belgian warplanes strike an arms depot in Libya",
			"The overnight strike hit a depot in Libya's desert, Libya's government said.",
			[]string{"netherlands", "belgium", "libya"}, nil},
		{"a state's aid worker does not", "Clashes spread in southern Somalia",
			"An Ethiopian aid worker said the clinic had closed.",
			[]string{"somalia"}, []string{"ethiopia"}},
		{"hand-made region's demonym in passing", "Bookstores in Tehran sell out of a new translation",
			"The novel by an American author was published in Persian this week.",
			[]string{"iran"}, []string{"united-states"}},
		{"mediator", "Syria and Israel resume US-mediated security talks", "",
			[]string{"syria", "israel"}, []string{"united-states"}},
		{"another country's congress", "Venezuela's congress swears in a new speaker", "",
			[]string{"venezuela"}, []string{"united-states"}},
		{"dateline and a demonym", "Vaccination campaign to reach a million children",
			"TEHRAN – Health workers will visit Iranian schools from Saturday, the ministry said.",
			[]string{"iran"}, nil},
		{"dateline alone is weak", "Vaccination campaign to reach a million children",
			"TEHRAN – Health workers will visit schools from Saturday, the ministry said.",
			nil, []string{"iran"}},
		{"dateline and domestic news", "Ports to be upgraded under the new plan",
			"TEHRAN – Three ports will be upgraded under the country's development plan, officials said.",
			[]string{"iran"}, nil},
		{"dateline and another country's news", "Digs show early settlers came by sea",
			"TEHRAN – Digs in Madagascar show the country's first settlers came by sea.",
			[]string{"madagascar"}, []string{"iran"}},
		{"polish frontline town", "Rosjanie atakują Pokrowsk", "", []string{"ukraine", "russia"}, nil},
		{"polish china", "Chiny ostrzegają Japonię", "", []string{"china"}, nil},
		{"group alone in a headline", "Hezbollah fighters withdraw", "", []string{"lebanon"}, nil},
		{"a leading clause is not a trailing one", "Days after floods in Chad, cholera spreads in refugee camps", "",
			[]string{"chad"}, nil},
		{"a club is not its city", "Real Madrid sign a new striker", "", nil, []string{"spain"}},
		{"a sea without a region of its own", "Missiles fall into the Sea of Japan", "", nil, []string{"japan"}},
		{"a country's embassy", "Airspace over Greece closed, Polish embassy says", "",
			[]string{"greece"}, []string{"poland"}},
		{"a third place in passing", "Kenya and Ethiopia sign border security pact",
			"The pact, signed in Nairobi on Monday, follows talks that Sudan observed.",
			[]string{"kenya", "ethiopia"}, []string{"sudan"}},
		{"a third place named in the headline", "Kenya and Uganda send troops to Mogadishu, Somalia",
			"Kenya will send 500 soldiers to the capital.",
			[]string{"kenya", "uganda", "somalia"}, nil},
		{"a third place as named as the others", "Kenya, Ethiopia and Somalia sign border security pact", "",
			[]string{"kenya", "ethiopia", "somalia"}, nil},
		{"a state that urges another is a party", "Kenya urges Ethiopia to pull its troops back from the border", "",
			[]string{"kenya", "ethiopia"}, nil},
		{"a state that urges calm reacts", "Kenya urges calm in Gabon after the coup", "",
			[]string{"gabon"}, []string{"kenya"}},
		{"a person who opens the headline before a colon speaks", "Macron: Ukraine needs more air defence before winter", "",
			[]string{"ukraine"}, []string{"france"}},
		{"a leading clause tells the background", "Weeks after Kenyan strikes in Somalia, militants retake a town", "",
			[]string{"somalia"}, []string{"kenya"}},
		{"a trailing clause keeps where it happened", "At least 30 die as a bus plunges into a ravine in Peru", "",
			[]string{"peru"}, nil},
		{"a leading clause keeps where it happened", "Hours after floods in Chad, aid convoys set off", "",
			[]string{"chad"}, nil},
		{"a demonym before a territory noun names the place", "Russian drones strike Odesa, debris falls on Romanian territory",
			"Russia launched forty drones at Odesa overnight, Ukraine's air force said.",
			[]string{"russia", "ukraine", "romania"}, nil},
		{"a demonym before another noun does not", "Russian drones strike Odesa, debris falls near Romanian farmers",
			"Russia launched forty drones at Odesa overnight, Ukraine's air force said.",
			[]string{"russia", "ukraine"}, []string{"romania"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tg.Tag(Doc{Title: tt.title, Text: tt.text}).Regions
			checkRegions(t, tt.title, got, tt.want, tt.not)
		})
	}
}

// TestHandDemonyms checks that a "demonym =" line of the hand-made gazetteer makes demonyms that
// are the region itself to everything but placement.
func TestHandDemonyms(t *testing.T) {
	g, _, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ word, key string }{{"Iraqi", "r:iraq"}, {"Israelis", "r:israel"}, {"الإيرانية", "r:iran"}} {
		ms := g.find(tokenize(tt.word, nil), nil)
		if len(ms) != 1 {
			t.Fatalf("%s: %d mentions", tt.word, len(ms))
		}
		e := g.entities[ms[0].ent]
		if e.key != tt.key || e.kind != kindRegion || e.role != roleDemonym {
			t.Errorf("%s: key %q kind %c role %c, want %q, a region's demonym", tt.word, e.key, e.kind, e.role, tt.key)
		}
	}
	if ms := g.find(tokenize("Iraq", nil), nil); len(ms) != 1 || g.entities[ms[0].ent].role != roleName {
		t.Error("Iraq is not the region's name")
	}
}
