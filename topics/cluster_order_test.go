package topics

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// demoItems returns the dev items written for the `sitrep demo` feeds (stories d60 to d66 of
// testdata/labelled.jsonl): two Turkish drone strikes on one day, in Syria and in Iraq, three
// outlets' reports of one Iraq–Iran border memorandum, and unrelated items.
func demoItems(t *testing.T) []labelled {
	t.Helper()
	var out []labelled
	for _, it := range loadJSONL[labelled](t, "labelled.jsonl") {
		if it.Split == "dev" && it.Batch == 4 {
			out = append(out, it)
		}
	}
	if len(out) < 6 {
		t.Fatalf("found %d demo items in labelled.jsonl, want at least 6", len(out))
	}
	return out
}

// permutations calls f with every ordering of 0..n-1.
func permutations(n int, f func([]int)) {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	var rec func(k int)
	rec = func(k int) {
		if k == n {
			f(p)
			return
		}
		for i := k; i < n; i++ {
			p[k], p[i] = p[i], p[k]
			rec(k + 1)
			p[k], p[i] = p[i], p[k]
		}
	}
	rec(0)
}

// clusterInOrder adds the items in the given order and reports the stories as sorted groups of
// item ids, and whether they are the gold stories.
func clusterInOrder(tg *Tagger, items []labelled, order []int) (groups string, ok bool) {
	c := NewClusterer(0)
	got, gold := map[string][]string{}, map[string][]string{}
	for _, i := range order {
		d := items[i].doc()
		c.Add(d, tg.Tag(d), "")
	}
	// A doc's story is read at the end: a doc added later but published earlier may have moved it.
	for _, i := range order {
		s, _ := c.StoryOf(items[i].ID)
		got[s] = append(got[s], items[i].ID)
		gold[items[i].Story] = append(gold[items[i].Story], items[i].ID)
	}
	norm := func(m map[string][]string) []string {
		var out []string
		for _, ids := range m {
			slices.Sort(ids)
			out = append(out, strings.Join(ids, "+"))
		}
		slices.Sort(out)
		return out
	}
	g, w := norm(got), norm(gold)
	return strings.Join(g, " "), slices.Equal(g, w)
}

// TestClusterOrderIndependent adds the demo's six strike and memorandum reports in all 720 orders
// and wants the same three stories every time: the strike in Syria alone, the two reports of the
// strike near Sinjar together, the three memorandum reports together.
func TestClusterOrderIndependent(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	var six []labelled
	for _, it := range demoItems(t) {
		if it.Story == "d60" || it.Story == "d61" || it.Story == "d62" {
			six = append(six, it)
		}
	}
	if len(six) != 6 {
		t.Fatalf("%d reports of stories d60-d62, want 6", len(six))
	}
	bad, n := map[string]int{}, 0
	permutations(len(six), func(order []int) {
		n++
		if groups, ok := clusterInOrder(tg, six, order); !ok {
			bad[groups]++
		}
	})
	for groups, k := range bad {
		t.Errorf("%d of %d orders gave stories %s", k, n, groups)
	}
}

// TestClusterOrderWithDistractors adds all demo items, the unrelated ones included, in a seeded
// sample of orders.
func TestClusterOrderWithDistractors(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	items := demoItems(t)
	rng := rand.New(rand.NewPCG(7, 11))
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	bad := map[string]int{}
	const tries = 300
	for k := 0; k < tries; k++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		if groups, ok := clusterInOrder(tg, items, order); !ok {
			bad[groups]++
		}
	}
	for groups, k := range bad {
		t.Errorf("%d of %d orders gave stories %s", k, tries, groups)
	}
}
