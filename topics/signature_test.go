package topics

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// sigDoc is a report at hour h naming the given entities (actor entities start with "n:" or
// "g:") and headline concepts.
func sigDoc(id string, h int, ents []string, concepts ...int32) *cdoc {
	d := &cdoc{id: id, t: time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC).Add(time.Duration(h) * time.Hour).UnixNano()}
	for _, e := range ents {
		d.f.feats = append(d.f.feats, feat{h: hashKey(fEntity, e), kind: fEntity, w: 2, actor: e[:2] == "n:" || e[:2] == "g:"})
		d.f.sigKeys = append(d.f.sigKeys, hashKey(fEntity, e))
	}
	slices.Sort(d.f.sigKeys)
	slices.SortFunc(d.f.feats, func(a, b feat) int {
		switch {
		case a.h < b.h:
			return -1
		case a.h > b.h:
			return 1
		}
		return 0
	})
	d.f.concepts = concepts
	return d
}

// sigStoryOf makes a story of n reports from hour h0 on, all naming ents, the first k of them
// also with concept c in the headline.
func sigStoryOf(prefix string, h0, n int, ents []string, k int, c int32) *story {
	st := &story{}
	for i := range n {
		var cs []int32
		if i < k {
			cs = []int32{c}
		}
		st.join(sigDoc(fmt.Sprintf("%s%02d", prefix, i), h0+i, ents, cs...))
	}
	st.id = storyIDFor(st.members[0].id)
	return st
}

func TestSignature(t *testing.T) {
	event := []string{"n:leader", "r:country", "r:raider"}
	tests := []struct {
		name  string
		n     int
		ents  []string
		doc   []string
		names bool
	}{
		{"large story, report names all", 8, event, event, true},
		{"report names two of three", 8, event, event[:2], true},
		{"report names one of three", 8, event, event[:1], false},
		{"too small a story", sigMinDocs - 1, event, event, false},
		{"places only are a setting, not an event", 8, []string{"p:strip", "r:country"}, []string{"p:strip", "r:country"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := sigStoryOf("a", 0, tc.n, tc.ents, 0, 0)
			if got := st.namesSignature(sigDoc("new", tc.n+1, tc.doc)); got != tc.names {
				t.Errorf("namesSignature = %v, want %v (signature %v)", got, tc.names, st.signature())
			}
		})
	}
	st := sigStoryOf("a", 0, 10, event, 0, 0)
	late := int(sigAge/time.Hour) + 1
	if st.namesSignature(sigDoc("late2", late, event[:2])) {
		t.Error("a report naming two of three entities after the story's young days joined by signature")
	}
	if !st.namesSignature(sigDoc("late3", late, event)) {
		t.Error("a report naming every entity of the signature a little after the story's young days was kept out")
	}
	if st.namesSignature(sigDoc("later", int(sigAgeAll/time.Hour)+1, event)) {
		t.Error("a report after the story's longest age joined by signature")
	}
	court := sigDoc("court", 11, event, 7)
	court.f.proceedings = court.f.concepts
	if st.namesSignature(court) {
		t.Error("a report whose headline names a proceeding the story never names joined by signature")
	}
	if !st.namesSignature(sigDoc("protest", 11, event, 8)) {
		t.Error("a reaction whose headline names an aspect (protests) the story never named was kept out")
	}
}

func TestTypesConflict(t *testing.T) {
	ents := []string{"n:leader", "r:country"}
	raid := sigStoryOf("a", 0, 10, ents, 5, 1)  // half its headlines: a strike
	trial := sigStoryOf("b", 0, 10, ents, 5, 2) // half its headlines: a court
	more := sigStoryOf("c", 0, 10, ents, 2, 1)  // some strikes
	if !typesConflict(trial, raid) {
		t.Error("a trial story does not conflict with a raid story that never names a court")
	}
	if typesConflict(raid, more) || typesConflict(more, raid) {
		t.Error("two stories naming the same kind of event conflict")
	}
}

// A merge made by a report is undone when that report is assigned again: the stories are those
// before it, with the same story objects and ids.
func TestUnmergeRestores(t *testing.T) {
	ents := []string{"n:leader", "r:country", "r:raider"}
	c := NewClusterer(0)
	x := sigStoryOf("a", 0, 12, ents, 0, 0)
	y := sigStoryOf("b", 1, 9, ents, 0, 0)
	c.stories[x.id], c.stories[y.id] = x, y
	cause := sigDoc("z", 20, ents)
	y.join(cause)
	c.named = []*story{x, y}
	moved := map[string]string{}
	if got := c.mergeNamed(cause, y, nil, moved); got != x {
		t.Fatalf("merged into %v, want the story with the earliest report", got.id)
	}
	if len(x.members) != 22 || c.stories[y.id] != nil || len(moved) != 10 {
		t.Fatalf("after merge: %d members, y held %v, %d moved", len(x.members), c.stories[y.id] != nil, len(moved))
	}
	c.unmerge(cause, moved)
	if len(x.members) != 12 || c.stories[y.id] != y || len(y.members) != 10 || cause.story != y {
		t.Fatalf("after unmerge: x %d members, y %d members, y held %v", len(x.members), len(y.members), c.stories[y.id] == y)
	}
	if len(y.signature()) != 3 || !sameSet(x.signature(), y.signature()) {
		t.Errorf("signatures not recounted after unmerge: %v %v", x.signature(), y.signature())
	}
	if len(c.merges) != 0 {
		t.Errorf("%d merge records left", len(c.merges))
	}
}

// A small story most of whose reports name a large story's signature is a piece of it and merges
// into it when a report naming the signature joins it; when most do not, it stays apart.
func TestAbsorbPieces(t *testing.T) {
	ents := []string{"n:leader", "r:country", "r:raider"}
	tests := []struct {
		name  string
		piece [][]string // entities of the piece's reports before the cause
		at    int        // hour of the piece's first report (x's reports are at hours 5 to 14)
		asks  bool       // the piece's first report is a feature (see explains)
		merge bool
	}{
		{"every report names the signature", [][]string{ents[:2], ents[1:]}, 15, false, true},
		{"all but one report name it", [][]string{ents[:2], ents[:1], ents[1:]}, 15, false, true},
		{"most reports name one entity only", [][]string{ents[:1], ents[:1]}, 15, false, false},
		{"an early report of the event", [][]string{ents}, 2, false, true},
		{"a feature after the event's first report", [][]string{ents}, 15, true, true},
		{"a feature before the event's first report", [][]string{ents}, 2, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewClusterer(0)
			x := sigStoryOf("a", 5, 10, ents, 0, 0)
			y := &story{}
			for i, e := range tc.piece {
				d := sigDoc(fmt.Sprintf("b%d", i), tc.at+i, e)
				d.asks = tc.asks && i == 0
				y.join(d)
			}
			y.id = storyIDFor(y.members[0].id)
			c.stories[x.id], c.stories[y.id] = x, y
			cause := sigDoc("z", 20, ents)
			y.join(cause)
			x.rebuild()
			c.named = []*story{x}
			xFirst, yFirst := x.members[0], y.members[0]
			got := c.mergeNamed(cause, y, nil, map[string]string{})
			if merged := slices.Contains(got.members, xFirst) && slices.Contains(got.members, yFirst); merged != tc.merge {
				t.Errorf("merged = %v, want %v", merged, tc.merge)
			}
		})
	}
}

// A report whose headline names a proceeding (a hearing) that a large story's headlines rarely
// name reports a later event: it does not join that story even by resemblance, and a story of
// hearings conflicts with one that names them far less often.
func TestProceedings(t *testing.T) {
	ents := []string{"n:leader", "r:country"}
	const court = 7
	hearing := func(id string, h int) *cdoc {
		d := sigDoc(id, h, ents, court)
		d.f.proceedings = []int32{court}
		return d
	}
	raid := sigStoryOf("a", 0, 20, ents, 0, 0)
	if !raid.newProceeding(hearing("h", 21)) {
		t.Error("a hearing joins a raid story that never names one")
	}
	trial := &story{}
	for i := range 10 {
		if i < 6 {
			trial.join(hearing(fmt.Sprintf("t%d", i), i))
		} else {
			trial.join(sigDoc(fmt.Sprintf("t%d", i), i, ents))
		}
	}
	if trial.newProceeding(hearing("h", 11)) {
		t.Error("a hearing kept out of a story of hearings")
	}
	raid.join(hearing("preview", 22)) // one raid report mentions the hearing to come
	if !typesConflict(trial, raid) {
		t.Error("a story of hearings does not conflict with a raid story that names one once")
	}
	if typesConflict(trial, trial) {
		t.Error("a story conflicts with itself")
	}
}

// When a story grows to a size that is a power of two, the small stories around it all of whose
// reports name its signature (reports from before it had one) are merged into it; others stay.
func TestSweepGathersPieces(t *testing.T) {
	ents := []string{"n:leader", "r:country", "r:raider"}
	c := NewClusterer(0)
	single := func(id string, h int, e []string) *story {
		d := sigDoc(id, h, e)
		st := &story{id: storyIDFor(id)}
		st.join(d)
		c.stories[st.id] = st
		c.all = insertDoc(c.all, d)
		return st
	}
	early := single("early", 0, ents[:2]) // names two of three: a piece
	other := single("other", 1, ents[:1]) // names one: another event
	x := sigStoryOf("a", 2, sigMinDocs-1, ents, 0, 0)
	c.stories[x.id] = x
	for _, m := range x.members {
		c.all = insertDoc(c.all, m)
	}
	d := sigDoc("d", 2+sigMinDocs, ents)
	c.all = insertDoc(c.all, d)
	x.join(d)
	got := c.sweep(d, x, nil, map[string]string{})
	if got.id != early.id || !slices.Contains(got.members, early.members[0]) {
		t.Errorf("the early piece was not gathered: story %s of %d", got.id, len(got.members))
	}
	if c.stories[other.id] != other || slices.Contains(got.members, other.members[0]) {
		t.Error("a report naming one entity of the signature was gathered")
	}
	c.unmerge(d, nil)
	if c.stories[early.id] == nil || len(c.stories[early.id].members) != 1 || len(x.members) != sigMinDocs {
		t.Errorf("unmerge did not restore the piece: %d stories", len(c.stories))
	}
}

// A report naming only the leading entity of a young story's signature (its country) belongs to
// the story when the story holds most reports that named the country since it began; not when
// other stories name the country as often, nor when the report names only a lesser entity.
func TestOwnsLeadingEntity(t *testing.T) {
	country, leader, raider := "r:country", "n:leader", "r:raider"
	tests := []struct {
		name   string
		others int      // reports of other stories naming the country since the story began
		doc    []string // what the newcomer names
		want   bool
	}{
		{"the story holds the reports naming the country", 1, []string{country}, true},
		{"other stories name the country as often", 8, []string{country}, false},
		{"the newcomer names a lesser entity only", 0, []string{raider}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewClusterer(0)
			add := func(d *cdoc) {
				for _, h := range d.f.sigKeys {
					c.keyDocs[h] = insertDoc(c.keyDocs[h], d)
				}
			}
			st := &story{}
			for i := range 10 {
				ents := []string{country, leader, raider}
				if i >= 8 {
					ents = ents[:1] // the country leads the signature
				}
				d := sigDoc(fmt.Sprintf("a%02d", i), i, ents)
				st.join(d)
				add(d)
			}
			st.id = storyIDFor(st.members[0].id)
			other := &story{id: "other"}
			for i := range tc.others {
				d := sigDoc(fmt.Sprintf("o%02d", i), 1+i, []string{country})
				other.join(d)
				add(d)
			}
			if got := c.owns(st, sigDoc("new", 20, tc.doc)); got != tc.want {
				t.Errorf("owns = %v, want %v (signature %v)", got, tc.want, st.signature())
			}
		})
	}
}

// A report whose first sentence sets its news at a proceeding ("at a Security Council meeting")
// reports that proceeding, even when its headline does not name it; a lead that mentions a
// proceeding to come does not.
func TestLeadSetAtProceeding(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		title, text string
		set         bool
	}{
		{"Two powers condemn the raid on the island", "Two powers condemned the raid at a UN Security Council meeting on Monday, calling it a crime.", true},
		{"Envoy says the raid broke the law", "The island's envoy told the Security Council that the raid broke international law.", true},
		{"Leader taken abroad after the raid", "The leader will face charges in court next week, officials said.", false},
		{"Leader taken abroad after the raid", "The leader was flown abroad. At a Security Council meeting later, envoys clashed.", false}, // not the first sentence
	}
	for _, tc := range tests {
		f := extractFeatures(tg.g, tg.r, analyzeN(tg.g, Doc{Title: tc.title, Text: tc.text}, clusterScan))
		if set := len(f.leadProcs) > 0; set != tc.set {
			t.Errorf("%q: set at a proceeding = %v, want %v", tc.text, set, tc.set)
		}
	}
	// A large story whose headlines never name the proceeding does not take such a report.
	st := sigStoryOf("a", 0, 10, []string{"n:leader", "r:country", "r:raider"}, 0, 0)
	d := sigDoc("session", 11, []string{"n:leader", "r:country", "r:raider"})
	d.f.leadProcs = []int32{7}
	if !st.newProceeding(d) {
		t.Error("a report set at a proceeding the story never names is not a new proceeding")
	}
}

func TestElsewhere(t *testing.T) {
	event := []string{"n:leader", "r:country", "r:raider"}
	st := sigStoryOf("e", 0, 8, event, 0, 0)
	key := func(e string) uint64 { return hashKey(fEntity, e) }
	tests := []struct {
		name        string
		head        []string // the headline's entities
		headRegions []string // ... and the regions of its places
		names       bool
	}{
		{"headline names no place", []string{"n:leader"}, nil, true},
		{"headline set in the event's country", nil, []string{"r:country"}, true},
		{"headline set elsewhere", []string{"r:other"}, []string{"r:other"}, false},
		{"reaction elsewhere naming the event's leader", []string{"r:other", "n:leader"}, []string{"r:other"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The text names the signature in every case; only the headline differs.
			d := sigDoc("new", 9, event)
			for _, e := range tt.head {
				d.head = append(d.head, key(e))
			}
			slices.Sort(d.head)
			for _, e := range tt.headRegions {
				d.f.headRegions = append(d.f.headRegions, key(e))
			}
			if got := st.namesSignature(d); got != tt.names {
				t.Errorf("namesSignature = %v, want %v", got, tt.names)
			}
		})
	}
}
