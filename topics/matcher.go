package topics

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// phrase is one alias or term of a lexicon, as normalized tokens.
type phrase struct {
	toks   []string
	id     int32  // what the phrase stands for (entity, term, concept index)
	cs     string // when not "", the text must contain exactly this word (case-sensitive alias like "US")
	prefix bool   // the last token matches any word that starts with it ("kill*")
	person bool   // also a person's name ("Jordan"): not matched where a name is around it
}

// matcher finds the phrases of one lexicon in token sequences. Its phrases are kept in a
// wordIndex by their first token, which may hold other matchers' phrases too: a text is looked up
// once (wordIndex.lookup) for all of them, a map lookup per token (and per Arabic clitic variant).
type matcher struct {
	ix    *wordIndex
	lex   int  // which lexicon of ix is this matcher's
	verbs bool // also look Arabic words up without verb prefixes and pronoun suffixes
}

// newMatcher returns a matcher with a word index of its own.
func newMatcher() *matcher {
	m, _ := newMatcherIn(newWordIndex())
	return m
}

// newMatcherIn returns a matcher whose phrases go into ix with those of its other matchers. It
// fails when ix holds maxLexicons already.
func newMatcherIn(ix *wordIndex) (*matcher, error) {
	if ix.n == maxLexicons {
		return nil, fmt.Errorf("topics: a word index holds %d lexicons at most", maxLexicons)
	}
	ix.n++
	return &matcher{ix: ix, lex: ix.n - 1}, nil
}

// add registers alias for id. A leading "!" makes the alias case-sensitive (single word only);
// a leading "?" marks a name that is also a person's name (see personContext); a trailing "*"
// makes the last word a prefix. It reports false when the alias has no words.
func (m *matcher) add(alias string, id int32) bool {
	alias = strings.TrimSpace(alias)
	p := &phrase{id: id}
	if strings.HasPrefix(alias, "?") {
		alias = alias[1:]
		p.person = true
	}
	if strings.HasPrefix(alias, "!") {
		alias = alias[1:]
		p.cs = alias
	}
	if strings.HasSuffix(alias, "*") {
		alias = strings.TrimSuffix(alias, "*")
		p.prefix = true
	}
	toks := tokenize(alias, nil)
	if len(toks) == 0 {
		return false
	}
	for _, t := range toks {
		p.toks = append(p.toks, t.norm)
	}
	if p.cs != "" && len(toks) == 1 {
		p.cs = toks[0].orig
	} else {
		p.cs = ""
	}
	m.ix.add(m.lex, p)
	return true
}

// matchAt reports how many tokens p covers when it starts at toks[i] (whose lookup form matched
// p.toks[0]), or 0.
func (p *phrase) matchAt(toks []token, i int) int {
	if p.cs != "" && toks[i].orig != p.cs {
		return 0
	}
	n := len(p.toks)
	if i+n > len(toks) {
		return 0
	}
	for k := 1; k < n; k++ {
		w := toks[i+k].norm
		if p.prefix && k == n-1 {
			if !strings.HasPrefix(w, p.toks[k]) {
				return 0
			}
			continue
		}
		if w != p.toks[k] {
			return 0
		}
	}
	return n
}

// scan calls fn for every non-overlapping longest phrase match in toks, left to right.
func (m *matcher) scan(toks []token, fn func(id int32, start, end int)) {
	m.scanLooked(toks, m.ix.lookup(toks, lookups{}), fn)
}

// scanLooked is scan with the tokens looked up already (lk, from the matcher's index).
func (m *matcher) scanLooked(toks []token, lk lookups, fn func(id int32, start, end int)) {
	if lk.ix != m.ix || len(lk.at) != len(toks) {
		lk = m.ix.lookup(toks, lookups{})
	}
	titleCase := -1 // whether toks read as a Title Case headline; worked out when first needed
	lastEnd := -1   // where the previous match ended
	for i := 0; i < len(toks); {
		best, bestID := 0, int32(-1)
		bestCS := false // the best match so far is an exact spelling ("!US")
		sp := lk.at[i]
		forms := lk.forms[sp.start : sp.start+sp.plain]
		if m.verbs {
			forms = lk.forms[sp.start : sp.start+sp.all]
		}
		for vi, f := range forms {
			var ps []*phrase
			if f.e != nil {
				ps = f.e.first[m.lex]
			}
			for _, p := range ps {
				if vi > 0 && p.cs != "" {
					continue
				}
				n := p.matchAt(toks, i)
				// The longest match wins; of two as long, an exact spelling beats a folded one
				// (Persian "!کردستان" beats the Arabic "كردستان" it folds to), else the first.
				if n < best || n == best && (p.cs == "" || bestCS) {
					continue
				}
				if p.person {
					if titleCase < 0 {
						titleCase = 0
						if isTitleCase(toks) {
							titleCase = 1
						}
					}
					if personContext(toks, i, n, lastEnd == i, titleCase == 1) {
						continue
					}
				}
				best, bestID, bestCS = n, p.id, p.cs != ""
			}
			if best == 0 && f.pre[m.lex] >= 0 {
				best, bestID = 1, f.pre[m.lex]
			}
			if best > 0 {
				break
			}
		}
		if best == 0 {
			i++
			continue
		}
		fn(bestID, i, i+best)
		i += best
		lastEnd = i
	}
}

// personContext reports whether the words toks[i:i+n] (a place name that is also a person's
// name, such as "Jordan" or "Chad") stand inside a person's name: after a capitalised word that
// is neither a recognised name (afterMatch) nor a capitalised function word ("Michael Jordan"),
// or before a capitalised word ("Jordan Bardella") unless the text capitalises every word.
func personContext(toks []token, i, n int, afterMatch, titleCase bool) bool {
	if i > 0 && !afterMatch && isCapitalised(toks[i-1]) && !capitalisedFunctionWords[toks[i-1].norm] {
		return true
	}
	if j := i + n; j < len(toks) && !titleCase && isCapitalised(toks[j]) && !capitalisedFunctionWords[toks[j].norm] {
		return true
	}
	return false
}

// capitalisedFunctionWords are words that start sentences and headlines or follow a country's
// name in capitals, so a capital letter on them says nothing about a person's name.
var capitalisedFunctionWords = map[string]bool{
	"in": true, "to": true, "from": true, "of": true, "the": true, "and": true, "with": true, "for": true,
	"at": true, "by": true, "on": true, "as": true, "after": true, "before": true, "why": true, "how": true,
	"what": true, "where": true, "when": true, "while": true, "inside": true, "across": true, "against": true,
	"between": true, "near": true, "over": true, "under": true, "into": true, "via": true, "both": true,
	"neighbouring": true, "neighboring": true, "but": true, "or": true, "if": true, "is": true, "a": true,
	"an": true, "also": true, "says": true, "said": true, "i": true, "we": true, "it": true, "us": true,
	"un": true, "eu": true, "pm": true, "fm": true, "live": true, "watch": true, "video": true, "photos": true,
}

// isCapitalised reports whether t is a Latin-script word written with a capital first letter.
func isCapitalised(t token) bool {
	if t.arabic || t.orig == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.orig)
	return unicode.IsUpper(r)
}

// isTitleCase reports whether most longer words of toks are capitalised, as in "Jordan Condemns
// Strike On Gaza": then a capital letter does not mark a name.
func isTitleCase(toks []token) bool {
	long, capd := 0, 0
	for k, t := range toks {
		if k >= 24 {
			break
		}
		if len(t.orig) < 4 || t.arabic {
			continue
		}
		long++
		if isCapitalised(t) {
			capd++
		}
	}
	return long >= 3 && capd*4 >= long*3
}
