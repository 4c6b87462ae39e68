package topics

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Clustering parameters (tuned on the dev part of testdata/labelled.jsonl; the join threshold,
// story average and entity smoothing then re-tuned for precision on two days of
// ../shared/corpus/labelled/dev.jsonl, 2026-01-03 and 04, and checked on the third:
// `sitrep eval stories --data ../shared/corpus/labelled/dev.jsonl --days 2026-01-05`).
const (
	defaultWindow     = 72 * time.Hour
	joinThreshold     = 0.28 // minimum similarity to join a story (the seed page's weakest report of its agreement links at 0.283)
	storyAvgThreshold = 0.10 // minimum mean similarity to the story's latest docs
	strongLink        = 0.33 // a link weaker than this to a story of several docs needs a second one
	groupMismatch     = 0.7  // factor when each headline names a group the other does not
	crossTextFloor    = 0.25 // text similarity assumed at least across scripts
	entitySmoothing   = 4.0  // added to the entity weight sum before dividing
	crossFactor       = 0.75 // reports in different languages (see otherLanguage) share only entities, concepts and numbers
	maxPostings       = 200  // features shared by more live docs are too common to find candidates with
	maxCandidates     = 24   // candidates scored exactly per new doc
	sigSample         = 32   // latest docs of a too-common entity whose stories are signature candidates
	decayScale        = 60 * time.Hour
	weekdayConflict   = 0.55 // factor when both reports name event weekdays and none agree
	autoPruneEvery    = 4096 // Add prunes every this many docs
	autoPruneWindows  = 3    // ... the docs more than this many windows older than the newest
	numberConflict    = 0.5  // factor when both headlines give counts and none agree (3 killed, 55 killed)
	procMismatch      = 0.5  // factor when one headline names a proceeding (a trial, an investigation) the other does not
	rareEntity        = 3    // ... unless they name a place or group that at most this many reports name
	sameSource        = 0.7  // factor for two reports of one outlet, whose house style and recurring phrases make them look alike
	placeConflict     = 0.5  // factor when both reports name places (regions, groups) in their leads and none agree
	minFeatures       = 3    // a report describing itself with fewer features links to none
	headMismatch      = 0.5  // factor when the headlines share no word, number, concept or name
	minTextSim        = 0.14 // reports in one language naming the same places with so little wording in common tell different events
	eventFloor        = 0.45 // likeness at least of two reports whose headlines name one singular event in one country (an earthquake in Colombia)
	kindMismatch      = 0.6  // factor when one headline asks or explains (a feature) and the other reports
)

// Clusterer groups docs that report the same event into stories.
//
// The stories are a function of the set of docs, whatever order they are added in: docs are
// assigned in canonical order (publication time, then id), each doc by what the docs published
// before it say (their features, their rarity among them and their stories), never by docs
// published after it. When docs arrive that were published before docs already assigned,
// AddBatch assigns again the docs from the earliest newcomer on and reports those whose story
// changed. A story's id derives from the id of its earliest doc.
//
// Candidates come from an inverted index over the docs' features (entities, concepts, numbers
// and lead words), skipping features too common to discriminate, so assigning a doc costs time
// proportional to the postings of its rarer features rather than to the number of docs. It is
// safe for concurrent use.
type Clusterer struct {
	mu       sync.Mutex
	window   time.Duration
	g        *gazetteer
	r        *rules
	docs     map[string]*cdoc
	all      []*cdoc // live docs in canonical order
	postings map[uint64]*plist
	keyDocs  map[uint64][]*cdoc // live docs naming each signature key (docFeatures.sigKeys), in canonical order
	stories  map[string]*story
	newest   int64 // latest publication time seen, Unix nanoseconds
	added    int   // docs added since the last automatic prune
	err      error

	// The doc being assigned and what the docs before it count (see prefix): the round number,
	// the start of its window, and the live docs within the window before it.
	round uint64
	ver   uint64 // bumped whenever a posting list changes, which invalidates their cached spans
	cur   *cdoc
	from  int64
	n     int

	// Scratch of best, reused under mu: the docs touched in this round, the best candidates,
	// and the newcomer's feature weights.
	touched    []*cdoc
	top        []cand
	wNew       []float64
	links      []link
	named      []*story // stories whose signature the doc being assigned names (see best)
	sigStories []*story // scratch of sigCandidates

	merges []mergeRec // stories merged, in the canonical order of the docs that merged them
}

// cand is a doc that shares features with a newcomer, with the summed weight of what it shares.
type cand struct {
	d *cdoc
	s float64
}

// better orders candidates by score, then canonically.
func (x cand) better(y cand) bool {
	return x.s > y.s || (x.s == y.s && x.d.before(y.d))
}

// link is the best similarity of a newcomer to any doc of a story.
type link struct {
	st *story
	s  float64
	n  int // docs of the story linked to
}

// plist is the posting list of one feature: the live docs that have it, in canonical order,
// with the count and rarity of the feature before the doc being assigned (valid in round mark).
type plist struct {
	docs   []*cdoc
	mark   uint64
	lo, hi int // docs[lo:hi] are the docs within the window before the current doc
	idf    float64
	ver    uint64 // the clusterer's list version when lo and hi were found ...
	at     *cdoc  // ... for this current doc
}

type cdoc struct {
	id     string
	t      int64 // publication time, Unix nanoseconds
	f      docFeatures
	pl     []*plist // posting list of each feature, parallel to f.feats
	tags   Tags     // without the prepared analysis
	src    string   // the outlet (Doc.Source)
	head   []uint64 // hashes of the headline's features (f.feats marked head), sorted
	asks   bool     // the headline asks or explains (see explains): a feature, not a report
	pinned bool     // registered with a story id (reloaded): never assigned again
	story  *story

	// Scratch of best: the weight of the features shared with the newcomer in round mark, in
	// all and of entities alone.
	acc, accE float64
	mark      uint64
}

// before reports whether a comes before b in canonical order: publication time, then id.
func (a *cdoc) before(b *cdoc) bool {
	return a.t < b.t || (a.t == b.t && a.id < b.id)
}

func cmpDocs(a, b *cdoc) int {
	switch {
	case a.before(b):
		return -1
	case b.before(a):
		return 1
	}
	return 0
}

type story struct {
	id          string
	members     []*cdoc // in canonical order
	severity    Severity
	regions     []string
	topics      []string
	userTopics  []string
	first, last int64
	sc          sigCounts // entity counts over the members, for the signature
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
		ID: st.id, Docs: len(st.members), Severity: st.severity,
		Regions: slices.Clone(st.regions), Topics: slices.Clone(st.topics), UserTopics: slices.Clone(st.userTopics),
		First: time.Unix(0, st.first).UTC(), Last: time.Unix(0, st.last).UTC(),
	}, true
}

// StoryOf returns the story a doc is in, or false when the clusterer does not hold the doc.
func (c *Clusterer) StoryOf(docID string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.docs[docID]
	if !ok {
		return "", false
	}
	return d.story.id, true
}

// join adds d to st, keeping the members in canonical order, and folds its tags into the summary.
func (st *story) join(d *cdoc) {
	i, _ := slices.BinarySearchFunc(st.members, d, cmpDocs)
	st.members = slices.Insert(st.members, i, d)
	d.story = st
	st.sc.add(d, 1)
	st.note(d.tags, d.t)
}

// rebuild recomputes the summary from the members.
func (st *story) rebuild() {
	st.severity, st.regions, st.topics, st.userTopics, st.first, st.last = "", nil, nil, nil, 0, 0
	st.sc.reset()
	for _, d := range st.members {
		st.note(d.tags, d.t)
		st.sc.add(d, 1)
	}
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

// storyRecent is how many docs of a story a newcomer is compared with on average: the latest
// ones before it.
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
		keyDocs:  map[uint64][]*cdoc{},
		stories:  map[string]*story{},
	}
}

// storyIDFor derives a story id from the id of the doc that starts it.
func storyIDFor(docID string) string {
	sum := sha256.Sum256([]byte(docID))
	return "s" + hex.EncodeToString(sum[:5])
}

// Add adds one doc and returns its story id: AddBatch of one doc, except that with storyID != ""
// the doc is registered under that story (reloading stored items) and is never assigned again.
// Adding a doc ID again returns the story it has. Docs whose story changed because d was
// published before them are not reported; use AddBatch or StoryOf to learn of them.
func (c *Clusterer) Add(d Doc, tags Tags, storyID string) string {
	if storyID == "" {
		return c.AddBatch([]Doc{d}, []Tags{tags})[d.ID]
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.docs[d.ID]; ok {
		return old.story.id
	}
	if c.err != nil {
		return storyID
	}
	cd := c.insert(d, tags)
	cd.pinned = true
	st := c.stories[storyID]
	if st == nil {
		st = &story{id: storyID}
		c.stories[storyID] = st
	}
	st.join(cd)
	c.reassign(cd, nil)
	c.autoPrune()
	return storyID
}

// AddBatch adds docs (one poll's new reports, in any order; tags[i] is what Tagger.Tag returned
// for docs[i], or Tags built by hand) and returns doc id → story id for each of them, and for each
// doc added before whose story changed because newcomers were published before it. A doc ID
// already held keeps its story (and is reported with it).
//
// The clusterer recognises entities itself; tags feed the story's summary (see Story). Given the
// Tags that Tagger.Tag returned for the same Doc, AddBatch reuses the analysis Tag made instead
// of repeating it; Tags built by hand cluster the same way.
func (c *Clusterer) AddBatch(docs []Doc, tags []Tags) map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]string, len(docs))
	var first *cdoc
	// Inserted in canonical order, each doc lands at the end of the lists it joins rather than
	// in their middle.
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmpNew(&docs[x], &docs[y]) })
	for _, i := range order {
		d := docs[i]
		if old, ok := c.docs[d.ID]; ok {
			out[d.ID] = old.story.id
			continue
		}
		if c.err != nil {
			out[d.ID] = storyIDFor(d.ID)
			continue
		}
		var tg Tags
		if i < len(tags) {
			tg = tags[i]
		}
		cd := c.insert(d, tg)
		if first == nil || cd.before(first) {
			first = cd
		}
	}
	if first != nil {
		c.reassign(first, out)
		for _, d := range docs {
			if cd, ok := c.docs[d.ID]; ok {
				out[d.ID] = cd.story.id
			}
		}
		c.autoPrune()
	}
	return out
}

// cmpNew orders docs not yet inserted as insert will place them: by publication time (unknown
// ones last: insert dates them now), then id.
func cmpNew(a, b *Doc) int {
	ta, tb := a.Published, b.Published
	switch {
	case ta.IsZero() != tb.IsZero():
		if ta.IsZero() {
			return 1
		}
		return -1
	case !ta.Equal(tb):
		return ta.Compare(tb)
	}
	return strings.Compare(a.ID, b.ID)
}

// insert describes d for clustering and adds it, unassigned, to the docs and posting lists.
func (c *Clusterer) insert(d Doc, tags Tags) *cdoc {
	f, ok := tags.prepared.featuresFor(d, c.g, c.r)
	if !ok {
		f = extractFeatures(c.g, c.r, analyzeN(c.g, d, clusterScan))
	}
	pub := d.Published
	if pub.IsZero() {
		pub = time.Now()
	}
	tags.prepared = nil
	cd := &cdoc{id: d.ID, t: pub.UnixNano(), f: f, tags: tags, src: d.Source, asks: explains(d.Title, d.Text)}
	cd.pl = make([]*plist, len(cd.f.feats))
	nHead := 0
	for _, f := range cd.f.feats {
		if f.head {
			nHead++
		}
	}
	cd.head = make([]uint64, 0, nHead)
	for _, f := range cd.f.feats {
		if f.head {
			cd.head = append(cd.head, f.h) // feats are sorted by hash
		}
	}
	for i, f := range cd.f.feats {
		pl := c.postings[f.h]
		if pl == nil {
			pl = &plist{}
			c.postings[f.h] = pl
		}
		cd.pl[i] = pl
		pl.docs = insertDoc(pl.docs, cd)
		c.ver++
	}
	for _, h := range cd.f.sigKeys {
		c.keyDocs[h] = insertDoc(c.keyDocs[h], cd)
	}
	c.all = insertDoc(c.all, cd)
	c.docs[d.ID] = cd
	c.newest = max(c.newest, cd.t)
	c.added++
	return cd
}

// insertDoc inserts d into the canonically ordered list, usually at its end.
func insertDoc(list []*cdoc, d *cdoc) []*cdoc {
	if n := len(list); n == 0 || list[n-1].before(d) {
		return append(list, d)
	}
	i, _ := slices.BinarySearchFunc(list, d, cmpDocs)
	return slices.Insert(list, i, d)
}

// reassign assigns again every doc from first on, in canonical order, and records in moved
// (when not nil) the docs that were assigned before and now are in another story.
func (c *Clusterer) reassign(first *cdoc, moved map[string]string) {
	c.unmerge(first, moved)
	k, _ := slices.BinarySearchFunc(c.all, first, cmpDocs)
	suffix := c.all[k:]
	old := make(map[*cdoc]*story, len(suffix))
	touched := map[*story]bool{}
	for _, d := range suffix {
		if d.story != nil && !d.pinned {
			old[d] = d.story
			touched[d.story] = true
			d.story = nil
		}
	}
	for st := range touched {
		st.members = slices.DeleteFunc(st.members, func(d *cdoc) bool { return d.story == nil })
		if len(st.members) == 0 {
			delete(c.stories, st.id)
		} else {
			st.rebuild()
		}
	}
	for _, d := range suffix {
		if d.pinned {
			c.absorb(d, old, moved)
			continue
		}
		st := c.best(d)
		if st == nil {
			id := storyIDFor(d.id)
			st = c.stories[id]
			if st == nil {
				st = &story{id: id}
				c.stories[id] = st
			}
		}
		st.join(d)
		st = c.mergeNamed(d, st, old, moved)
		st = c.sweep(d, st, old, moved)
		if o, ok := old[d]; ok && o.id != st.id && moved != nil {
			moved[d.id] = st.id
		}
	}
}

// absorb keeps a stored story whole when reports published before it arrive late: pinned doc d
// (a reloaded, already stored report) keeps its story, so when d would join a story made only of
// docs that are not pinned (newcomers published before it), that story's docs join d's story
// instead of starting a second one beside it.
func (c *Clusterer) absorb(d *cdoc, old map[*cdoc]*story, moved map[string]string) {
	st := c.best(d)
	if st == nil || st == d.story || d.story == nil || slices.ContainsFunc(st.members, func(m *cdoc) bool { return m.pinned }) {
		return
	}
	members := st.members
	st.members = nil
	delete(c.stories, st.id)
	for _, m := range members {
		d.story.join(m)
		if o, ok := old[m]; ok && o.id != d.story.id && moved != nil {
			moved[m.id] = d.story.id
		}
	}
}

// autoPrune bounds memory when the caller never prunes: every few thousand docs, docs far
// outside the window of the newest doc, which can no longer join anything, are forgotten.
func (c *Clusterer) autoPrune() {
	if c.added >= autoPruneEvery {
		c.added = 0
		c.prune(c.newest - int64(autoPruneWindows)*int64(c.window))
	}
}

// prefix makes cd the doc being assigned: features are counted, and candidates found, among the
// live docs published within the window before it.
func (c *Clusterer) prefix(cd *cdoc) {
	c.round++
	c.cur = cd
	c.from = cd.t - int64(c.window)
	hi, _ := slices.BinarySearchFunc(c.all, cd, cmpDocs)
	lo := sort.Search(hi, func(i int) bool { return c.all[i].t >= c.from })
	c.n = hi - lo
}

// span returns the posting list's docs within the window before the current doc, and the
// feature's rarity among the docs of the window.
func (c *Clusterer) span(pl *plist) ([]*cdoc, float64) {
	if pl.mark != c.round {
		pl.mark = c.round
		if pl.ver == c.ver && pl.at != nil && !c.cur.before(pl.at) {
			// Docs are assigned in canonical order: the span only moves forward.
			pl.hi = gallopBefore(pl.docs, pl.hi, c.cur)
			pl.lo = gallopOlder(pl.docs[:pl.hi], min(pl.lo, pl.hi), c.from)
		} else {
			pl.hi, _ = slices.BinarySearchFunc(pl.docs, c.cur, cmpDocs)
			pl.lo = sort.Search(pl.hi, func(i int) bool { return pl.docs[i].t >= c.from })
		}
		pl.ver, pl.at = c.ver, c.cur
		// The doc itself counts, so that a feature new in the window is rare, not unknown.
		pl.idf = idf(pl.hi-pl.lo+1, c.n+1)
	}
	return pl.docs[pl.lo:pl.hi], pl.idf
}

// gallopBefore returns the index of the first doc of list from i on that is not before cur, all
// docs before i being before it: an exponential search forward, cheap when the answer is near i.
func gallopBefore(list []*cdoc, i int, cur *cdoc) int {
	step := 1
	for i+step <= len(list) && list[i+step-1].before(cur) {
		i += step
		step *= 2
	}
	end := min(i+step-1, len(list))
	return i + sort.Search(end-i, func(k int) bool { return !list[i+k].before(cur) })
}

// gallopOlder is gallopBefore for the first doc published at or after from.
func gallopOlder(list []*cdoc, i int, from int64) int {
	step := 1
	for i+step <= len(list) && list[i+step-1].t < from {
		i += step
		step *= 2
	}
	end := min(i+step-1, len(list))
	return i + sort.Search(end-i, func(k int) bool { return list[i+k].t >= from })
}

// weights fills dst with the rarity-scaled weight of each of d's features (counted before the
// current doc).
func (c *Clusterer) weights(d *cdoc, dst []float64) []float64 {
	dst = dst[:0]
	for i, f := range d.f.feats {
		_, w := c.span(d.pl[i])
		dst = append(dst, f.w*w)
	}
	return dst
}

// weightOf is the rarity-scaled weight of feature j of d.
func (c *Clusterer) weightOf(d *cdoc, j int) float64 {
	_, w := c.span(d.pl[j])
	return d.f.feats[j].w * w
}

// best returns the story of the most similar doc before cd, if similar enough.
func (c *Clusterer) best(cd *cdoc) *story {
	clear(c.named)
	c.named = c.named[:0]
	c.prefix(cd)
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
		damp := c.damping(cd, k.d)
		if tot.upperBound(cd, k.d)*damp < joinThreshold*(1-1e-9) {
			continue // cannot reach the threshold: skip the exact comparison
		}
		s := c.likeness(cd, c.wNew, k.d) * damp
		if s < joinThreshold {
			continue
		}
		found := false
		for i := range links {
			if links[i].st == k.d.story {
				links[i].s = max(links[i].s, s)
				links[i].n++
				found = true
			}
		}
		if !found {
			links = append(links, link{k.d.story, s, 1})
		}
	}
	// The stories whose signature cd names; the largest is cd's story when it links to none.
	var sigStory *story
	for _, st := range c.sigCandidates(cd, top) {
		if st == sigStory || absNanos(cd.t-st.last) > int64(sigGap) || !(st.namesSignature(cd) || c.owns(st, cd)) {
			continue
		}
		if !slices.Contains(c.named, st) {
			c.named = append(c.named, st)
		}
		if sigStory == nil || len(st.members) > len(sigStory.members) || (len(st.members) == len(sigStory.members) && st.id < sigStory.id) {
			sigStory = st
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
		return strings.Compare(x.st.id, y.st.id)
	})
	var out *story
	for _, l := range links {
		if l.st.newProceeding(cd) {
			continue
		}
		if l.s < strongLink && l.n < 2 && len(l.st.members) > 2 {
			continue // one weak link to a story of several reports: a chain, not agreement
		}
		if c.storyAverage(cd, l.st) >= storyAvgThreshold {
			out = l.st
			break
		}
	}
	clear(links)
	c.links = links[:0]
	if out == nil {
		out = sigStory
	}
	return out
}

// sigCandidates returns the large stories whose signature cd may name: those of its best
// candidates, and those of the latest docs naming each of its entities (a report worded unlike a
// large story's reports, in another language say, has none of them among its best candidates).
func (c *Clusterer) sigCandidates(cd *cdoc, top []cand) []*story {
	out := c.sigStories[:0]
	add := func(st *story) {
		if st != nil && len(st.members) >= sigMinDocs && !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	for _, k := range top {
		add(k.d.story)
	}
	for i, f := range cd.f.feats {
		if f.kind != fEntity {
			continue
		}
		list, _ := c.span(cd.pl[i])
		for _, o := range list[max(0, len(list)-sigSample):] {
			add(o.story)
		}
	}
	c.sigStories = out
	return out
}

// gather finds the docs within the window before cd that share uncommon features with it and
// leaves them in c.touched, each with the weight it shares (acc, accE), and cd's weights in
// c.wNew. It returns cd's weight totals. Call prefix(cd) first.
func (c *Clusterer) gather(cd *cdoc) weightTotals {
	c.wNew = c.weights(cd, c.wNew)
	round := c.round
	touched := c.touched[:0]
	// The newcomer's weight by kind, in all and in features too common to look up: what bounds
	// its similarity to a candidate (see upperBound).
	var tot weightTotals
	for i, f := range cd.f.feats {
		list, _ := c.span(cd.pl[i])
		w := c.wNew[i]
		tot.add(f.kind, w, len(list) > maxPostings)
		if len(list) == 0 || len(list) > maxPostings {
			continue
		}
		for _, o := range list {
			if f.kind == fWord && otherLanguage(&o.f, &cd.f) {
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

// storyAverage is the mean similarity of cd to the story's latest docs before it.
func (c *Clusterer) storyAverage(cd *cdoc, st *story) float64 {
	k, _ := slices.BinarySearchFunc(st.members, cd, cmpDocs)
	recent := st.members[max(0, k-storyRecent):k]
	if len(recent) == 0 {
		return 1
	}
	sum := 0.0
	for _, d := range recent {
		sum += c.similarityW(cd, c.wNew, d)
	}
	return sum / float64(len(recent))
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
	k := sort.Search(len(c.all), func(i int) bool { return c.all[i].t >= cut })
	if k == 0 {
		return
	}
	dead := map[*cdoc]bool{}
	for _, d := range c.all[:k] {
		dead[d] = true
		delete(c.docs, d.id)
		st := d.story
		st.members = slices.DeleteFunc(st.members, func(m *cdoc) bool { return m == d })
		st.sc.add(d, -1)
		if len(st.members) == 0 {
			delete(c.stories, st.id)
		}
		d.story = nil
	}
	c.all = slices.Delete(c.all, 0, k)
	c.merges = slices.DeleteFunc(c.merges, func(r mergeRec) bool { return dead[r.cause] })
	for h, list := range c.keyDocs {
		if list = slices.DeleteFunc(list, func(d *cdoc) bool { return dead[d] }); len(list) == 0 {
			delete(c.keyDocs, h)
		} else {
			c.keyDocs[h] = list
		}
	}
	for h, pl := range c.postings {
		pl.docs = slices.DeleteFunc(pl.docs, func(d *cdoc) bool { return dead[d] })
		pl.mark, pl.at = 0, nil
		if len(pl.docs) == 0 {
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

// StoryIDFor returns the id a new story started by the doc with this id
// gets, so a caller can tell whether Add started a story or joined one.
func StoryIDFor(docID string) string { return storyIDFor(docID) }
