package topics

import (
	"slices"
)

// Story signatures: the entities that most of a large story's reports name. A report of a big
// multi-outlet event (a reaction, an analysis) often words the event differently from every
// single earlier report, yet names the same core entities; when it names the whole signature of
// such a story it joins on weaker evidence than a report that only resembles one earlier report.
// The signature is counted over the story's members, all published before the doc being assigned
// (assignment is in canonical order), so it keeps the stories a function of the set of docs.
const (
	sigMinDocs       = 8    // a story needs this many reports to have a signature
	sigShare         = 0.6  // ... and a signature entity is named by at least this share of them
	sigSize          = 2    // the signature is at most this many entities, the most named first
	sigJoinThreshold = 0.18 // minimum similarity to join a story whose whole signature a doc names
	sigConceptShare  = 0.1  // ... unless its headline names an event type fewer of the story's headlines name
)

// sigCounts counts, per entity feature, the story's members that have it.
type sigCounts struct {
	ents     map[uint64]int
	actors   map[uint64]bool // which of ents are people or groups
	concepts map[int32]int // event-type concepts of the headlines
	ver  uint64 // bumped at each change
	at   uint64 // ver when sig was computed
	sig  []uint64
}

func (s *sigCounts) add(d *cdoc, delta int) {
	if s.ents == nil {
		s.ents = map[uint64]int{}
	}
	if s.concepts == nil {
		s.concepts = map[int32]int{}
	}
	for _, c := range d.f.concepts {
		s.concepts[c] += delta
		if s.concepts[c] <= 0 {
			delete(s.concepts, c)
		}
	}
	for _, f := range d.f.feats {
		if f.kind == fEntity {
			if f.actor {
				if s.actors == nil {
					s.actors = map[uint64]bool{}
				}
				s.actors[f.h] = true
			}
			s.ents[f.h] += delta
			if s.ents[f.h] <= 0 {
				delete(s.ents, f.h)
			}
		}
	}
	s.ver++
}

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
	for _, c := range d.f.concepts {
		if float64(st.sc.concepts[c]) < sigConceptShare*float64(len(st.members)) {
			return false // another kind of event: a trial, a session, a threat
		}
	}
	for _, h := range sig {
		if _, ok := slices.BinarySearchFunc(d.f.feats, h, func(f feat, h uint64) int {
			switch {
			case f.h < h:
				return -1
			case f.h > h:
				return 1
			}
			return 0
		}); !ok {
			return false
		}
	}
	return true
}
