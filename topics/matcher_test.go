package topics

import (
	"slices"
	"testing"
)

// The prefix filter (matcher.stubs) only skips work: every word is matched as without it.
func TestMatcherPrefixFilter(t *testing.T) {
	m := newMatcher()
	for i, alias := range []string{"ewakuacj*", "zatrzyma*", "killed", "اغتيال*", "evacuat*"} {
		if !m.add(alias, int32(i)) {
			t.Fatalf("alias %q not added", alias)
		}
	}
	text := "Ewakuacja i zatrzymanie: evacuations after three were killed; اغتيالات ewa zat ev اغ"
	scan := func() (ids []int32) {
		m.scan(tokenize(text, nil), func(id int32, _, _ int) { ids = append(ids, id) })
		return ids
	}
	got := scan()
	if want := []int32{0, 1, 4, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("matches %v, want %v", got, want)
	}
	stubs := m.stubs
	m.stubs = nil // the filter off
	if without := scan(); !slices.Equal(got, without) {
		t.Errorf("with the filter %v, without %v", got, without)
	}
	m.stubs = stubs
	if m.mayStartPrefix("xyz") || m.mayStartPrefix("ew") {
		t.Error("words that start no prefix key pass the filter")
	}
}
