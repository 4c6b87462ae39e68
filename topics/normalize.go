package topics

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is one word of a text after normalization.
type token struct {
	norm   string // lower-cased, diacritics folded, Arabic letters unified, leading "ال" removed
	orig   string // the word as written (for case-sensitive aliases such as "US")
	arabic bool   // written in Arabic script
	joined bool   // written joined to the word before by a hyphen ("Crans-Montana", "Saudi-backed")
	sep    byte   // the last clause mark between the word before and this one: ',', ':', ';', '-' for a dash, or 0
}

var foldCache sync.Map // rune -> string, for runes above the table

// foldTable holds foldRune for runes below foldTableSize (Latin, Greek, Cyrillic, Arabic).
var foldTable = func() []string {
	t := make([]string, foldTableSize)
	for r := rune(0); r < foldTableSize; r++ {
		t[r] = computeFold(r)
	}
	return t
}()

const foldTableSize = 0x800

// foldRune lower-cases r, removes combining marks and unifies Arabic-script letter variants
// (alef forms, teh marbuta, Persian/Kurdish yeh and keheh, ...). It returns "" for runes that
// vanish (marks, tatweel).
func foldRune(r rune) string {
	if r >= 0 && r < foldTableSize {
		return foldTable[r]
	}
	if v, ok := foldCache.Load(r); ok {
		return v.(string)
	}
	s := computeFold(r)
	foldCache.Store(r, s)
	return s
}

func computeFold(r rune) string {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return string(r)
	}
	var b strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) || d == 'ـ' {
			continue
		}
		switch d {
		case 'ٱ', 'ٲ', 'ٳ':
			d = 'ا'
		case 'ة', 'ە', 'ھ', 'ہ', 'ۃ':
			d = 'ه'
		case 'ى', 'ی', 'ێ', 'ۍ', 'ے':
			d = 'ي'
		case 'ک', 'ڪ':
			d = 'ك'
		case 'ۆ', 'ۇ', 'ۋ':
			d = 'و'
		case 'ڵ':
			d = 'ل'
		case 'ڕ':
			d = 'ر'
		case 'ı':
			d = 'i'
		case 'ß':
			b.WriteString("ss")
			continue
		case '٠', '۰':
			d = '0'
		}
		if d >= '١' && d <= '٩' {
			d = '0' + (d - '٠')
		} else if d >= '۱' && d <= '۹' {
			d = '0' + (d - '۰')
		}
		b.WriteRune(unicode.ToLower(d))
	}
	return b.String()
}

func isArabicRune(r rune) bool {
	return (r >= 0x0600 && r <= 0x06FF) || (r >= 0x0750 && r <= 0x077F) || (r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == 'ـ'
}

// maxTokens bounds the work done on one text.
const maxTokens = 20000

// tokenize splits s into normalized word tokens, appending to dst. Words are maximal runs of
// letters, digits and combining marks; everything else (spaces, punctuation, apostrophes,
// hyphens) separates words.
func tokenize(s string, dst []token) []token { return tokenizeN(s, dst, maxTokens) }

// tokenizeN is tokenize stopping once dst holds limit tokens.
func tokenizeN(s string, dst []token, limit int) []token {
	var nb [64]byte
	buf := nb[:0]
	// The norms that differ from the text (lower-cased, folded) are gathered in one arena and
	// become substrings of a single string at the end: one allocation per call, not per word.
	var ab [512]byte
	arena := ab[:0]
	type fixup struct {
		idx, off, end int32
		strip         bool
	}
	var fb [64]fixup
	fix := fb[:0]
	start := -1
	arabic := false
	joined := false       // the word being read follows a hyphen that follows a word
	lastEnd := -1         // where the last word ended
	hyphenAfter := -1     // position of a hyphen right after the last word
	var sep, wordSep byte // clause mark since the last word; that of the word being read
	flush := func(end int) {
		if start < 0 {
			return
		}
		orig := s[start:end]
		start = -1
		if len(buf) == 0 {
			return
		}
		// Only a plain alef starts the article: "ألمانيا" (Germany) and Persian "آلمان"
		// begin with other alefs and keep their first letters.
		strip := arabic && strings.HasPrefix(orig, "ال")
		var n string
		if len(buf) == len(orig) && string(buf) == orig {
			n = orig // already normalized: share the text
			if strip {
				n = stripArticle(n)
			}
		} else {
			fix = append(fix, fixup{idx: int32(len(dst)), off: int32(len(arena)), end: int32(len(arena) + len(buf)), strip: strip})
			arena = append(arena, buf...)
		}
		buf = buf[:0]
		dst = append(dst, token{norm: n, orig: orig, arabic: arabic, joined: joined, sep: wordSep})
		lastEnd = end
	}
	done := func() []token {
		if len(fix) == 0 {
			return dst
		}
		all := string(arena)
		for _, f := range fix {
			n := all[f.off:f.end]
			if f.strip {
				n = stripArticle(n)
			}
			dst[f.idx].norm = n
		}
		return dst
	}
	for i, r := range s {
		if len(dst) >= limit {
			return done()
		}
		if !isWordRune(r) {
			flush(i)
			if r == '-' && i == lastEnd {
				hyphenAfter = i
			} else if m := clauseMark(r); m != 0 {
				sep = m
			}
			continue
		}
		if start < 0 {
			start = i
			arabic = false
			joined = hyphenAfter >= 0 && i == hyphenAfter+1
			hyphenAfter = -1
			wordSep, sep = sep, 0
		}
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			buf = append(buf, byte(r))
			continue
		}
		if isArabicRune(r) {
			arabic = true
		}
		buf = append(buf, foldRune(r)...)
	}
	flush(len(s))
	return done()
}

// clauseMark returns the mark a token's sep records for r, or 0.
func clauseMark(r rune) byte {
	switch r {
	case ',', ':', ';':
		return byte(r)
	case '،': // Arabic comma
		return ','
	case '؛':
		return ';'
	case '-', '–', '—':
		return '-'
	}
	return 0
}

// sepBefore returns what tokenize records as the sep of a word that follows s: the last clause
// mark among the characters after s's last word. It lets a text tokenized in pieces get the
// tokens of one pass.
func sepBefore(s string) byte {
	for i := len(s); i > 0; {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		if isWordRune(r) {
			return 0
		}
		i -= n
		if m := clauseMark(r); m != 0 {
			if r == '-' && i > 0 {
				if p, _ := utf8.DecodeLastRuneInString(s[:i]); isWordRune(p) {
					continue // a hyphen after a word ("Saudi-backed") joins, it does not separate
				}
			}
			return m
		}
	}
	return 0
}

// normalizeText returns the normalized tokens of s joined by single spaces.
func normalizeText(s string) string {
	toks := tokenize(s, nil)
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.norm
	}
	return strings.Join(parts, " ")
}

// stripArticle removes the Arabic definite article "ال" from a normalized word when enough of
// the word remains ("العراق" → "عراق").
func stripArticle(w string) string {
	if strings.HasPrefix(w, "ال") && utf8.RuneCountInString(w) >= 4 {
		return w[len("ال"):]
	}
	return w
}

// arabicClitics are the proclitics (conjunctions and prepositions) that attach to an Arabic word.
// "لل" is ل + ال with the alef dropped.
var arabicClitics = []string{"وبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك"}

// variants returns the forms under which a text token is looked up in a lexicon: the token itself,
// and for Arabic words the word with a proclitic removed. The first form is always t.norm.
func variants(t token, buf []string) []string {
	buf = append(buf[:0], t.norm)
	if !t.arabic {
		return buf
	}
	for _, p := range arabicClitics {
		if !strings.HasPrefix(t.norm, p) {
			continue
		}
		rest := t.norm[len(p):]
		if utf8.RuneCountInString(rest) < 3 {
			continue
		}
		// The folded form no longer tells a plain alef from a hamza one, so try the rest
		// without the article and, when it differs, as written ("بألمانيا" → "المانيا").
		buf = appendNew(buf, stripArticle(rest))
		buf = appendNew(buf, rest)
	}
	return buf
}

// verbVariants extends the lookup forms of an Arabic word (as returned by variants) with the
// forms that drop an imperfect-verb prefix (ي ت ن: "تقصف" → "قصف") or an attached pronoun
// ("استهدافها" → "استهداف"). Used for topic terms and event concepts, not for names.
func verbVariants(t token, buf []string) []string {
	if !t.arabic {
		return buf
	}
	n := len(buf)
	for _, v := range buf[:n] {
		for _, p := range []string{"ي", "ت", "ن"} {
			if rest, ok := strings.CutPrefix(v, p); ok && utf8.RuneCountInString(rest) >= 3 {
				buf = appendNew(buf, rest)
			}
		}
		for _, suf := range []string{"ها", "هم", "هما"} {
			if rest, ok := strings.CutSuffix(v, suf); ok && utf8.RuneCountInString(rest) >= 3 {
				buf = appendNew(buf, rest)
			}
		}
	}
	return buf
}

func appendNew(buf []string, s string) []string {
	for _, b := range buf {
		if b == s {
			return buf
		}
	}
	return append(buf, s)
}
