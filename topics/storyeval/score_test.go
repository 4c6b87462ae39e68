package storyeval

import (
	"math"
	"path/filepath"
	"slices"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScore(t *testing.T) {
	items, err := Load(filepath.Join("testdata", "small.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	gold := Gold(items)
	if len(gold) != 6 {
		t.Fatalf("loaded %d items, want 6", len(gold))
	}
	const (
		q1, q2, q3 = "a.xml|a1", "b.xml|b1", "c.xml|c1"
		cup        = "a.xml|a2"
		b1, b2     = "b.xml|b2", "c.xml|c2"
	)
	tests := []struct {
		name         string
		got          map[string]string
		p, r         float64
		mixed, split int
		splitOf      string // the labelled story reported split first
		mixedParts   int    // labels in the first mixed story
	}{
		{"perfect", map[string]string{q1: "x", q2: "x", q3: "x", cup: "y", b1: "z", b2: "z"}, 1, 1, 0, 0, "", 0},
		// Everything apart: precision 1; recall is 1/3 for the quake items, 1/2 for the budget,
		// 1 for the singleton: (3/3 + 2/2 + 1)/6.
		{"all apart", map[string]string{q1: "1", q2: "2", q3: "3", cup: "4", b1: "5", b2: "6"}, 1, 3.0 / 6, 0, 2, "colombia-quake", 0},
		// The cup joins the quake: its 4 items have precision 3/4 (quake) or 1/4 (cup).
		{"one wrong merge", map[string]string{q1: "x", q2: "x", q3: "x", cup: "x", b1: "z", b2: "z"}, (3*0.75 + 0.25 + 2) / 6, 1, 1, 0, "", 2},
		// An item missing from the prediction is a story of its own.
		{"missing", map[string]string{q1: "x", q2: "x", cup: "y", b1: "z", b2: "z"}, 1, (2.0/3*2 + 1.0/3 + 3) / 6, 0, 1, "colombia-quake", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Score(tt.got, gold)
			if !near(rep.P, tt.p) || !near(rep.R, tt.r) {
				t.Errorf("P %.4f R %.4f, want %.4f %.4f", rep.P, rep.R, tt.p, tt.r)
			}
			if f := 2 * tt.p * tt.r / (tt.p + tt.r); !near(rep.F1, f) {
				t.Errorf("F1 %.4f, want %.4f", rep.F1, f)
			}
			if len(rep.Mixed) != tt.mixed || len(rep.Split) != tt.split {
				t.Errorf("mixed %d split %d, want %d %d", len(rep.Mixed), len(rep.Split), tt.mixed, tt.split)
			}
			if rep.Multi != 2 || rep.Labelled != 3 {
				t.Errorf("labelled %d (multi %d), want 3 (2)", rep.Labelled, rep.Multi)
			}
			if tt.split > 0 && rep.Split[0].ID != tt.splitOf {
				t.Errorf("first split %s, want %s", rep.Split[0].ID, tt.splitOf)
			}
			if tt.mixed > 0 && len(rep.Mixed[0].Parts) != tt.mixedParts {
				t.Errorf("first mixed story has %d labels, want %d", len(rep.Mixed[0].Parts), tt.mixedParts)
			}
		})
	}
}

func TestSamePartition(t *testing.T) {
	a := map[string]string{"1": "x", "2": "x", "3": "y"}
	tests := []struct {
		b    map[string]string
		want bool
	}{
		{map[string]string{"1": "p", "2": "p", "3": "q"}, true},
		{map[string]string{"1": "p", "2": "q", "3": "q"}, false},
		{map[string]string{"1": "p", "2": "p", "3": "p"}, false},
		{map[string]string{"1": "p", "2": "p"}, false},
		{map[string]string{"1": "p", "2": "p", "4": "q"}, false},
	}
	for i, tt := range tests {
		if got := SamePartition(a, tt.b); got != tt.want {
			t.Errorf("%d: SamePartition = %v, want %v", i, got, tt.want)
		}
	}
}

func TestFilter(t *testing.T) {
	items, err := Load(filepath.Join("testdata", "small.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	keys := func(its []Item) []string {
		var out []string
		for _, it := range its {
			out = append(out, it.Key())
		}
		return out
	}
	if got := keys(Filter{Days: []string{"2026-01-04"}, Skip: []string{"c"}}.Apply(items)); !slices.Equal(got, []string{"a.xml|a2", "b.xml|b2"}) {
		t.Errorf("day and skip filter kept %v", got)
	}
	if got := keys(Filter{Feeds: []string{"c.xml"}}.Apply(items)); !slices.Equal(got, []string{"c.xml|c1", "c.xml|c2"}) {
		t.Errorf("feed filter kept %v", got)
	}
}
