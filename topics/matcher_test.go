package topics

import (
	"slices"
	"testing"
)

// The prefix filter (wordIndex.stubs) only skips work: every word is matched as without it.
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
	stubs := m.ix.stubs
	m.ix.stubs = nil // the filter off
	if without := scan(); !slices.Equal(got, without) {
		t.Errorf("with the filter %v, without %v", got, without)
	}
	m.ix.stubs = stubs
	if m.ix.mayStartPrefix("xyz") || m.ix.mayStartPrefix("ew") {
		t.Error("words that start no prefix key pass the filter")
	}
}

// Matchers sharing a word index (one lookup of the text for all) find what each finds with an
// index of its own, also where one's exact word is another's prefix key or Arabic verb form.
func TestSharedWordIndex(t *testing.T) {
	lexicons := []struct {
		verbs   bool
		aliases []string
	}{
		{false, []string{"kill", "Kirkuk", "?Jordan", "!US", "north Iraq", "قصف"}},
		{true, []string{"kill*", "killed in", "strike*", "us", "قصف", "استهداف"}},
		{true, []string{"kirk*", "jordan river", "north", "iraq*"}},
	}
	shared := newWordIndex()
	for _, lx := range lexicons {
		own := newMatcher()
		in, err := newMatcherIn(shared)
		if err != nil {
			t.Fatal(err)
		}
		own.verbs, in.verbs = lx.verbs, lx.verbs
		for i, a := range lx.aliases {
			own.add(a, int32(i))
			in.add(a, int32(i))
		}
		for _, text := range []string{
			"US strikes killed in north Iraq near Kirkuk, Michael Jordan said",
			"Jordan River strikers kill us all; Iraqis killed",
			"طائرات تقصف مواقع بعد استهدافها",
		} {
			toks := tokenize(text, nil)
			scan := func(m *matcher, lk lookups) (got []int32) {
				m.scanLooked(toks, lk, func(id int32, s, e int) { got = append(got, id, int32(s), int32(e)) })
				return got
			}
			want := scan(own, lookups{})
			if got := scan(in, shared.lookup(toks, lookups{})); !slices.Equal(got, want) {
				t.Errorf("aliases %q in %q: shared index %v, own index %v", lx.aliases, text, got, want)
			}
		}
	}
	if _, err := newMatcherIn(shared); err != nil {
		t.Errorf("a fourth lexicon: %v", err)
	}
	if _, err := newMatcherIn(shared); err == nil {
		t.Errorf("a fifth lexicon in an index of %d: no error", maxLexicons)
	}
}
