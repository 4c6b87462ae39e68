// Package rouge scores summaries against references with ROUGE-N and
// ROUGE-Lsum, following the conventions of Google's rouge-score package
// (lower-casing, non-alphanumerics to spaces, Porter stemming of tokens
// longer than three characters), whose figures match ROUGE-1.5.5.
package rouge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Score is one ROUGE measurement.
type Score struct {
	Precision, Recall, F1 float64
}

func newScore(hits, candTotal, refTotal int) Score {
	var s Score
	if candTotal > 0 {
		s.Precision = float64(hits) / float64(candTotal)
	}
	if refTotal > 0 {
		s.Recall = float64(hits) / float64(refTotal)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// Tokenize lower-cases s, turns every character other than a-z and 0-9
// into a space, splits on spaces and Porter-stems tokens longer than three
// characters, as rouge-score does with stemming on.
func Tokenize(s string) []string {
	var toks []string
	var buf []byte
	flush := func() {
		if len(buf) == 0 {
			return
		}
		w := string(buf)
		if len(w) > 3 {
			w = Stem(w)
		}
		if w != "" {
			toks = append(toks, w)
		}
		buf = buf[:0]
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			// Python's str.lower maps a few non-ASCII letters to ASCII: the
			// Kelvin sign to "k", and "İ" to "i" plus a combining dot (which
			// then separates words).
			r, n := utf8.DecodeRuneInString(s[i:])
			i += n
			switch l := unicode.ToLower(r); {
			case r == 'İ':
				buf = append(buf, 'i')
				flush()
			case l < utf8.RuneSelf && (l >= 'a' && l <= 'z' || l >= '0' && l <= '9'):
				buf = append(buf, byte(l))
			default:
				flush()
			}
			continue
		}
		i++
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			buf = append(buf, c)
		case c >= 'A' && c <= 'Z':
			buf = append(buf, c+'a'-'A')
		default:
			flush()
		}
	}
	flush()
	return toks
}

// RougeN scores n-gram overlap between candidate and reference.
func RougeN(candidate, reference string, n int) Score {
	return ngramScore(Tokenize(candidate), Tokenize(reference), n)
}

func ngramScore(cand, ref []string, n int) Score {
	if n < 1 {
		return Score{}
	}
	rc := ngrams(ref, n)
	cc := ngrams(cand, n)
	hits := 0
	for g, c := range cc {
		hits += min(c, rc[g])
	}
	return newScore(hits, max(0, len(cand)-n+1), max(0, len(ref)-n+1))
}

func ngrams(toks []string, n int) map[string]int {
	m := make(map[string]int, len(toks))
	for i := 0; i+n <= len(toks); i++ {
		m[strings.Join(toks[i:i+n], " ")]++
	}
	return m
}

// RougeLsum scores summary-level longest common subsequences: candidate and
// reference are split into sentences at "\n", each reference sentence is
// matched against the union of its LCSs with every candidate sentence, and
// each token counts at most as often as it occurs on both sides.
func RougeLsum(candidate, reference string) Score {
	cands := sentences(candidate)
	refs := sentences(reference)
	m, n := 0, 0
	refCount := map[string]int{}
	candCount := map[string]int{}
	for _, r := range refs {
		m += len(r)
		for _, t := range r {
			refCount[t]++
		}
	}
	for _, c := range cands {
		n += len(c)
		for _, t := range c {
			candCount[t]++
		}
	}
	if m == 0 || n == 0 {
		return Score{}
	}
	hits := 0
	for _, r := range refs {
		for _, t := range unionLCS(r, cands) {
			if candCount[t] > 0 && refCount[t] > 0 {
				hits++
				candCount[t]--
				refCount[t]--
			}
		}
	}
	return newScore(hits, n, m)
}

// RougeL scores the longest common subsequence of the two texts as wholes.
func RougeL(candidate, reference string) Score {
	c, r := Tokenize(candidate), Tokenize(reference)
	return newScore(lcsLen(r, c), len(c), len(r))
}

func sentences(text string) [][]string {
	var out [][]string
	for _, line := range strings.Split(text, "\n") {
		if line == "" {
			continue
		}
		out = append(out, Tokenize(line))
	}
	return out
}

func lcsTable(ref, cand []string) [][]int {
	t := make([][]int, len(ref)+1)
	for i := range t {
		t[i] = make([]int, len(cand)+1)
	}
	for i := 1; i <= len(ref); i++ {
		for j := 1; j <= len(cand); j++ {
			if ref[i-1] == cand[j-1] {
				t[i][j] = t[i-1][j-1] + 1
			} else {
				t[i][j] = max(t[i-1][j], t[i][j-1])
			}
		}
	}
	return t
}

func lcsLen(ref, cand []string) int {
	return lcsTable(ref, cand)[len(ref)][len(cand)]
}

// lcsIndices returns the indices into ref of one LCS of ref and cand, found
// by backtracking the table the way rouge-score does.
func lcsIndices(ref, cand []string) []int {
	t := lcsTable(ref, cand)
	i, j := len(ref), len(cand)
	var idx []int
	for i > 0 && j > 0 {
		switch {
		case ref[i-1] == cand[j-1]:
			idx = append(idx, i-1)
			i--
			j--
		case t[i][j-1] > t[i-1][j]:
			j--
		default:
			i--
		}
	}
	for a, b := 0, len(idx)-1; a < b; a, b = a+1, b-1 {
		idx[a], idx[b] = idx[b], idx[a]
	}
	return idx
}

// unionLCS returns the tokens of ref that belong to an LCS with any of the
// candidate sentences, in ref order.
func unionLCS(ref []string, cands [][]string) []string {
	in := make([]bool, len(ref))
	for _, c := range cands {
		for _, i := range lcsIndices(ref, c) {
			in[i] = true
		}
	}
	var out []string
	for i, ok := range in {
		if ok {
			out = append(out, ref[i])
		}
	}
	return out
}
