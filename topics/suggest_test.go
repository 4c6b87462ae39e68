package topics

import (
	"slices"
	"testing"
)

func TestSuggest(t *testing.T) {
	regions := regionSlugs()
	tests := []struct {
		word  string
		cands []string
		n     int
		want  []string
	}{
		{"irak", regions, 1, []string{"iraq"}},
		{"iram", regions, 2, []string{"iran", "iraq"}},
		{"terorism", builtinTopics, 3, []string{"terrorism"}},
		{"border", builtinTopics, 3, []string{"border-security"}},
		{"sirya", regions, 1, []string{"syria"}},
		{"zzzzzz", regions, 3, []string{}},
		{"iraq", regions, 0, nil},
	}
	for _, tt := range tests {
		got := Suggest(tt.word, tt.cands, tt.n)
		if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("Suggest(%q, _, %d) = %v, want %v", tt.word, tt.n, got, tt.want)
		}
	}
}

func TestComplete(t *testing.T) {
	cands := append(regionSlugs(), builtinTopics...)
	tests := []struct {
		prefix string
		n      int
		want   []string
	}{
		{"ir", 5, []string{"iran", "iraq"}},
		{"kurd", 3, []string{"kurdistan-region"}},
		{"sec", 5, []string{"border-security", "maritime-security"}}, // inner words
		{"saudi", 1, []string{"saudi-arabia"}},
		{"Türk", 2, []string{"turkey"}},
		{"", 2, cands[:2]},
	}
	for _, tt := range tests {
		got := Complete(tt.prefix, cands, tt.n)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("Complete(%q, _, %d) = %v, want it to contain %q", tt.prefix, tt.n, got, w)
			}
		}
		if len(got) > tt.n {
			t.Errorf("Complete(%q, _, %d) returned %d", tt.prefix, tt.n, len(got))
		}
	}
}
