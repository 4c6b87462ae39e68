// Package storyeval scores story grouping against hand-labelled stories: B-cubed precision,
// recall and F1, the predicted stories that mix labelled stories, and the labelled stories that
// are split. It also runs the topics tagger and clusterer over a labelled JSONL file (the
// format of ../shared/corpus/labelled/dev.jsonl) to produce the predicted stories.
package storyeval

import (
	"slices"
	"sort"
)

// Report is the score of a predicted partition against the labelled one.
type Report struct {
	Items     int     // items scored
	Predicted int     // predicted stories
	Labelled  int     // labelled stories
	Multi     int     // labelled stories with more than one item
	P, R, F1  float64 // B-cubed precision, recall and F1, averaged over items
	Mixed     []Group // predicted stories holding items of two or more labelled stories
	Split     []Group // labelled multi-item stories whose items are in two or more predicted stories
}

// Group is one predicted story that mixes labelled stories (Parts keyed by label) or one
// labelled story that is split (Parts keyed by predicted story), with the item ids of each
// part, largest part first.
type Group struct {
	ID    string
	Parts []Part
}

// Part is the items of a group that share one key.
type Part struct {
	Key string
	IDs []string
}

// Score compares got (item id → predicted story) with gold (item id → labelled story) over the
// items of gold. An item missing from got counts as a story of its own.
func Score(got, gold map[string]string) Report {
	rep := Report{Items: len(gold)}
	if len(gold) == 0 {
		return rep
	}
	pred := func(id string) string {
		if s, ok := got[id]; ok {
			return "p:" + s
		}
		return "missing:" + id
	}
	byGot := map[string][]string{}
	byGold := map[string][]string{}
	ids := make([]string, 0, len(gold))
	for id := range gold {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		byGot[pred(id)] = append(byGot[pred(id)], id)
		byGold[gold[id]] = append(byGold[gold[id]], id)
	}
	// B-cubed: for each item, the share of its predicted story that has its label (precision)
	// and the share of its labelled story that shares its predicted story (recall). The counts
	// of label within each predicted story make this linear in the items.
	cell := map[[2]string]int{}
	for _, id := range ids {
		cell[[2]string{pred(id), gold[id]}]++
	}
	var p, r float64
	for _, id := range ids {
		same := float64(cell[[2]string{pred(id), gold[id]}])
		p += same / float64(len(byGot[pred(id)]))
		r += same / float64(len(byGold[gold[id]]))
	}
	n := float64(len(ids))
	rep.P, rep.R = p/n, r/n
	if rep.P+rep.R > 0 {
		rep.F1 = 2 * rep.P * rep.R / (rep.P + rep.R)
	}
	rep.Predicted, rep.Labelled = len(byGot), len(byGold)
	for s, members := range byGot {
		if g := groupBy(s, members, func(id string) string { return gold[id] }); len(g.Parts) > 1 {
			rep.Mixed = append(rep.Mixed, g)
		}
	}
	for s, members := range byGold {
		if len(members) < 2 {
			continue
		}
		rep.Multi++
		if g := groupBy(s, members, pred); len(g.Parts) > 1 {
			rep.Split = append(rep.Split, g)
		}
	}
	order := func(a, b Group) int {
		if d := size(b) - size(a); d != 0 {
			return d
		}
		if a.ID < b.ID {
			return -1
		}
		return 1
	}
	slices.SortFunc(rep.Mixed, order)
	slices.SortFunc(rep.Split, order)
	return rep
}

func size(g Group) int {
	n := 0
	for _, p := range g.Parts {
		n += len(p.IDs)
	}
	return n
}

// groupBy splits members (sorted) by key, largest part first, then by key.
func groupBy(id string, members []string, key func(string) string) Group {
	idx := map[string]int{}
	g := Group{ID: id}
	for _, m := range members {
		k := key(m)
		i, ok := idx[k]
		if !ok {
			i = len(g.Parts)
			idx[k] = i
			g.Parts = append(g.Parts, Part{Key: k})
		}
		g.Parts[i].IDs = append(g.Parts[i].IDs, m)
	}
	slices.SortFunc(g.Parts, func(a, b Part) int {
		if d := len(b.IDs) - len(a.IDs); d != 0 {
			return d
		}
		if a.Key < b.Key {
			return -1
		}
		return 1
	})
	return g
}

// SamePartition reports whether two assignments (item id → story) group the same items
// together, whatever the story ids are called.
func SamePartition(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	ab, ba := map[string]string{}, map[string]string{}
	for id, x := range a {
		y, ok := b[id]
		if !ok {
			return false
		}
		if v, seen := ab[x]; seen && v != y {
			return false
		}
		if v, seen := ba[y]; seen && v != x {
			return false
		}
		ab[x], ba[y] = y, x
	}
	return true
}
