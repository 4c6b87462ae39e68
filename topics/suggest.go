package topics

import (
	"slices"
	"strings"
)

// Suggest returns up to n candidates that word was probably meant to be ("did you mean"): those
// within a small edit distance (Damerau–Levenshtein, scaled with the word's length) or that start
// with word, closest first. Comparison ignores case and diacritics ("Türk" → "turkey").
func Suggest(word string, candidates []string, n int) []string {
	w := foldString(strings.TrimSpace(word))
	if w == "" || n <= 0 {
		return nil
	}
	type scored struct {
		c    string
		d    int
		pref bool
	}
	maxD := 1
	if l := len([]rune(w)); l >= 5 {
		maxD = 2
	}
	if l := len([]rune(w)); l >= 9 {
		maxD = 3
	}
	var out []scored
	for _, c := range candidates {
		lc := foldString(c)
		if lc == w {
			continue
		}
		pref := strings.HasPrefix(lc, w) && len(w) >= 2
		d := editDistance10(w, lc)
		if d <= 10*maxD || pref {
			out = append(out, scored{c, d, pref})
		}
	}
	slices.SortStableFunc(out, func(a, b scored) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.c, b.c)
	})
	res := make([]string, 0, min(n, len(out)))
	for _, s := range out {
		if len(res) == n {
			break
		}
		res = append(res, s.c)
	}
	return res
}

// Complete returns up to n candidates for autocompletion of prefix: candidates that start with it
// first (shortest first), then those with a word (after "-" or a space) that starts with it, then
// close misspellings. An empty prefix returns the first n candidates.
func Complete(prefix string, candidates []string, n int) []string {
	if n <= 0 {
		return nil
	}
	p := foldString(strings.TrimSpace(prefix))
	if p == "" {
		return slices.Clone(candidates[:min(n, len(candidates))])
	}
	var starts, inner []string
	for _, c := range candidates {
		lc := foldString(c)
		switch {
		case strings.HasPrefix(lc, p):
			starts = append(starts, c)
		case strings.Contains(lc, "-"+p) || strings.Contains(lc, " "+p):
			inner = append(inner, c)
		}
	}
	byLen := func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	}
	slices.SortStableFunc(starts, byLen)
	slices.SortStableFunc(inner, byLen)
	out := append(starts, inner...)
	if len(out) < n {
		for _, s := range Suggest(p, candidates, n) {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// confusable letter pairs: transliteration variants cost half an edit (irak/iraq, sirya/syria).
var confusable = map[[2]rune]bool{
	{'k', 'q'}: true, {'c', 'k'}: true, {'i', 'y'}: true, {'s', 'z'}: true, {'e', 'i'}: true, {'o', 'u'}: true,
	{'a', 'e'}: true, {'j', 'y'}: true, {'c', 's'}: true, {'v', 'w'}: true, {'-', ' '}: true,
}

func subCost(a, b rune) int {
	switch {
	case a == b:
		return 0
	case confusable[[2]rune{a, b}] || confusable[[2]rune{b, a}]:
		return 5
	}
	return 10
}

// editDistance is the optimal-string-alignment Damerau–Levenshtein distance between a and b in
// runes, rounded up, with confusable transliteration letters counting half.
func editDistance(a, b string) int { return (editDistance10(a, b) + 9) / 10 }

// editDistance10 is editDistance in tenths of an edit.
func editDistance10(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 256 || len(rb) > 256 {
		return 10 * max(len(ra), len(rb))
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = 10 * j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = 10 * i
		for j := 1; j <= len(rb); j++ {
			cost := subCost(ra[i-1], rb[j-1])
			cur[j] = min(prev[j]+10, cur[j-1]+10, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+10)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// foldString lower-cases s and removes diacritics, keeping every other character.
func foldString(s string) string {
	var b strings.Builder
	for _, r := range s {
		if f := foldRune(r); f != "" || isWordRune(r) {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
