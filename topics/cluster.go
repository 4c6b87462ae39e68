package topics

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"sync"
	"time"
)

// Clustering parameters (tuned on the dev part of testdata/labelled.jsonl).
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

	// Scratch of best, reused under mu: the round number, the docs touched in this round, the
	// best candidates, and the newcomer's feature weights.
	round   uint64
	touched []*cdoc
	top     []cand
	wNew    []float64
	links   []link
}

// cand is a doc that shares features with a newcomer, with the summed weight of what it shares.
type cand struct {
	d *cdoc
	s float64
}

// better orders candidates by score, then by insertion order.
func (x cand) better(y cand) bool {
	return x.s > y.s || (x.s == y.s && x.d.seq < y.d.seq)
}

// link is the best similarity of a newcomer to any doc of a story.
type link struct {
	st *story
	s  float64
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

	// Scratch of best: the weight of the features shared with the newcomer in round mark, in
	// all and of entities alone.
	acc, accE float64
	mark      uint64
}

type story struct {
	id          string
	docs        int
	recent      []*cdoc // the latest few docs, to check a newcomer against the story as a whole
	severity    Severity
	regions     []string
	topics      []string
	userTopics  []string
	first, last int64
}

// StoryInfo summarises a story from the tags of the reports added to it.
type StoryInfo struct {
	ID          string
	Docs        int       // reports currently held
	Severity    Severity  // highest severity of its reports (SeverityNone when none is security news)
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
// story it already has. The clusterer recognises entities itself; tags feed the story's summary
// (see Story). Given the Tags that Tagger.Tag returned for the same Doc (same title and text),
// Add reuses the analysis Tag made instead of repeating it, which makes it several times cheaper;
// Tags built by hand work too, and cluster the same way.
//
// A newcomer is compared exactly with at most maxCandidates docs, those sharing the most weight
// of its uncommon features; a candidate whose bound on similarity (from that shared weight)
// cannot reach the join threshold is skipped without changing the result.
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
	cd := c.newDoc(d, tags)
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

// newDoc describes d for clustering, with the posting list of each of its features (created
// empty when new), without adding it to them.
func (c *Clusterer) newDoc(d Doc, tags Tags) *cdoc {
	f, ok := tags.prepared.featuresFor(d, c.g, c.r)
	if !ok {
		f = extractFeatures(c.g, c.r, analyzeN(c.g, d, clusterScan))
	}
	pub := d.Published
	if pub.IsZero() {
		pub = time.Now()
	}
	c.seq++
	cd := &cdoc{id: d.ID, seq: c.seq, t: pub.UnixNano(), f: f}
	cd.pl = make([]*plist, len(cd.f.feats))
	for i, f := range cd.f.feats {
		pl := c.postings[f.h]
		if pl == nil {
			pl = &plist{}
			c.postings[f.h] = pl
		}
		cd.pl[i] = pl
	}
	return cd
}

// refreshIDF rebuilds the idf table when the doc count has moved by more than about 1.5% since
// it was built.
func (c *Clusterer) refreshIDF() {
	n := len(c.docs)
	if d := n - c.idfN; d > n/64 || -d > n/64 || c.idfTab == nil {
		c.idfN = n
		c.idfTab = c.idfTab[:0]
	}
}

// idfOf returns idf(df, n) for n ≈ len(c.docs), from the table refreshIDF keeps.
func (c *Clusterer) idfOf(df int) float64 {
	if df < len(c.idfTab) {
		if v := c.idfTab[df]; v >= 0 {
			return v
		}
	}
	return c.idfSlow(df)
}

func (c *Clusterer) idfSlow(df int) float64 {
	c.refreshIDF()
	if df >= 4096 {
		return idf(df, c.idfN)
	}
	for len(c.idfTab) <= df {
		c.idfTab = append(c.idfTab, -1)
	}
	v := idf(df, c.idfN)
	c.idfTab[df] = v
	return v
}

// weights fills dst with the rarity-scaled weight of each of d's features.
func (c *Clusterer) weights(d *cdoc, dst []float64) []float64 {
	dst = dst[:0]
	for i, f := range d.f.feats {
		dst = append(dst, f.w*c.idfOf(len(d.pl[i].docs)))
	}
	return dst
}

// best returns the story of the most similar doc, if similar enough.
func (c *Clusterer) best(cd *cdoc) *story {
	tot := c.gather(cd)
	touched := c.touched
	if len(touched) == 0 {
		return nil
	}
	// The maxCandidates best, in order (insertion into a short sorted list).
	top := c.top[:0]
	for _, o := range touched {
		k := cand{o, o.acc}
		if len(top) == maxCandidates && !k.better(top[len(top)-1]) {
			continue
		}
		pos := len(top)
		for pos > 0 && k.better(top[pos-1]) {
			pos--
		}
		if len(top) < maxCandidates {
			top = append(top, cand{})
		}
		copy(top[pos+1:], top[pos:len(top)-1])
		top[pos] = k
	}
	clear(touched) // do not keep pruned docs reachable from the scratch slice
	c.top = top
	// Best link per story (single link), then the story as a whole must agree on average, so a
	// chain of near-duplicates cannot drag unrelated reports together.
	links := c.links[:0]
	for _, k := range top {
		if tot.upperBound(cd, k.d)*c.damping(cd, k.d) < joinThreshold*(1-1e-9) {
			continue // cannot reach the threshold: skip the exact comparison
		}
		s := c.similarityW(cd, c.wNew, k.d)
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
	clear(top)
	slices.SortStableFunc(links, func(x, y link) int {
		switch {
		case x.s > y.s:
			return -1
		case x.s < y.s:
			return 1
		}
		return 0
	})
	var out *story
	for _, l := range links {
		if c.storyAverage(cd, l.st) >= storyAvgThreshold {
			out = l.st
			break
		}
	}
	clear(links)
	c.links = links[:0]
	return out
}

// gather finds the docs within the window that share uncommon features with cd and leaves them
// in c.touched, each with the weight it shares (acc, accE), and cd's weights in c.wNew. It
// returns cd's weight totals.
func (c *Clusterer) gather(cd *cdoc) weightTotals {
	c.refreshIDF()
	c.wNew = c.weights(cd, c.wNew)
	c.round++
	round := c.round
	touched := c.touched[:0]
	win := int64(c.window)
	// The newcomer's weight by kind, in all and in features too common to look up: what bounds
	// its similarity to a candidate (see upperBound).
	var tot weightTotals
	for i, f := range cd.f.feats {
		list := cd.pl[i].docs
		w := c.wNew[i]
		tot.add(f.kind, w, len(list) > maxPostings)
		if len(list) == 0 || len(list) > maxPostings {
			continue
		}
		for _, o := range list {
			if o.dead || absNanos(o.t-cd.t) > win {
				continue
			}
			if f.kind == fWord && o.f.arabic != cd.f.arabic {
				continue
			}
			if o.mark != round {
				o.mark, o.acc, o.accE = round, 0, 0
				touched = append(touched, o)
			}
			o.acc += w
			if f.kind == fEntity {
				o.accE += w
			}
		}
	}
	c.touched = touched
	return tot
}

// storyAverage is the mean similarity of cd to the story's latest live docs.
func (c *Clusterer) storyAverage(cd *cdoc, st *story) float64 {
	sum, n := 0.0, 0
	for _, d := range st.recent {
		if d.dead {
			continue
		}
		sum += c.similarityW(cd, c.wNew, d)
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
	c.refreshIDF()
	return c.similarityW(a, c.weights(a, nil), b)
}

// similarityW is similarity with a's feature weights given (wa[i] for a.f.feats[i]).
func (c *Clusterer) similarityW(a *cdoc, wa []float64, b *cdoc) float64 {
	cross := a.f.arabic != b.f.arabic
	var interE, sumE, interT, sumT float64
	var hasEA, hasEB bool
	fa, fb := a.f.feats, b.f.feats
	i, j := 0, 0
	for i < len(fa) || j < len(fb) {
		switch {
		case j >= len(fb) || (i < len(fa) && fa[i].h < fb[j].h):
			f := &fa[i]
			if f.kind == fEntity {
				sumE += wa[i]
				hasEA = true
			} else if !cross || f.kind != fWord {
				sumT += wa[i]
			}
			i++
		case i >= len(fa) || fb[j].h < fa[i].h:
			f := &fb[j]
			if f.kind == fEntity {
				sumE += f.w * c.idfOf(len(b.pl[j].docs))
				hasEB = true
			} else if !cross || f.kind != fWord {
				sumT += f.w * c.idfOf(len(b.pl[j].docs))
			}
			j++
		default:
			f := &fa[i]
			if cross && f.kind == fWord {
				i++
				j++
				continue
			}
			// Same feature, same posting list: the idf is shared.
			wa, wb := wa[i], fb[j].w*c.idfOf(len(b.pl[j].docs))
			if f.kind == fEntity {
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
	if s == 0 {
		return 0
	}
	return s * c.damping(a, b)
}

// weightTotals sums a newcomer's feature weights by kind: entities, text features (lead words,
// concepts, numbers) and text features other than words (what counts across scripts); the
// common* fields hold the part from features whose posting lists best does not read.
type weightTotals struct {
	ent, text, textX                   float64
	commonEnt, commonText, commonTextX float64
}

func (t *weightTotals) add(kind byte, w float64, common bool) {
	switch {
	case kind == fEntity:
		t.ent += w
		if common {
			t.commonEnt += w
		}
	default:
		t.text += w
		if kind != fWord {
			t.textX += w
		}
		if common {
			t.commonText += w
			if kind != fWord {
				t.commonTextX += w
			}
		}
	}
}

// upperBound bounds similarityW(a, ·, b) before damping, from what a shares with b as counted
// by best (b.acc, b.accE) plus a's common features, which b may share too. Each Dice overlap
// 2I/(A+B) with shared weight I <= X (a's weight on the shared features) and B >= I is at most
// 2X/(A+X).
func (t *weightTotals) upperBound(a, b *cdoc) float64 {
	cross := a.f.arabic != b.f.arabic
	textTot, textCommon := t.text, t.commonText
	if cross {
		textTot, textCommon = t.textX, t.commonTextX
	}
	xe := min(b.accE+t.commonEnt, t.ent)
	xt := min(b.acc-b.accE+textCommon, textTot)
	var ent, text float64
	if xe > 0 {
		ent = 2 * xe / (t.ent + xe + entitySmoothing)
	}
	if xt > 0 {
		text = 2 * xt / (textTot + xt)
	}
	both := math.Sqrt(ent * text)
	if cross {
		both = math.Sqrt(ent*max(text, crossTextFloor)) * crossFactor
	}
	return max(both, text*0.8)
}

// damping is the factor by which the time between two reports and their conflicting weekdays,
// places, regions, groups and event types lower their similarity.
func (c *Clusterer) damping(a, b *cdoc) float64 {
	gap := absNanos(a.t - b.t)
	s := math.Exp(-float64(gap) / float64(decayScale))
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
	for _, x := range a {
		if !c.isLeaf(x, a) {
			continue
		}
		for _, y := range b {
			if c.isLeaf(y, b) && (c.g.contains(int(x), int(y)) || c.g.contains(int(y), int(x))) {
				return true
			}
		}
	}
	return false
}

// isLeaf reports whether place p contains none of the other places ps.
func (c *Clusterer) isLeaf(p int32, ps []int32) bool {
	for _, q := range ps {
		if q != p && c.g.contains(int(p), int(q)) {
			return false
		}
	}
	return true
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

// AddBatch adds docs in the given order, as Add does, and returns doc id → story id.
func (c *Clusterer) AddBatch(docs []Doc, tags []Tags) map[string]string {
	out := map[string]string{}
	for i, d := range docs {
		out[d.ID] = c.Add(d, tags[i], "")
	}
	return out
}
