package summarize

import (
	"unicode"
	"unicode/utf8"
)

// isWordRune reports whether r belongs to a word: letters and digits of any
// script, and combining marks (Arabic diacritics, Indic vowel signs).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// hashBytes hashes a word eight bytes at a time (words are short, so this is
// a multiply or two per word rather than one per byte). It takes a string
// or bytes without a copy.
func hashBytes[T ~string | ~[]byte](b T) uint64 {
	h := uint64(len(b)) * 0x9E3779B97F4A7C15
	for len(b) >= 8 {
		v := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		h = mix64(h ^ v)
		b = b[8:]
	}
	var v uint64
	for i := 0; i < len(b); i++ {
		v |= uint64(b[i]) << (8 * i)
	}
	return mix64(h ^ v ^ 0xA0761D6478BD642F)
}

// mix64 is a 64-bit finaliser (xor-shift-multiply).
func mix64(x uint64) uint64 {
	x ^= x >> 32
	x *= 0xD6E8FEB86659FD93
	x ^= x >> 32
	x *= 0xD6E8FEB86659FD93
	x ^= x >> 32
	return x
}

// maxWordBytes bounds one word; longer runs (base64, URLs) are cut.
const maxWordBytes = 48

// appendTerms appends the index terms of s to dst: words lower-cased, stop
// words dropped, English words lightly stemmed and folded with synonyms,
// every term hashed. Words of other scripts are kept as they are
// (lower-cased). It also reports whether s has a number and reported speech.
func appendTerms(s string, dst []uint64) ([]uint64, sentFlag) {
	var w word
	var flags sentFlag
	w.reset()
	for i := 0; i < len(s); {
		c := s[i]
		if w.n == 0 && asciiAlnum[c] {
			// fast path: a whole ASCII word bounded by ASCII
			j := i + 1
			for j < len(s) && asciiAlnum[s[j]] {
				j++
			}
			if j == len(s) || s[j] < utf8.RuneSelf {
				dst, flags = addASCII(s[i:j], dst, flags)
				i = j
				continue
			}
		}
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z':
			case c >= '0' && c <= '9':
				w.digit = true
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			default:
				if w.n > 0 {
					dst, flags = w.add(dst, flags)
					w.reset()
				}
				continue
			}
			w.push(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if !isWordRune(r) {
			if w.n > 0 {
				dst, flags = w.add(dst, flags)
				w.reset()
			}
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue // Arabic diacritics do not change the word
		}
		if unicode.IsDigit(r) {
			w.digit = true
		}
		var enc [utf8.UTFMax]byte
		k := utf8.EncodeRune(enc[:], unicode.ToLower(r))
		for _, b := range enc[:k] {
			w.push(b)
		}
		w.ascii = false
	}
	if w.n > 0 {
		dst, flags = w.add(dst, flags)
	}
	return dst, flags
}

// asciiAlnum marks ASCII letters and digits.
var asciiAlnum = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	return t
}()

// addASCII appends the term of an ASCII word (letters and digits only); it
// gives what pushing its bytes into a word and calling add would give.
func addASCII(s string, dst []uint64, flags sentFlag) ([]uint64, sentFlag) {
	n := min(len(s), maxWordBytes)
	var buf [maxWordBytes + 1]byte
	for k := 0; k < len(s); k++ {
		c := s[k]
		if c <= '9' {
			flags |= flagDigit
		} else if c <= 'Z' {
			c += 'a' - 'A'
		}
		if k < n {
			buf[k] = c
		}
	}
	if n < 2 {
		return dst, flags
	}
	return addTerm(buf[:n], true, dst, flags)
}

// addTerm appends the term of the lower-cased word w (with one spare byte of
// capacity for the "y" of a stem).
func addTerm(w []byte, ascii bool, dst []uint64, flags sentFlag) ([]uint64, sentFlag) {
	h := hashBytes(w)
	switch h {
	case hashSaid, hashSays, hashTold:
		flags |= flagSaid
	case hashYou, hashYour:
		flags |= flagYou
	}
	if stopSet.has(h) {
		return dst, flags
	}
	if ascii {
		k, y := lightStemLen(w)
		if y {
			h = hashBytes(append(w[:k], 'y'))
		} else if k != len(w) {
			h = hashBytes(w[:k])
		}
		if c, ok := synonymSet.get(h); ok {
			h = c
		}
	}
	return append(dst, h), flags
}

// word accumulates one lower-cased word of any script.
type word struct {
	buf   [maxWordBytes + 1]byte
	n     int
	ascii bool
	digit bool
}

func (w *word) reset() {
	w.n, w.ascii, w.digit = 0, true, false
}

func (w *word) push(c byte) {
	if w.n >= maxWordBytes {
		return
	}
	w.buf[w.n] = c
	w.n++
}

// add appends the term of the word to dst.
func (w *word) add(dst []uint64, flags sentFlag) ([]uint64, sentFlag) {
	if w.digit {
		flags |= flagDigit
	}
	if w.ascii && w.n < 2 {
		return dst, flags // "s" of "Iraq's", single letters
	}
	return addTerm(w.buf[:w.n], w.ascii, dst, flags)
}

// lightStemLen is lightStem as a length: the stem is w[:k], followed by "y"
// when y is true.
func lightStemLen(w []byte) (k int, y bool) {
	n := len(w)
	switch {
	case n > 4 && w[n-3] == 'i' && w[n-2] == 'e' && w[n-1] == 's':
		return n - 3, true
	case n > 4 && w[n-1] == 's' && w[n-2] == 'e' && w[n-3] == 's' && w[n-4] == 's':
		n -= 2
	case n > 3 && w[n-1] == 's' && w[n-2] != 's' && w[n-2] != 'u' && w[n-2] != 'i':
		n--
	case n > 5 && w[n-3] == 'i' && w[n-2] == 'n' && w[n-1] == 'g':
		n -= 3
	case n > 4 && w[n-2] == 'e' && w[n-1] == 'd':
		n -= 2
	}
	if n > 3 && w[n-1] == 'e' {
		n--
	}
	return n, false
}

var (
	hashSaid = hashBytes([]byte("said"))
	hashSays = hashBytes([]byte("says"))
	hashTold = hashBytes([]byte("told"))
	hashYou  = hashBytes([]byte("you"))
	hashYour = hashBytes([]byte("your"))
)

// hashTable is a small open-addressing map from term hashes to values, built
// once; lookups cost a multiply and a probe or two.
type hashTable struct {
	keys []uint64
	vals []uint64
	mask uint64
}

func newHashTable(n int) *hashTable {
	size := 16
	for size < 4*n {
		size <<= 1
	}
	return &hashTable{keys: make([]uint64, size), vals: make([]uint64, size), mask: uint64(size - 1)}
}

func (t *hashTable) put(k, v uint64) {
	if k == 0 {
		k = 1
	}
	for i := (k ^ k>>31) & t.mask; ; i = (i + 1) & t.mask {
		if t.keys[i] == 0 || t.keys[i] == k {
			t.keys[i], t.vals[i] = k, v
			return
		}
	}
}

func (t *hashTable) get(k uint64) (uint64, bool) {
	if k == 0 {
		k = 1
	}
	for i := (k ^ k>>31) & t.mask; ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case k:
			return t.vals[i], true
		case 0:
			return 0, false
		}
	}
}

func (t *hashTable) has(k uint64) bool {
	_, ok := t.get(k)
	return ok
}

// lightStem strips common English inflections so that "attacks", "attacked"
// and "attacking" index together; it is cheaper than a full Porter stemmer
// and good enough for similarity between sentences.
func lightStem(w []byte) []byte {
	k, y := lightStemLen(w)
	if y {
		return append(w[:k:k], 'y')
	}
	return w[:k]
}

// stopSet holds the hashes of function words of English, Arabic and Persian.
var stopSet = func() *hashTable {
	words := []string{
		"a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
		"aren", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
		"by", "can", "could", "couldn", "did", "didn", "do", "does", "doesn", "doing", "don", "down",
		"during", "each", "few", "for", "from", "further", "had", "hadn", "has", "hasn", "have", "haven",
		"having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in",
		"into", "is", "isn", "it", "its", "itself", "just", "ll", "me", "more", "most", "my", "myself",
		"no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
		"ourselves", "out", "over", "own", "re", "same", "she", "should", "shouldn", "so", "some",
		"such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these",
		"they", "this", "those", "through", "to", "too", "under", "until", "up", "ve", "very", "was",
		"wasn", "we", "were", "weren", "what", "when", "where", "which", "while", "who", "whom", "why",
		"will", "with", "won", "would", "wouldn", "you", "your", "yours", "yourself", "yourselves",
		"said", "says", "say", "told", "according", "one", "two", "new", "may", "might", "must",
		"can", "like", "get", "got", "going", "go", "went", "made", "make", "many", "much", "even",
		"still", "yet", "however", "since", "among", "within", "without", "around", "per", "via",
		"mr", "mrs", "ms", "cnn", "reuters", "ap", "afp",
		// Arabic
		"في", "من", "على", "إلى", "الى", "عن", "أن", "ان", "إن", "مع", "هذا", "هذه", "التي", "الذي",
		"الذين", "كان", "كانت", "قال", "قالت", "وقال", "لا", "ما", "لم", "لن", "قد", "ثم", "أو", "او",
		"بين", "كل", "بعد", "قبل", "عند", "حتى", "إذا", "هو", "هي", "هم", "ذلك", "تلك", "وفي", "ومن",
		"كما", "أي", "غير", "عليه", "فيه", "منذ", "خلال", "حول", "ضد", "لدى", "أيضا", "أيضاً",
		// Persian
		"و", "در", "به", "از", "که", "این", "را", "با", "است", "برای", "آن", "یک", "تا", "هم", "بر",
		"می", "شد", "شده", "کرد", "کرده", "بود", "نیز", "اما", "یا", "اگر", "هر", "آنها", "ما", "شما",
		"او", "خود", "دارد", "باید", "پس", "گفت", "کند", "کنند", "های", "ها",
	}
	t := newHashTable(len(words))
	for _, w := range words {
		t.put(hashBytes([]byte(w)), 1)
	}
	return t
}()

// synonyms folds news words that name the same thing, so that reports worded
// differently still match: "deal", "pact", "accord" and "memorandum" of an
// agreement; "killed", "dead" and "died". Keys are light stems.
var synonymSet = func() *hashTable {
	groups := [][]string{
		{"agreement", "agreements", "deal", "deals", "pact", "pacts", "accord", "accords", "treaty",
			"treaties", "memorandum", "memorandums", "memoranda", "mou", "mous"},
		{"killed", "kill", "kills", "killing", "dead", "died", "dies", "death", "deaths", "slain"},
		{"attack", "attacks", "attacked", "assault", "assaults", "strike", "strikes", "struck"},
		{"signed", "sign", "signs", "signing", "inked"},
		{"troops", "soldiers", "soldier", "troop"},
		{"wounded", "injured", "injuries", "wounds", "hurt"},
		{"border", "borders", "frontier", "frontiers"},
	}
	t := newHashTable(64)
	for _, g := range groups {
		head := hashBytes(lightStem([]byte(g[0])))
		for _, w := range g {
			t.put(hashBytes(lightStem([]byte(w))), head)
		}
	}
	return t
}()
