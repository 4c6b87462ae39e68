package topics

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func TestClustererSameEventAcrossOutlets(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	docs := []Doc{
		{ID: "a1", Source: "Rudaw", Published: t0, Title: "Turkish drone strike kills three PKK fighters near Sidakan",
			Text: "A Turkish drone strike on Monday killed three PKK fighters in a vehicle near Sidakan in the Kurdistan Region's Soran district, local officials said."},
		{ID: "a2", Source: "Kurdistan24", Published: t0.Add(2 * time.Hour), Title: "Three killed in Turkish drone attack in Sidakan",
			Text: "Three members of the Kurdistan Workers' Party (PKK) were killed when a Turkish drone struck their car in Sidakan on Monday, the mayor told reporters."},
		{ID: "a3", Source: "Shafaq News", Published: t0.Add(3 * time.Hour), Title: "مقتل ثلاثة من عناصر حزب العمال الكردستاني بقصف تركي في سيدكان",
			Text: "أفاد مصدر أمني يوم الاثنين بمقتل ثلاثة من عناصر حزب العمال الكردستاني بضربة طائرة مسيرة تركية استهدفت سيارتهم في ناحية سيدكان بإقليم كوردستان."},
		// A different event: an agreement signed in Baghdad the same day.
		{ID: "b1", Source: "Rudaw", Published: t0.Add(time.Hour), Title: "Iraq and Jordan sign electricity interconnection deal",
			Text: "Iraq and Jordan signed an agreement in Baghdad on Monday to link their power grids, the electricity ministry said."},
		// Same kind of event in the same place, four days later: a new story.
		{ID: "c1", Source: "Rudaw", Published: t0.Add(50 * time.Hour), Title: "Turkish drone strike hits vehicle near Sidakan, two wounded",
			Text: "A Turkish drone struck a vehicle near Sidakan on Wednesday, wounding two people, officials said."},
	}
	c := NewClusterer(0)
	got := map[string]string{}
	for _, d := range docs {
		got[d.ID] = c.Add(d, tg.Tag(d), "")
	}
	if got["a1"] != got["a2"] || got["a1"] != got["a3"] {
		t.Errorf("reports of one strike in stories %s %s %s, want one", got["a1"], got["a2"], got["a3"])
	}
	if got["b1"] == got["a1"] {
		t.Error("the electricity deal joined the drone strike story")
	}
	if got["c1"] == got["a1"] {
		t.Error("a strike two days later joined the first strike's story")
	}
	if got["a1"] != storyIDFor("a1") || len(got["a1"]) != 11 {
		t.Errorf("story id %q, want %q", got["a1"], storyIDFor("a1"))
	}
	// Adding a known doc again returns its story.
	if s := c.Add(docs[1], Tags{}, ""); s != got["a1"] {
		t.Errorf("re-adding a2 gave %s, want %s", s, got["a1"])
	}
}

func TestClustererRegisterAndPrune(t *testing.T) {
	c := NewClusterer(24 * time.Hour)
	d1 := Doc{ID: "x1", Published: t0, Title: "Houthi missile hits tanker in Red Sea", Text: "A Houthi missile struck an oil tanker off Hodeidah."}
	if s := c.Add(d1, Tags{}, "sstored0001"); s != "sstored0001" {
		t.Fatalf("Add with storyID = %s", s)
	}
	d2 := Doc{ID: "x2", Published: t0.Add(time.Hour), Title: "Houthi missile strikes oil tanker off Hodeidah", Text: "The Houthis said their missile hit an oil tanker in the Red Sea off Hodeidah."}
	if s := c.Add(d2, Tags{}, ""); s != "sstored0001" {
		t.Errorf("follow-up report got story %s, want the registered sstored0001", s)
	}
	// Outside the window: a new story.
	d3 := d2
	d3.ID, d3.Published = "x3", t0.Add(30*time.Hour)
	if s := c.Add(d3, Tags{}, ""); s == "sstored0001" {
		t.Error("a report outside the window joined the story")
	}
	c.Prune(t0.Add(2 * time.Hour))
	if docs, stories := c.Len(); docs != 1 || stories != 1 {
		t.Errorf("after Prune: %d docs, %d stories, want 1 and 1", docs, stories)
	}
	// A pruned doc can come back and starts over.
	if s := c.Add(d1, Tags{}, ""); s == "" {
		t.Error("empty story id")
	}
}

func TestClustererAutoPrune(t *testing.T) {
	c := NewClusterer(time.Hour)
	for i := 0; i < autoPruneEvery; i++ {
		d := Doc{ID: fmt.Sprintf("d%d", i), Title: fmt.Sprintf("Report number %d about village %d", i, i), Published: t0.Add(time.Duration(i) * time.Minute)}
		c.Add(d, Tags{}, "")
	}
	docs, _ := c.Len()
	// Docs more than three hours older than the newest are gone.
	if docs > 3*60+1 {
		t.Errorf("after %d adds %d docs remain, want at most %d", autoPruneEvery, docs, 3*60+1)
	}
}

func TestClustererConcurrent(t *testing.T) {
	tg, err := NewTagger([]UserTopic{{Name: "pkk", Query: "PKK"}})
	if err != nil {
		t.Fatal(err)
	}
	c := NewClusterer(0)
	docs := syntheticDocs(400)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(docs); i += 4 {
				c.Add(docs[i], tg.Tag(docs[i]), "")
				if i%100 == 0 {
					c.Prune(t0.Add(-30 * 24 * time.Hour))
				}
			}
		}(w)
	}
	wg.Wait()
	if n, _ := c.Len(); n != len(docs) {
		t.Errorf("%d docs held, want %d", n, len(docs))
	}
}

func TestClustererStoryInfo(t *testing.T) {
	c := NewClusterer(0)
	d1 := Doc{ID: "k1", Published: t0, Title: "Car bomb kills five in Kirkuk market", Text: "A car bomb exploded in a crowded market in central Kirkuk, killing five people, police said."}
	d2 := Doc{ID: "k2", Published: t0.Add(3 * time.Hour), Title: "Kirkuk market car bomb death toll rises to nine", Text: "The toll from the car bomb in a Kirkuk market rose to nine, health officials said."}
	s1 := c.Add(d1, Tags{Regions: []string{"iraq"}, Topics: []string{"terrorism"}, Severity: SeverityMedium}, "")
	s2 := c.Add(d2, Tags{Regions: []string{"iraq", "kurdistan-region"}, Topics: []string{"armed-conflict", "terrorism"}, Severity: SeverityHigh}, "")
	if s1 != s2 {
		t.Fatalf("follow-up report in story %s, want %s", s2, s1)
	}
	info, ok := c.Story(s1)
	if !ok {
		t.Fatal("Story: not found")
	}
	if info.Docs != 2 || info.Severity != SeverityHigh || !slices.Equal(info.Regions, []string{"iraq", "kurdistan-region"}) ||
		!slices.Equal(info.Topics, []string{"armed-conflict", "terrorism"}) || !info.First.Equal(t0) || !info.Last.Equal(t0.Add(3*time.Hour)) {
		t.Errorf("Story = %+v", info)
	}
	if _, ok := c.Story("snope"); ok {
		t.Error("Story found an unknown id")
	}
	c.Prune(t0.Add(24 * time.Hour))
	if _, ok := c.Story(s1); ok {
		t.Error("Story still held after its docs were pruned")
	}
}

// One outlet's house style (a recurring headline template, its usual places) makes its reports
// look alike: two of them count as less alike than the same two reports from two outlets.
func TestClustererSameOutletDamped(t *testing.T) {
	a := &cdoc{id: "a", t: t0.UnixNano(), src: "Daily Herald"}
	b := &cdoc{id: "b", t: t0.Add(time.Hour).UnixNano(), src: "Daily Herald"}
	other := *b
	other.src = "Evening Post"
	c := NewClusterer(0)
	same, cross := c.damping(a, b), c.damping(a, &other)
	if same >= cross {
		t.Errorf("damping of one outlet's reports %.3f, of two outlets' %.3f: want the first lower", same, cross)
	}
	unknown := *a
	unknown.src = ""
	other.src = ""
	if c.damping(&unknown, &other) != cross {
		t.Error("reports without a source damped as one outlet's")
	}
}

// A headline that names a proceeding (a trial, an investigation) the other does not reports a
// later event of its own: the pair counts as less alike; two headlines naming it do not.
func TestClustererProceedingMismatchDamped(t *testing.T) {
	const fire, probe = 1, 2
	mk := func(id string, concepts ...int32) *cdoc {
		d := &cdoc{id: id, t: t0.UnixNano()}
		d.f.concepts = concepts
		if slices.Contains(concepts, probe) {
			d.f.proceedings = []int32{probe}
		}
		return d
	}
	atProbe := func(d *cdoc) *cdoc { d.f.leadProcs = []int32{probe}; return d }
	c := NewClusterer(0)
	base := c.damping(mk("a", fire), mk("b", fire))
	for _, tc := range []struct {
		name   string
		a, b   *cdoc
		damped bool
	}{
		{"investigation vs the fire", mk("a", fire, probe), mk("b", fire), true},
		{"the fire vs investigation", mk("a", fire), mk("b", fire, probe), true},
		{"both name the investigation", mk("a", fire, probe), mk("b", fire, probe), false},
		{"the other's lead is set at the investigation", mk("a", fire, probe), atProbe(mk("b", fire)), false},
	} {
		if got := c.damping(tc.a, tc.b) < base; got != tc.damped {
			t.Errorf("%s: damped = %v, want %v", tc.name, got, tc.damped)
		}
	}
}

// One outlet's follow-up of an event it reported (a port few reports name, in both) is not damped
// as house style: only one outlet's reports that share no rare place or group are.
func TestClustererSameOutletFollowUp(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	docs := []Doc{
		{ID: "f1", Source: "Harbour Post", Published: t0, Title: "Houthis claim missile attack on tanker off Hodeidah",
			Text: "The Houthis said they fired a missile at an oil tanker off the port of Hodeidah on Tuesday."},
		{ID: "f2", Source: "Harbour Post", Published: t0.Add(3 * time.Hour), Title: "Vessel struck west of Hodeidah; crew safe, agency says",
			Text: "A vessel was hit west of the port of Hodeidah, a maritime security agency said."},
		{ID: "g1", Source: "Harbour Post", Published: t0.Add(time.Hour), Title: "New novel in translation reaches the capital's bookstores",
			Text: "A translation of the novel has been published by a publishing house in the capital."},
		{ID: "g2", Source: "Harbour Post", Published: t0.Add(2 * time.Hour), Title: "Second novel in translation at the capital's bookstores",
			Text: "Another translated novel has been published by a publishing house in the capital."},
	}
	tags := tagDocs(tg, docs)
	c := NewClusterer(0)
	c.AddBatch(docs, tags)
	ratio := func(a, b string) float64 {
		x, y := c.docs[a], c.docs[b]
		c.prefix(y)
		same := c.damping(y, x)
		other := *x
		other.src = "Evening Post"
		return same / c.damping(y, &other)
	}
	if r := ratio("f1", "f2"); r != 1 {
		t.Errorf("follow-up naming the same port: one outlet's pair damped by %.2f, want 1", r)
	}
	if r := ratio("g1", "g2"); r >= 1 {
		t.Errorf("one outlet's two book notices: damped by %.2f, want below 1", r)
	}
}

// Shared names alone are not one event: an opinion piece whose lead names the president and the
// White House does not join the story of the press secretary leaving, which two outlets report.
func TestClustererSharedNamesNotEnough(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	docs := []Doc{
		{ID: "p1", Source: "World Desk", Published: t0, Title: "Trump says White House press secretary Karoline Leavitt to leave post",
			Text: "Leavitt will step down to spend time with her young family, the president said."},
		{ID: "p2", Source: "Gulf Wire", Published: t0.Add(6 * time.Hour), Title: "Leavitt to leave as White House press secretary",
			Text: "Karoline Leavitt has announced that she will step down as White House press secretary."},
		{ID: "o1", Source: "Tehran Daily", Published: t0.Add(9 * time.Hour), Title: "The escape van; when Trump gets stuck in Iran's swamp",
			Text: "US President Donald Trump left on a secret military flight last month while the White House said he was flying aboard Air Force One, in a remarkable ruse."},
	}
	tags := tagDocs(tg, docs)
	got := NewClusterer(0).AddBatch(docs, tags)
	if got["p1"] != got["p2"] {
		t.Errorf("the two reports of the press secretary leaving in stories %s and %s, want one", got["p1"], got["p2"])
	}
	if got["o1"] == got["p1"] {
		t.Error("the opinion piece naming the president and the White House joined the press secretary's story")
	}
}

// Two reports of one outlet whose leads share the setting (a commemoration, a leader's words) but
// whose headlines share nothing report two statements, not one event; a headline that shares a
// name with the other keeps them together.
func TestClustererHeadlinesShareNothing(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	lead := "At a ceremony in the capital marking the anniversary of the martyrdom of the commanders, officials praised the resistance and vowed to confront the enemy."
	run := func(second string) bool {
		docs := []Doc{
			{ID: "a", Source: "Capital Daily", Published: t0, Title: "We will not back down against the enemy: Leader", Text: lead},
			{ID: "b", Source: "Capital Daily", Published: t0.Add(3 * time.Hour), Title: second, Text: lead},
		}
		tags := []Tags{tg.Tag(docs[0]), tg.Tag(docs[1])}
		got := NewClusterer(0).AddBatch(docs, tags)
		return got["a"] == got["b"]
	}
	if run("Hakim: Sacrifice of martyrs played a pivotal role in liberation") {
		t.Error("two statements whose headlines share nothing were grouped as one event")
	}
	if !run("Leader vows no retreat against the enemy") {
		t.Error("two reports of one statement whose headlines share words were split")
	}
}

// A report that says next to nothing ("Here's the latest." with no text, a live page's recurring
// entry) cannot tell which event it reports, however alike two of them look.
func TestClustererTooLittleToTell(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	docs := []Doc{
		{ID: "a", Source: "World Desk", Published: t0, Title: "Here's the latest."},
		{ID: "b", Source: "World Desk", Published: t0.Add(4 * time.Hour), Title: "Here's the latest."},
	}
	tags := []Tags{tg.Tag(docs[0]), tg.Tag(docs[1])}
	got := NewClusterer(0).AddBatch(docs, tags)
	if got["a"] == got["b"] {
		t.Error("two contentless live-page entries were grouped as one event")
	}
}

func TestExplains(t *testing.T) {
	tests := []struct {
		title, text string
		want        bool
	}{
		{"Ousted leader flown to New York – podcast", "The president was captured and flown out.", true},
		{"Border talks stall again | Opinion", "", true},
		{"Opinion: the border deal will not last", "", true},
		{"Leader to the oil firms: see you soon", "The paper's Cartoon of the Day by its editorial cartoonist.", true},
		{"Regime change, again", "An op-ed by a former envoy on the raid.", true},
		{"Tanks enter the town", "A column of tanks entered the town at dawn, residents said.", false},
		{"Poll shows support for the deal", "Public opinion has shifted since the talks began.", false},
		{"Cartoonist freed after two years in prison", "", false},
		{"Why support for the strikers runs deep in Belfast", "", true},
		{"How the winter storms hit the camps", "", true},
		{"‘What next?’ Residents count the cost", "", true},
		{"Who is the new interim leader?", "", true},
		{"Jakie dalsze losy kraju?", "", true},
		{"ما الذي يحدث في المدينة؟", "", true},
		{"Explainer: the border deal", "", true},
		{"Jailed activist ends 60-day hunger strike", "", false},
		{"Whoever wins, the talks go on", "", false},
		{"Storm hits camps; how many displaced is unclear", "", false},
	}
	for _, tt := range tests {
		if got := explains(tt.title, tt.text); got != tt.want {
			t.Errorf("explains(%q, %q) = %v, want %v", tt.title, tt.text, got, tt.want)
		}
	}
}

// A feature (a headline that asks or explains) resembles the news of its subject without
// reporting an event of it: the pair is damped by kindMismatch.
func TestClustererFeatureVersusReportDamped(t *testing.T) {
	c := NewClusterer(0)
	at := time.Date(2026, 1, 4, 10, 0, 0, 0, time.UTC)
	mk := func(id, title string) *cdoc {
		return &cdoc{id: id, t: at.UnixNano(), asks: explains(title, "")}
	}
	news := mk("a", "Jailed activist ends 60-day hunger strike")
	news2 := mk("b", "Activist ends hunger strike after 60 days")
	feature := mk("c", "Why support for the hunger strikers runs deep")
	same, mixed := c.damping(news, news2), c.damping(news, feature)
	if math.Abs(mixed-same*kindMismatch) > 1e-12 {
		t.Errorf("damping report/feature = %v, want %v × %v", mixed, same, kindMismatch)
	}
	if got := c.damping(feature, mk("d", "How the strikers won support")); got != same {
		t.Errorf("damping feature/feature = %v, want %v", got, same)
	}
}

// Reports in one language that name the same place but share too little wording report
// different events of that place; the same place in the same words is one event.
func TestClustererSamePlaceOtherWords(t *testing.T) {
	at := time.Date(2026, 1, 4, 10, 0, 0, 0, time.UTC)
	first := Doc{ID: "a", Title: "Heavy rain floods tents across Gaza as temperatures drop",
		Text: "Families in Gaza woke to flooded tents after a night of heavy rain and freezing winds.", Published: at}
	tests := []struct {
		name  string
		doc   Doc
		alike bool
	}{
		{"other words", Doc{ID: "b", Title: "Charity may halt Gaza operations over permit rules",
			Text: "The medical charity said new registration rules could force it to stop work in Gaza by March.", Published: at.Add(time.Hour)}, false},
		{"same words", Doc{ID: "c", Title: "Heavy rain floods tents in Gaza, temperatures drop",
			Text: "Families woke to flooded tents in Gaza after heavy rain and freezing winds overnight.", Published: at.Add(time.Hour)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewClusterer(0)
			c.AddBatch([]Doc{first}, nil)
			c.mu.Lock()
			defer c.mu.Unlock()
			cd := c.insert(tt.doc, Tags{})
			c.prefix(cd)
			w := c.weights(cd, nil)
			s := c.likeness(cd, w, c.docs["a"])
			if (s > 0) != tt.alike {
				t.Errorf("likeness = %.3f, want alike %v", s, tt.alike)
			}
		})
	}
}

// Reports of one earthquake from several outlets word it differently (rescues, a hospital, the
// toll, condolences) yet all name a singular kind of event and its country in the headline: one
// story. An earthquake elsewhere, and a flood in the same country, are other events.
func TestClustererSingularEventKey(t *testing.T) {
	at := time.Date(2026, 8, 12, 6, 0, 0, 0, time.UTC)
	docs := []Doc{
		{ID: "a1", Source: "outlet-a", Published: at, Title: "Part of children’s hospital collapses in Colombia earthquake",
			Text: "Security camera footage captured the moment a wing of the paediatric hospital in Cali gave way after the tremor."},
		{ID: "b1", Source: "outlet-b", Published: at.Add(5 * time.Hour), Title: "Woman pulled alive from rubble 36 hours after Colombia quake",
			Text: "Emergency workers freed a 32-year-old woman from beneath a concrete slab, the civil defence said on Thursday."},
		{ID: "c1", Source: "outlet-c", Published: at.Add(9 * time.Hour), Title: "Tehran expresses sympathy over deadly earthquake in Colombia",
			Text: "The foreign ministry spokesman offered condolences to the families of the victims and the government in Bogota."},
		{ID: "a2", Source: "outlet-a", Published: at.Add(12 * time.Hour), Title: "Search efforts in Colombia enter ‘final phase’ as quake toll reaches 265",
			Text: "The president promised funds to rebuild destroyed schools as rescuers said hopes of finding survivors were fading."},
		{ID: "x1", Source: "outlet-b", Published: at.Add(6 * time.Hour), Title: "Strong earthquake shakes central Chile, no damage reported",
			Text: "Residents of Santiago ran into the streets as buildings swayed; officials said no one was hurt."},
		{ID: "x2", Source: "outlet-c", Published: at.Add(8 * time.Hour), Title: "Floods in Colombia's north force thousands from homes",
			Text: "Rivers burst their banks in Cordoba province after a week of heavy rain, emergency officials said."},
	}
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tags := tagDocs(tg, docs)
	got := NewClusterer(0).AddBatch(docs, tags)
	for _, id := range []string{"b1", "c1", "a2"} {
		if got[id] != got["a1"] {
			t.Errorf("%s in story %s, want the earthquake's %s", id, got[id], got["a1"])
		}
	}
	for _, id := range []string{"x1", "x2"} {
		if got[id] == got["a1"] {
			t.Errorf("%s joined the Colombia earthquake", id)
		}
	}
}

// tagDocs tags each doc with tg, in order.
func tagDocs(tg *Tagger, docs []Doc) []Tags {
	tags := make([]Tags, len(docs))
	for i, d := range docs {
		tags[i] = tg.Tag(d)
	}
	return tags
}

func TestCountsConflict(t *testing.T) {
	g, r, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	counts := func(title string) docFeatures {
		return extractFeatures(g, r, analyze(g, Doc{Title: title}))
	}
	tests := []struct {
		a, b     string
		conflict bool
	}{
		{"3 killed in strike on market", "55 killed in strike on market", true},
		{"One person killed in attack on convoy in Idlib", "Warplanes hit market in Idlib, kill 15", true},
		{"1 dead in attack on convoy", "15 dead in attack on convoy", true},
		{"One year on, 15 still missing after flood", "15 missing after flood", false},
		{"One of the victims named as teacher", "3 victims named", false}, // "one of" counts nothing
		{"Two dead in strike on south Lebanon", "Strike kills 2 in Lebanon", false},
		{"114 killed in week of attacks in Darfur", "Over 100 civilians killed in Darfur clashes", false},
		{"At least 10 killed in protests", "12 killed in protests", false},
		{"At least 10 killed in protests", "8 killed in protests", true},
		{"Nearly 100 dead after ferry sinks", "96 dead after ferry sinks", false},
		{"More than 40 hurt in crash", "45 hurt in crash", false},
		{"Toll rises to 40 in floods", "45 dead in floods", true},
		{"Up to 20 missing after landslide", "18 missing after landslide", false},
		{"10 of the 40 hostages freed", "45 hostages freed", true}, // "of the" makes no bound
		{"مقتل أكثر من 100 في دارفور", "مقتل 114 في دارفور", false},
		{"کشته شدن بیش از 100 نفر", "کشته شدن 114 نفر", false},
		{"Ponad 30 ofiar ataku", "32 ofiary ataku", false},
		{"Floods kill 40", "Floods hit the north", false}, // one headline gives no count
	}
	for _, tt := range tests {
		a, b := counts(tt.a), counts(tt.b)
		if got := countsConflict(&a, &b); got != tt.conflict {
			t.Errorf("countsConflict(%q, %q) = %v, want %v (counts %v %v / %v %v)", tt.a, tt.b, got, tt.conflict, a.nums, a.numKinds, b.nums, b.numKinds)
		}
	}
}
