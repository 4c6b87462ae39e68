package replay

import (
	"testing"
	"time"
)

func TestGuard(t *testing.T) {
	g := New(2)
	t0 := time.Unix(1000, 0)
	steps := []struct {
		key  string
		at   time.Duration
		want bool
	}{
		{"a", 0, true},
		{"a", time.Minute, false},
		{"b", 0, true},
		{"c", time.Minute, false}, // full of live entries: refuse
		{"a", 2*Window + 1, true}, // a expired and is forgotten
		{"c", 2*Window + time.Second, true},
	}
	for i, s := range steps {
		if got := g.First(s.key, t0.Add(s.at)); got != s.want {
			t.Errorf("step %d: First(%q) = %v, want %v", i, s.key, got, s.want)
		}
	}
}
