package topics

import (
	"slices"
	"sort"
	"time"
)

// Story signatures: the entities that most reports of a large story name (the raid's country, its
// captured leader and the state that raided). Reactions and analyses of a big multi-outlet event
// word it too differently to resemble any one earlier report closely, yet name its signature.
// Places count by the regions they name or imply ("Caracas", "Venezuelan" and "Venezuela" all
// name venezuela), people and groups by themselves. A report names a signature when it names at
// least two of its entities. A report that links to no story joins the largest young story whose
// signature it names; a report that names the signatures of two young stories with the same
// signature (pieces of one event that grew apart) merges them, and a small story all of whose
// reports name the signature of a large one is merged into it. None of this happens when the
// report's headline names a kind of event (a trial, a session) that the story's headlines never
// name, or misses the kind most of them name. Signatures are counted over the members of a story,
// all published before the doc being assigned (assignment is in canonical order), and a merge is
// undone when the doc that made it is assigned again, so the stories stay a function of the set
// of docs. Tuned on ../shared/corpus/labelled/dev.jsonl, days 2026-01-03 and 04, and checked on
// 2026-01-05 (see Clusterer).
const (
	sigMinDocs         = 8              // a story needs this many reports to have a signature
	sigShare           = 0.5            // a signature entity is named by at least this share of them
	sigSize            = 3              // the signature is at most this many entities, the most named first
	sigGap             = 24 * time.Hour // a story takes reports by signature this long after its latest
	sigAge             = 48 * time.Hour // ... and this long after its first: later news is another event
	sigAgeAll          = 60 * time.Hour // ... or this long, for a report that names every entity of the signature
	sigTypeShare       = 0.3            // a kind of event this share of a story's headlines name is its type
	sigNamed           = 2              // a report names at least this many of a signature's entities
	sigProceedingRatio = 0.33           // ... and a story whose headlines name a proceeding this much less often than another's reports another event
	sigProceedingShare = 0.05           // a proceeding rarer than this among a story's headlines is a later event of its own
	absorbShare        = 0.6            // a small story this share of whose reports name a large story's signature is a piece of it
	ownShare           = 0.8            // a story holding this share of the reports naming its leading entity since it began owns that entity
	sigConceptShare    = 0.01           // a kind of event rarer than this among a story's headlines is another event
)

// sigCounts counts, per entity feature, the story's members that have it.
type sigCounts struct {
	ents     map[uint64]int
	actors   map[uint64]bool // which of ents are people or groups
	concepts map[int32]int   // event-type concepts of the headlines
	proc     map[int32]bool  // which of concepts are proceedings
	ver      uint64          // bumped at each change
	at       uint64          // ver when sig was computed
	sig      []uint64
}

// add counts d's entities and headline concepts in (delta 1) or out (delta -1).
func (s *sigCounts) add(d *cdoc, delta int) {
	if s.ents == nil {
		s.ents = map[uint64]int{}
	}
	if s.concepts == nil {
		s.concepts = map[int32]int{}
	}
	for _, c := range d.f.proceedings {
		if s.proc == nil {
			s.proc = map[int32]bool{}
		}
		s.proc[c] = true
	}
	for _, c := range d.f.concepts {
		s.concepts[c] += delta
		if s.concepts[c] <= 0 {
			delete(s.concepts, c)
		}
	}
	for _, f := range d.f.feats {
		if f.kind == fEntity && f.actor {
			if s.actors == nil {
				s.actors = map[uint64]bool{}
			}
			s.actors[f.h] = true
		}
	}
	for _, h := range d.f.sigKeys {
		s.ents[h] += delta
		if s.ents[h] <= 0 {
			delete(s.ents, h)
		}
	}
	s.ver++
}

// reset forgets all counts.
func (s *sigCounts) reset() {
	clear(s.ents)
	clear(s.concepts)
	s.ver++
}

// signature returns the story's signature entities (feature hashes), or nil when the story is too
// small or no entity is named by enough of its reports.
func (st *story) signature() []uint64 {
	n := len(st.members)
	if n < sigMinDocs {
		return nil
	}
	s := &st.sc
	if s.at == s.ver && s.sig != nil {
		return s.sig
	}
	s.at = s.ver
	s.sig = s.sig[:0]
	need := int(sigShare*float64(n) + 0.999)
	for h, k := range s.ents {
		if k >= need {
			s.sig = append(s.sig, h)
		}
	}
	slices.SortFunc(s.sig, func(a, b uint64) int {
		ka, kb := s.ents[a], s.ents[b]
		switch {
		case ka > kb:
			return -1
		case ka < kb:
			return 1
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	})
	if len(s.sig) > sigSize {
		s.sig = s.sig[:sigSize]
	}
	// Places alone are the setting of many events (Gaza and Israel); the event has its actors.
	if !slices.ContainsFunc(s.sig, func(h uint64) bool { return s.actors[h] }) {
		s.sig = s.sig[:0]
	}
	if s.sig == nil {
		s.sig = []uint64{}
	}
	return s.sig
}

// namesSignature reports whether d names every entity of the story's signature (of at least two).
func (st *story) namesSignature(d *cdoc) bool {
	sig := st.signature()
	if len(sig) < 2 {
		return false
	}
	if st.otherType(d) || d.t-st.first > int64(sigAgeAll) {
		return false
	}
	named := 0
	for _, h := range sig {
		if _, ok := slices.BinarySearch(d.f.sigKeys, h); ok {
			named++
		}
	}
	if named < len(sig) && d.t-st.first > int64(sigAge) {
		return false
	}
	return named >= min(len(sig), sigNamed)
}

// mergeRec records that the docs of story from were moved into story into because doc cause
// named the signature of both.
type mergeRec struct {
	cause      *cdoc
	from, into *story
	members    []*cdoc
}

// sameSet reports whether two signatures hold the same entities (of at least two).
func sameSet(a, b []uint64) bool {
	if len(a) != len(b) || len(a) < 2 {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// hasPinned reports whether a story holds a stored report.
func hasPinned(st *story) bool {
	return slices.ContainsFunc(st.members, func(m *cdoc) bool { return m.pinned })
}

// mergeNamed merges the young stories whose signature d names (found by best) into the largest
// of them when their signatures are the same and their kinds of event agree: d links pieces of
// one large event that grew apart. Stories holding stored (pinned) reports are never merged. The
// merged story keeps the id of the one with the earliest report; merged docs assigned before are
// recorded in moved. It returns d's story (st, or the story st was merged into).
func (c *Clusterer) mergeNamed(d *cdoc, st *story, old map[*cdoc]*story, moved map[string]string) *story {
	if len(c.named) == 0 {
		return st
	}
	named := slices.Clone(c.named)
	clear(c.named)
	c.named = c.named[:0]
	if hasPinned(st) {
		return st
	}
	// The target is the largest story whose signature d names.
	x := named[0]
	for _, y := range named[1:] {
		if len(y.members) > len(x.members) || (len(y.members) == len(x.members) && y.members[0].before(x.members[0])) {
			x = y
		}
	}
	if hasPinned(x) || d.t-x.first > int64(sigAge) {
		return st // stored, or no longer young: its pieces are other events by now
	}
	sig := slices.Clone(x.signature())
	if !slices.Contains(named, st) {
		named = append(named, st)
	}
	for _, y := range named {
		if y == x || c.stories[y.id] != y || hasPinned(y) || d.t-y.first > int64(sigAge) {
			continue
		}
		if !sameSet(sig, y.signature()) && !c.absorbs(x, y) {
			continue
		}
		// A small piece has too few headlines to tell its kind of event; absorbs checked each.
		if typesConflict(x, y) || (len(y.members) >= sigMinDocs && typesConflict(y, x)) {
			continue
		}
		x = c.merge(d, x, y, old, moved)
	}
	return d.story
}

// merge merges stories x and y because of doc d, into the one with the earliest report, records
// the merge so that assigning d again undoes it, and returns the merged story.
func (c *Clusterer) merge(d *cdoc, x, y *story, old map[*cdoc]*story, moved map[string]string) *story {
	into, from := x, y
	if y.members[0].before(x.members[0]) {
		into, from = y, x
	}
	members := slices.Clone(from.members)
	c.merges = append(c.merges, mergeRec{cause: d, from: from, into: into, members: members})
	delete(c.stories, from.id)
	from.members = nil
	from.rebuild()
	for _, m := range members {
		into.join(m)
		if moved != nil {
			// Also when reported already in this round (assigned to from before the merge).
			_, reported := moved[m.id]
			if o, ok := old[m]; !ok || o.id != into.id || reported {
				moved[m.id] = into.id
			}
		}
	}
	return into
}

// sweep gathers the pieces of a large young story: when d's joining brings story x to a size that
// is a power of two (8, 16, 32…), the small young stories around it all of whose reports name its
// signature (reports that came before the story was large enough to have one, or that resembled
// each other more than any report of it) are merged into it. Only docs before d are looked at, and
// the merges are recorded as d's, so the stories stay a function of the set of docs.
func (c *Clusterer) sweep(d *cdoc, x *story, old map[*cdoc]*story, moved map[string]string) *story {
	n := len(x.members)
	if n < sigMinDocs || n&(n-1) != 0 || hasPinned(x) || d.t-x.first > int64(sigAge) || len(x.signature()) < 2 {
		return x
	}
	from := x.first - int64(sigGap)
	lo := sort.Search(len(c.all), func(i int) bool { return c.all[i].t >= from })
	seen := map[*story]bool{}
	for _, m := range c.all[lo:] {
		if !m.before(d) {
			break
		}
		y := m.story
		if y == nil || y == x || seen[y] || c.stories[y.id] != y || hasPinned(y) || d.t-y.first > int64(sigAge) {
			continue
		}
		seen[y] = true
		if !c.absorbs(x, y) || typesConflict(x, y) {
			continue
		}
		x = c.merge(d, x, y, old, moved)
	}
	return x
}

// unmerge undoes the merges made by docs from first on, latest first, before they are assigned
// again.
func (c *Clusterer) unmerge(first *cdoc, moved map[string]string) {
	for len(c.merges) > 0 {
		r := c.merges[len(c.merges)-1]
		if r.cause.before(first) {
			return
		}
		c.merges = c.merges[:len(c.merges)-1]
		from := r.from
		if cur := c.stories[from.id]; cur != nil && cur != from {
			from = cur // cannot happen: the id of from derives from a doc that was in into
		}
		c.stories[from.id] = from
		back := map[*cdoc]bool{}
		for _, m := range r.members {
			if m.story == r.into { // else pruned, or assigned again since
				back[m] = true
			}
		}
		r.into.members = slices.DeleteFunc(r.into.members, func(m *cdoc) bool { return back[m] })
		for _, m := range r.members {
			if back[m] {
				from.join(m)
				if moved != nil {
					moved[m.id] = from.id
				}
			}
		}
		r.into.rebuild()
		for _, st := range []*story{r.into, from} {
			if len(st.members) == 0 && c.stories[st.id] == st {
				delete(c.stories, st.id)
			}
		}
	}
}

// typesConflict reports whether a kind of event that many of a's headlines name (a trial, a
// session) is rare among b's: two stories of one place and actors about different events.
func typesConflict(a, b *story) bool {
	na, nb := float64(len(a.members)), float64(len(b.members))
	for k, n := range a.sc.concepts {
		sa, sb := float64(n)/na, float64(b.sc.concepts[k])/nb
		if sa < sigTypeShare {
			continue
		}
		// A proceeding most of a's headlines name and b's name far less often: a's hearing is
		// not b's incident, even when a few of b's reports mention the hearing to come.
		if sb < sigConceptShare || (a.sc.proc[k] && sb < sa*sigProceedingRatio) {
			return true
		}
	}
	return false
}

// otherType reports whether d reports another kind of event than st, a story large enough to
// tell: its headline names a proceeding (a trial, a session, talks) that few of st's headlines
// name, or misses the kind most of them name, or is set elsewhere (see elsewhere). Other words of
// an event (protests, oil, a prison) are aspects that reactions to one event take up, not another
// event.
func (st *story) otherType(d *cdoc) bool {
	return st.newProceeding(d) || st.lacksType(d) || st.elsewhere(d)
}

// elsewhere reports whether d's headline is set in other countries than st's: it names places,
// none of them in a region of st's signature, and no person or group of the signature either
// ("Trump threatens Colombia" beside the raid on Venezuela and the capture of Maduro). A reaction
// names the event's country or its people beside its own ("China urges release of Maduro").
func (st *story) elsewhere(d *cdoc) bool {
	if len(d.f.headRegions) == 0 {
		return false
	}
	for _, h := range st.signature() {
		if _, ok := slices.BinarySearch(d.head, h); ok || slices.Contains(d.f.headRegions, h) {
			return false
		}
	}
	return true
}

// lacksType reports whether st, a story large enough to tell, is of a proceeding (a trial, a
// session) that many of its headlines name, and d's headline does not name it. Other kinds of
// event (a strike) are not required: reactions to a strike need not name it.
func (st *story) lacksType(d *cdoc) bool { return st.lacksTypeShare(d, sigTypeShare) }

func (st *story) lacksTypeShare(d *cdoc, share float64) bool {
	n := len(st.members)
	if n < sigMinDocs {
		return false
	}
	for c := range st.sc.proc {
		if k := st.sc.concepts[c]; float64(k) >= share*float64(n) && !slices.Contains(d.f.concepts, c) {
			return true
		}
	}
	return false
}

// absorbs reports whether y, a story too small to have a signature of its own, is a piece of the
// larger story x: most of its reports name x's signature (an early report of an event may name
// only its place), none reports another kind of event, and none is a feature published before
// x's first report: an explainer of a trial written before the hearing is about what led to it
// ("How Manhattan Federal Court Would Handle the Trial of a President", the night of the capture).
func (c *Clusterer) absorbs(x, y *story) bool {
	if len(y.members) >= sigMinDocs || len(y.members) == 0 {
		return false
	}
	named := 0
	for _, m := range y.members {
		if m.asks && m.t < x.first {
			return false
		}
		if x.namesSignature(m) || c.owns(x, m) {
			named++
		} else if x.otherType(m) {
			return false
		}
	}
	return float64(named) >= absorbShare*float64(len(y.members))
}

// newProceeding reports whether d's headline names a formal proceeding (a hearing, a council
// session) that few headlines of st, a story large enough to tell, name: d reports a later event
// of its own, however much it shares with st, so it does not join st even by resemblance.
func (st *story) newProceeding(d *cdoc) bool {
	n := len(st.members)
	if n < sigMinDocs {
		return false
	}
	for _, procs := range [2][]int32{d.f.proceedings, d.f.leadProcs} {
		for _, c := range procs {
			if float64(st.sc.concepts[c]) < sigProceedingShare*float64(n) {
				return true
			}
		}
	}
	return false
}

// owns reports whether cd, though it names only one entity of st's signature, belongs to st: the
// entity is the signature's leading one, and st, a young story, holds most of the reports that
// named it since st began. In the days of one dominant event, a report that names only its place
// (an early explosion report, an analysis) is about that event; where several stories share the
// place, none owns it.
func (c *Clusterer) owns(st *story, cd *cdoc) bool {
	sig := st.signature()
	if len(sig) < 2 || st.otherType(cd) || cd.t-st.first > int64(sigAge) {
		return false
	}
	h := sig[0]
	if _, ok := slices.BinarySearch(cd.f.sigKeys, h); !ok {
		return false
	}
	list := c.keyDocs[h]
	hi, _ := slices.BinarySearchFunc(list, cd, cmpDocs)
	lo := sort.Search(hi, func(i int) bool { return list[i].t >= st.first })
	// st's members naming h, less those after cd (stored reports keep their story when earlier
	// ones are assigned again).
	in := st.sc.ents[h]
	k, _ := slices.BinarySearchFunc(st.members, cd, cmpDocs)
	for _, m := range st.members[k:] {
		if _, ok := slices.BinarySearch(m.f.sigKeys, h); ok {
			in--
		}
	}
	return hi-lo >= sigMinDocs && float64(in) >= ownShare*float64(hi-lo)
}
