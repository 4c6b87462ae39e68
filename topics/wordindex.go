package topics

import "unicode/utf8"

// maxLexicons is how many matchers one wordIndex holds: the built-in one holds the gazetteer,
// the topic terms, the event concepts and the model's lexicon.
const maxLexicons = 4

// wordIndex holds the phrases of up to maxLexicons matchers (lexicons) by their first word, so
// that a text's words are looked up once for all of them (lookup) instead of once per matcher.
// It is filled while the matchers are built and read-only after.
type wordIndex struct {
	words map[string]*wordEntry
	n     int // lexicons: matchers built in the index (matcher.lex < n)
	// The prefix filter, over the prefix keys of every lexicon:
	minPre  int    // shortest prefix key, in bytes; 0: no lexicon has one
	preLen  uint64 // bit n set when some prefix key has n bytes (n < 64)
	preLong bool   // some prefix key has 64 bytes or more
	// stubs has the bit stubBit(k) set for every prefix key k (all of stubLen bytes or more when
	// shortKey is false): a word whose first bytes have no bit set starts no prefix phrase.
	stubs    *[1 << 16 / 64]uint64
	shortKey bool
}

// wordEntry is what each lexicon of a wordIndex has under one word.
type wordEntry struct {
	first [maxLexicons][]*phrase // phrases whose first token is the word, in the order added
	pre   [maxLexicons]int32     // the single-token prefix phrase ("kill*") keyed by the word added first, or -1
}

func newWordIndex() *wordIndex { return &wordIndex{words: map[string]*wordEntry{}} }

// entry returns the entry of word w, made when missing.
func (ix *wordIndex) entry(w string) *wordEntry {
	e := ix.words[w]
	if e == nil {
		e = &wordEntry{pre: noPrefix}
		ix.words[w] = e
	}
	return e
}

// noPrefix is the prefix phrase of every lexicon in a form that starts none.
var noPrefix = [maxLexicons]int32{-1, -1, -1, -1}

// add registers phrase p of lexicon lex.
func (ix *wordIndex) add(lex int, p *phrase) {
	if !p.prefix || len(p.toks) > 1 {
		e := ix.entry(p.toks[0])
		e.first[lex] = append(e.first[lex], p)
		return
	}
	k := p.toks[0]
	if e := ix.entry(k); e.pre[lex] < 0 {
		e.pre[lex] = p.id
	}
	if len(k) < stubLen {
		ix.shortKey = true
	} else {
		if ix.stubs == nil {
			ix.stubs = new([1 << 16 / 64]uint64)
		}
		b := stubBit(k)
		ix.stubs[b/64] |= 1 << (b % 64)
	}
	if ix.minPre == 0 || len(k) < ix.minPre {
		ix.minPre = len(k)
	}
	if len(k) < 64 {
		ix.preLen |= 1 << len(k)
	} else {
		ix.preLong = true
	}
}

// stubLen is how many leading bytes of a prefix key stubBit reads.
const stubLen = 3

// stubBit hashes the first stubLen bytes of s (len(s) >= stubLen) to a bit of wordIndex.stubs.
func stubBit(s string) uint32 {
	return (uint32(s[0])*16777619 ^ uint32(s[1])*65599 ^ uint32(s[2])) & 0xffff
}

// mayStartPrefix reports whether the word v may begin with a prefix key.
func (ix *wordIndex) mayStartPrefix(v string) bool {
	if ix.shortKey || ix.stubs == nil {
		return true
	}
	if len(v) < stubLen {
		return false // every key is at least stubLen bytes
	}
	b := stubBit(v)
	return ix.stubs[b/64]&(1<<(b%64)) != 0
}

// form is one lookup form of a token (see variants) as the index knows it.
type form struct {
	e   *wordEntry         // the form's entry; nil: no phrase starts with it
	pre [maxLexicons]int32 // per lexicon: the prefix phrase of the longest key the form starts with, or -1
}

// find looks the word form v up.
func (ix *wordIndex) find(v string) form {
	f := form{e: ix.words[v], pre: noPrefix}
	if ix.minPre == 0 || len(v) < ix.minPre || !ix.mayStartPrefix(v) {
		return f
	}
	// Try every prefix of v that is a whole rune sequence and as long as a key: the longer
	// key of a lexicon wins.
	for j := ix.minPre; j <= len(v); j++ {
		if j < 64 && ix.preLen&(1<<j) == 0 || j >= 64 && !ix.preLong {
			continue
		}
		if j < len(v) && !utf8.RuneStart(v[j]) {
			continue
		}
		e := f.e
		if j < len(v) {
			e = ix.words[v[:j]]
		}
		if e == nil {
			continue
		}
		for lex := range ix.n {
			if e.pre[lex] >= 0 {
				f.pre[lex] = e.pre[lex]
			}
		}
	}
	return f
}

// lookups are the forms of a token sequence as a wordIndex knows them (wordIndex.lookup):
// what every matcher of the index reads of the tokens, looked up once.
type lookups struct {
	ix    *wordIndex
	forms []form
	at    []formSpan // per token
}

// formSpan places a token's forms in lookups.forms: forms[start:start+plain] are its variants
// (the forms names are looked up under), forms[start:start+all] add the Arabic verb forms.
type formSpan struct{ start, plain, all int32 }

// slice returns the lookups of the tokens i to j-1; none (the matchers look the tokens up
// themselves) when lk does not reach j.
func (lk lookups) slice(i, j int) lookups {
	if j > len(lk.at) {
		return lookups{}
	}
	lk.at = lk.at[i:j]
	return lk
}

// lookup looks every form of toks up, reusing dst's lists.
func (ix *wordIndex) lookup(toks []token, dst lookups) lookups {
	dst.ix, dst.forms, dst.at = ix, dst.forms[:0], dst.at[:0]
	var arr [8]string
	vbuf := arr[:0]
	for _, t := range toks {
		vbuf = variants(t, vbuf)
		plain := len(vbuf)
		vbuf = verbVariants(t, vbuf)
		start := len(dst.forms)
		for _, v := range vbuf {
			dst.forms = append(dst.forms, ix.find(v))
		}
		dst.at = append(dst.at, formSpan{start: int32(start), plain: int32(plain), all: int32(len(vbuf))})
	}
	return dst
}
