package topics

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"sync"
	"time"
)

// Clustering parameters (tuned on the dev part of testdata/stories.jsonl).
const (
	defaultWindow     = 72 * time.Hour
	joinThreshold     = 0.26 // minimum similarity to join a story
	storyAvgThreshold = 0.15 // minimum mean similarity to the story's latest docs
	groupMismatch     = 0.7  // factor when each headline names a group the other does not
	crossTextFloor    = 0.25 // text similarity assumed at least across scripts
	entitySmoothing   = 6.0  // added to the entity weight sum before dividing
	crossFactor       = 0.75 // reports in different scripts share only entities, concepts and numbers
	maxPostings       = 200  // features shared by more live docs are too common to find candidates with
	maxCandidates     = 24   // candidates scored exactly per new doc
	decayScale        = 60 * time.Hour
	weekdayConflict   = 0.55 // factor when both reports name event weekdays and none agree
	autoPruneEvery    = 4096 // Add prunes every this many docs
	autoPruneWindows  = 3    // ... the docs more than this many windows older than the newest
	placeConflict     = 0.5  // factor when both reports name places (regions, groups) in their leads and none agree
)

// Clusterer groups docs that report the same event into stories. Candidates come from an
// inverted index over the docs' features (entities, concepts, numbers and lead words), skipping
// features too common to discriminate, so adding a doc costs time proportional to the postings
// of its rarer features rather than to the number of docs. It is safe for concurrent use.
type Clusterer struct {
	mu       sync.Mutex
	window   time.Duration
	g        *gazetteer
	r        *rules
	docs     map[string]*cdoc
	postings map[uint64]*plist
	stories  map[string]*story
	seq      int64
	newest   int64 // latest publication time seen, Unix nanoseconds
	err      error

	// idf values for the current doc count, by document frequency (see idfOf).
	idfN   int
	idfTab []float64
}

// plist is the posting list of one feature: the live docs that have it.
type plist struct{ docs []*cdoc }

type cdoc struct {
	id    string
	seq   int64 // insertion order, for deterministic tie-breaks
	t     int64 // publication time, Unix nanoseconds
	f     docFeatures
	pl    []*plist // posting list of each feature, parallel to f.feats
	story *story
	dead  bool
}

type story struct {
	id          string
	docs        int
	recent      []*cdoc // the latest few docs, to check a newcomer against the story as a whole
	severity    string
	regions     []string
	topics      []string
	userTopics  []string
	first, last int64
}

// StoryInfo summarises a story from the tags of the reports added to it.
type StoryInfo struct {
	ID          string
	Docs        int       // reports currently held
	Severity    string    // highest severity of its reports ("" when none is security news)
	Regions     []string  // union of its reports' regions, sorted
	Topics      []string  // union of its reports' built-in topics, sorted
	UserTopics  []string  // union of its reports' user topics, sorted
	First, Last time.Time // earliest and latest publication time of its reports
}

// Story returns what is known of a story, or false when the clusterer does not hold it (never
// seen, or pruned).
func (c *Clusterer) Story(id string) (StoryInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.stories[id]
	if !ok {
		return StoryInfo{}, false
	}
	return StoryInfo{
		ID: st.id, Docs: st.docs, Severity: st.severity,
		Regions: slices.Clone(st.regions), Topics: slices.Clone(st.topics), UserTopics: slices.Clone(st.userTopics),
		First: time.Unix(0, st.first).UTC(), Last: time.Unix(0, st.last).UTC(),
	}, true
}

// note folds one report's tags and time into the story summary.
func (st *story) note(tags Tags, t int64) {
	st.severity = MaxSeverity(st.severity, tags.Severity)
	st.regions = unionSorted(st.regions, tags.Regions)
	st.topics = unionSorted(st.topics, tags.Topics)
	st.userTopics = unionSorted(st.userTopics, tags.UserTopics)
	if st.first == 0 || t < st.first {
		st.first = t
	}
	st.last = max(st.last, t)
}

// unionSorted adds the elements of b missing from the sorted slice a, keeping it sorted.
func unionSorted(a, b []string) []string {
	for _, x := range b {
		if i, found := slices.BinarySearch(a, x); !found && len(a) < 256 {
			a = slices.Insert(a, i, x)
		}
	}
	return a
}

// storyRecent is how many docs of a story a newcomer is compared with on average.
const storyRecent = 6

// NewClusterer returns a Clusterer that joins reports at most window apart (72h when 0).
func NewClusterer(window time.Duration) *Clusterer {
	if window <= 0 {
		window = defaultWindow
	}
	g, r, err := builtin()
	return &Clusterer{
		window: window, g: g, r: r, err: err,
		docs:     map[string]*cdoc{},
		postings: map[uint64]*plist{},
		stories:  map[string]*story{},
	}
}

// storyIDFor derives a story id from the id of the doc that starts it.
func storyIDFor(docID string) string {
	sum := sha256.Sum256([]byte(docID))
	return "s" + hex.EncodeToString(sum[:5])
}

// Add assigns d to a story and returns the story id. With storyID != "" the doc is registered
// under that story (reloading stored items). Otherwise it joins the most similar story within the
// window, or starts a new story whose id is derived from d.ID. Adding a doc ID again returns the
// story it already has. The clusterer recognises entities itself; tags only feed the story's
// summary (see Story).
func (c *Clusterer) Add(d Doc, tags Tags, storyID string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.docs[d.ID]; ok && !old.dead {
		return old.story.id
	}
	if c.err != nil {
		if storyID != "" {
			return storyID
		}
		return storyIDFor(d.ID)
	}
	a := analyze(c.g, d)
	pub := d.Published
	if pub.IsZero() {
		pub = time.Now()
	}
	c.seq++
	cd := &cdoc{id: d.ID, seq: c.seq, t: pub.UnixNano(), f: extractFeatures(c.g, c.r, a)}
	cd.pl = make([]*plist, len(cd.f.feats))
	for i, f := range cd.f.feats {
		pl := c.postings[f.h]
		if pl == nil {
			pl = &plist{}
			c.postings[f.h] = pl
		}
		cd.pl[i] = pl
	}
	var st *story
	if storyID != "" {
		st = c.stories[storyID]
		if st == nil {
			st = &story{id: storyID}
			c.stories[storyID] = st
		}
	} else {
		st = c.best(cd)
		if st == nil {
			id := storyIDFor(d.ID)
			st = c.stories[id]
			if st == nil {
				st = &story{id: id}
				c.stories[id] = st
			}
		}
	}
	cd.story = st
	st.docs++
	st.note(tags, cd.t)
	if len(st.recent) == storyRecent {
		copy(st.recent, st.recent[1:])
		st.recent = st.recent[:storyRecent-1]
	}
	st.recent = append(st.recent, cd)
	c.docs[d.ID] = cd
	for _, pl := range cd.pl {
		pl.docs = append(pl.docs, cd)
	}
	// Bound memory when the caller never prunes: docs far outside the window of the newest doc
	// can no longer join anything.
	c.newest = max(c.newest, cd.t)
	if c.seq%autoPruneEvery == 0 {
		c.prune(c.newest - int64(autoPruneWindows)*int64(c.window))
	}
	return st.id
}

// idfOf returns idf(df, n) for n ≈ len(c.docs) from a table that is rebuilt when the doc count
// has moved by more than about 1.5% since it was built.
func (c *Clusterer) idfOf(df int) float64 {
	n := len(c.docs)
	if d := n - c.idfN; d > n/64 || -d > n/64 || c.idfTab == nil {
		c.idfN = n
		c.idfTab = c.idfTab[:0]
	}
	n = c.idfN
	if df >= 4096 {
		return idf(df, n)
	}
	for len(c.idfTab) <= df {
		c.idfTab = append(c.idfTab, -1)
	}
	if v := c.idfTab[df]; v >= 0 {
		return v
	}
	v := idf(df, n)
	c.idfTab[df] = v
	return v
}

// best returns the story of the most similar doc, if similar enough.
func (c *Clusterer) best(cd *cdoc) *story {
	acc := map[*cdoc]float64{}
	win := int64(c.window)
	for i, f := range cd.f.feats {
		list := cd.pl[i].docs
		if len(list) == 0 || len(list) > maxPostings {
			continue
		}
		w := f.w * c.idfOf(len(list))
		for _, o := range list {
			if o.dead || absNanos(o.t-cd.t) > win {
				continue
			}
			if o.f.arabic != cd.f.arabic && f.kind == fWord {
				continue
			}
			acc[o] += w
		}
	}
	if len(acc) == 0 {
		return nil
	}
	type cand struct {
		d *cdoc
		s float64
	}
	cands := make([]cand, 0, len(acc))
	for d, s := range acc {
		cands = append(cands, cand{d, s})
	}
	slices.SortFunc(cands, func(x, y cand) int {
		switch {
		case x.s > y.s:
			return -1
		case x.s < y.s:
			return 1
		}
		return int(x.d.seq - y.d.seq)
	})
	if len(cands) > maxCandidates {
		cands = cands[:maxCandidates]
	}
	// Best link per story (single link), then the story as a whole must agree on average, so a
	// chain of near-duplicates cannot drag unrelated reports together.
	type link struct {
		st *story
		s  float64
	}
	var links []link
	for _, k := range cands {
		s := c.similarity(cd, k.d)
		if s < joinThreshold {
			continue
		}
		found := false
		for i := range links {
			if links[i].st == k.d.story {
				links[i].s = max(links[i].s, s)
				found = true
			}
		}
		if !found {
			links = append(links, link{k.d.story, s})
		}
	}
	slices.SortStableFunc(links, func(x, y link) int {
		switch {
		case x.s > y.s:
			return -1
		case x.s < y.s:
			return 1
		}
		return 0
	})
	for _, l := range links {
		if c.storyAverage(cd, l.st) >= storyAvgThreshold {
			return l.st
		}
	}
	return nil
}

// storyAverage is the mean similarity of cd to the story's latest live docs.
func (c *Clusterer) storyAverage(cd *cdoc, st *story) float64 {
	sum, n := 0.0, 0
	for _, d := range st.recent {
		if d.dead {
			continue
		}
		sum += c.similarity(cd, d)
		n++
	}
	if n == 0 {
		return 1
	}
	return sum / float64(n)
}

func absNanos(d int64) int64 {
	if d < 0 {
		return -d
	}
	return d
}

// similarity combines two rarity-weighted Dice overlaps: of the docs' entities (places, groups,
// people, regions) and of their text features (lead words, concepts, numbers; only concepts and
// numbers across scripts). Their geometric mean requires both to agree: the same wording about
// other places, or the same places in other words, is not the same event. The result is damped by
// the time between the reports and by conflicting weekdays, places and regions.
func (c *Clusterer) similarity(a, b *cdoc) float64 {
	cross := a.f.arabic != b.f.arabic
	var interE, sumE, interT, sumT float64
	var hasEA, hasEB bool
	weight := func(d *cdoc, i int) float64 {
		f := d.f.feats[i]
		if cross && f.kind == fWord {
			return 0
		}
		return f.w * c.idfOf(len(d.pl[i].docs))
	}
	one := func(d *cdoc, i int, other bool) {
		f := d.f.feats[i]
		w := weight(d, i)
		if f.kind == fEntity {
			sumE += w
			if other {
				hasEB = true
			} else {
				hasEA = true
			}
		} else {
			sumT += w
		}
	}
	i, j := 0, 0
	fa, fb := a.f.feats, b.f.feats
	for i < len(fa) || j < len(fb) {
		switch {
		case j >= len(fb) || (i < len(fa) && fa[i].h < fb[j].h):
			one(a, i, false)
			i++
		case i >= len(fa) || fb[j].h < fa[i].h:
			one(b, j, true)
			j++
		default:
			wa, wb := weight(a, i), weight(b, j)
			if fa[i].kind == fEntity {
				sumE += wa + wb
				interE += 2 * min(wa, wb)
				hasEA, hasEB = true, true
			} else {
				sumT += wa + wb
				interT += 2 * min(wa, wb)
			}
			i++
			j++
		}
	}
	textSim := 0.0
	if sumT > 0 {
		textSim = interT / sumT
	}
	var s float64
	switch {
	case hasEA && hasEB && sumE > 0:
		// The constant keeps one shared name (a president quoted in every story) from making
		// two reports' entities look identical.
		entSim := interE / (sumE + entitySmoothing)
		if cross {
			// Concept lists cannot cover every wording, so shared entities carry more weight.
			s = math.Sqrt(entSim*max(textSim, crossTextFloor)) * crossFactor
		} else {
			s = math.Sqrt(entSim * textSim)
		}
	case hasEA || hasEB:
		s = textSim * 0.6
	default:
		s = textSim * 0.8
	}
	gap := absNanos(a.t - b.t)
	s *= math.Exp(-float64(gap) / float64(decayScale))
	if daysConflict(&a.f, &b.f) {
		s *= weekdayConflict
	}
	if c.placesConflict(eventPlaces(&a.f), eventPlaces(&b.f)) {
		s *= placeConflict
	}
	if disjoint(a.f.regions, b.f.regions) {
		s *= placeConflict
	}
	if disjoint(a.f.groups, b.f.groups) {
		s *= placeConflict
	} else if differBothWays(a.f.groups, b.f.groups) {
		s *= groupMismatch
	}
	if disjoint(a.f.concepts, b.f.concepts) {
		s *= placeConflict
	}
	return s
}

// Prune forgets docs published before the given time, and stories left without docs.
// Add also prunes by itself, every few thousand docs, what lies more than three windows before
// the newest doc.
func (c *Clusterer) Prune(before time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prune(before.UnixNano())
}

func (c *Clusterer) prune(cut int64) {
	removed := false
	for id, d := range c.docs {
		if d.t < cut {
			d.dead = true
			d.story.docs--
			if d.story.docs <= 0 {
				delete(c.stories, d.story.id)
			}
			delete(c.docs, id)
			removed = true
		}
	}
	if !removed {
		return
	}
	for h, pl := range c.postings {
		keep := pl.docs[:0]
		for _, d := range pl.docs {
			if !d.dead {
				keep = append(keep, d)
			}
		}
		clear(pl.docs[len(keep):])
		pl.docs = keep
		if len(keep) == 0 {
			delete(c.postings, h)
		}
	}
}

// Len reports how many docs and stories the clusterer currently holds.
func (c *Clusterer) Len() (docs, stories int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.docs), len(c.stories)
}

// disjoint reports whether a and b are both non-empty and share no element.
func disjoint(a, b []int32) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	for _, x := range a {
		if slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// placesConflict reports whether two reports name places and no place of one is, contains or
// lies within a place of the other (Amedi and Batifa conflict although both are in Duhok; Duhok
// and Amedi do not).
func (c *Clusterer) placesConflict(a, b []int32) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	return !c.leavesCompatible(a, b)
}

// eventPlaces returns the places a report names in its title and first sentence, where it says
// where the event happened, or else all the places of its lead. Places named further on are
// often context or a government named by its capital ("Ankara did not comment").
func eventPlaces(f *docFeatures) []int32 {
	if len(f.primary) > 0 {
		return f.primary
	}
	return f.places
}

// leavesCompatible compares only the most specific places of each report: those that contain no
// other place the report names. It reports whether some pair of them is compatible.
func (c *Clusterer) leavesCompatible(a, b []int32) bool {
	la, lb := c.leaves(a), c.leaves(b)
	for _, x := range la {
		for _, y := range lb {
			if c.g.contains(int(x), int(y)) || c.g.contains(int(y), int(x)) {
				return true
			}
		}
	}
	return false
}

func (c *Clusterer) leaves(ps []int32) []int32 {
	var out []int32
	for _, p := range ps {
		leaf := true
		for _, q := range ps {
			if q != p && c.g.contains(int(p), int(q)) {
				leaf = false
				break
			}
		}
		if leaf {
			out = append(out, p)
		}
	}
	return out
}

// differBothWays reports whether each of a and b has an element the other lacks.
func differBothWays(a, b []int32) bool {
	extra := func(x, y []int32) bool {
		for _, v := range x {
			if !slices.Contains(y, v) {
				return true
			}
		}
		return false
	}
	return extra(a, b) && extra(b, a)
}

// StoryIDFor returns the id a new story started by the doc with this id
// gets, so a caller can tell whether Add started a story or joined one.
func StoryIDFor(docID string) string { return storyIDFor(docID) }
