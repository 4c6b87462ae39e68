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

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashBytes(b []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// maxWordBytes bounds one word; longer runs (base64, URLs) are cut.
const maxWordBytes = 48

// appendTerms appends the index terms of s to dst: words lower-cased, English
// stop words dropped, English words lightly stemmed, every term hashed. Words
// of other scripts are kept as they are (lower-cased).
func appendTerms(s string, dst []uint64) []uint64 {
	var buf [maxWordBytes + 4]byte
	n := 0
	ascii := true
	runes := 0
	flush := func() {
		if n > 0 && (runes > 1 || !ascii && buf[0] >= 0x80) {
			w := buf[:n]
			if _, stop := stopWords[string(w)]; !stop {
				if ascii {
					w = lightStem(w)
					if c, ok := synonyms[string(w)]; ok {
						w = append(w[:0], c...)
					}
				}
				dst = append(dst, hashBytes(w))
			}
		}
		n, runes, ascii = 0, 0, true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			default:
				flush()
				continue
			}
			if n < maxWordBytes {
				buf[n] = c
				n++
				runes++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if !isWordRune(r) {
			flush()
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue // Arabic diacritics do not change the word
		}
		r = unicode.ToLower(r)
		if n+utf8.UTFMax <= maxWordBytes {
			n += utf8.EncodeRune(buf[n:], r)
			runes++
		}
		ascii = false
	}
	flush()
	return dst
}

// lightStem strips common English inflections so that "attacks", "attacked"
// and "attacking" index together; it is cheaper than a full Porter stemmer
// and good enough for similarity between sentences.
func lightStem(w []byte) []byte {
	n := len(w)
	switch {
	case n > 4 && w[n-3] == 'i' && w[n-2] == 'e' && w[n-1] == 's':
		w = append(w[:n-3], 'y')
	case n > 4 && w[n-1] == 's' && w[n-2] == 'e' && w[n-3] == 's' && w[n-4] == 's':
		w = w[:n-2]
	case n > 3 && w[n-1] == 's' && w[n-2] != 's' && w[n-2] != 'u' && w[n-2] != 'i':
		w = w[:n-1]
	case n > 5 && w[n-3] == 'i' && w[n-2] == 'n' && w[n-1] == 'g':
		w = w[:n-3]
	case n > 4 && w[n-2] == 'e' && w[n-1] == 'd':
		w = w[:n-2]
	}
	n = len(w)
	if n > 3 && w[n-1] == 'e' {
		w = w[:n-1]
	}
	return w
}

// stopWords are function words of English, Arabic and Persian.
var stopWords = func() map[string]struct{} {
	m := make(map[string]struct{}, 300)
	for _, w := range []string{
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
	} {
		m[w] = struct{}{}
	}
	return m
}()

// synonyms folds news words that name the same thing, so that reports worded
// differently still match: "deal", "pact", "accord" and "memorandum" of an
// agreement; "killed", "dead" and "died". Keys are light stems.
var synonyms = func() map[string]string {
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
	m := map[string]string{}
	for _, g := range groups {
		head := string(lightStem([]byte(g[0])))
		for _, w := range g {
			m[string(lightStem([]byte(w)))] = head
		}
	}
	return m
}()
