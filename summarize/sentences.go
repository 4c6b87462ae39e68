package summarize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxSentenceBytes caps one sentence: text without punctuation (a 5 MB
// line, a table, binary noise) is cut at a space near this length so that
// no "sentence" can swallow the whole input.
const maxSentenceBytes = 1200

// span is a sentence as byte offsets into the text it came from.
type span struct {
	start, end int
	para       int // paragraph (block) number, for position features
}

// Split splits plain text into sentences. It keeps abbreviations ("U.S.",
// "Dr.", "Jan. 5"), initials, decimals and ellipses inside sentences, keeps
// closing quotes and brackets with the sentence they end, treats blank lines
// and bullet items as boundaries, understands Arabic and Persian full stops
// and question marks, and strips a leading news dateline ("BAGHDAD (Reuters) -",
// "(CNN) --") from the first sentence. Whitespace inside a sentence is folded
// to single spaces.
func Split(text string) []string {
	spans := splitSpans(text, nil, 0)
	out := make([]string, 0, len(spans))
	for _, sp := range spans {
		if s := sentenceText(text, sp); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// sentenceText returns the sentence of sp with whitespace folded.
func sentenceText(text string, sp span) string {
	s, _ := foldCount(text[sp.start:sp.end])
	return s
}

// byteClass classifies bytes for foldCount: 0 word byte, 1 ASCII space,
// 2 other ASCII white space, 3 possible lead byte of non-ASCII white space.
var byteClass = func() (t [256]uint8) {
	t[' '] = 1
	for _, c := range []byte{'\n', '\t', '\r', '\v', '\f'} {
		t[c] = 2
	}
	for _, c := range []byte{0xC2, 0xE1, 0xE2, 0xE3} {
		t[c] = 3
	}
	return t
}()

// foldCount trims s, folds runs of white space to single spaces (allocating
// only when needed) and counts its space-separated words.
func foldCount(s string) (string, int) {
	words := 0
	inWord := false
	prevSpace := true
	clean := true
	for i := 0; i < len(s); i++ {
		switch byteClass[s[i]] {
		case 0:
			if !inWord {
				words++
				inWord = true
			}
			prevSpace = false
			continue
		case 1:
			if prevSpace {
				clean = false // leading or double space
			}
		case 2:
			clean = false
		case 3:
			if !isWideSpaceAt(s, i) {
				if !inWord {
					words++
					inWord = true
				}
				prevSpace = false
				continue
			}
			clean = false
		}
		inWord = false
		prevSpace = true
	}
	if len(s) > 0 && prevSpace {
		clean = false // trailing space
	}
	if clean {
		return s, words
	}
	f := foldSpace(s)
	return f, countWords(f, 1<<30)
}

// foldSpace trims s and folds runs of whitespace into single spaces; it only
// allocates when s needs changing.
func foldSpace(s string) string {
	s = strings.TrimSpace(s)
	clean := true
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if prevSpace {
				clean = false
				break
			}
			prevSpace = true
			continue
		}
		if c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || spaceLead[c] && isWideSpaceAt(s, i) {
			clean = false
			break
		}
		prevSpace = false
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// spaceLead marks the UTF-8 lead bytes of non-ASCII white space (U+0085,
// U+00A0, U+1680, U+2000–U+205F, U+3000).
var spaceLead = func() (t [256]bool) {
	t[0xC2], t[0xE1], t[0xE2], t[0xE3] = true, true, true, true
	return t
}()

// isWideSpaceAt reports whether a non-ASCII space rune starts at s[i].
func isWideSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

// splitSpans appends the sentences of text to dst as byte spans, stopping
// at the paragraph where dst reaches limit sentences (0: no limit).
func splitSpans(text string, dst []span, limit int) []span {
	para := 0
	blockStart := -1
	prevEnd := -1 // end of the previous non-empty line in the current block
	i := 0
	for i <= len(text) {
		if limit > 0 && len(dst) >= limit {
			return dst
		}
		// find the end of this line
		j := strings.IndexByte(text[i:], '\n')
		lineEnd := len(text)
		next := len(text) + 1
		if j >= 0 {
			lineEnd = i + j
			next = lineEnd + 1
		}
		ls, le := trimSpan(text, i, lineEnd)
		switch {
		case ls == le: // blank line: paragraph boundary
			if blockStart >= 0 {
				dst = splitBlock(text, blockStart, prevEnd, para, dst, limit)
				para++
				blockStart = -1
			}
		default:
			bs, isBullet := bulletStart(text, ls, le)
			if blockStart >= 0 && (isBullet || !continues(text, prevEnd, ls)) {
				dst = splitBlock(text, blockStart, prevEnd, para, dst, limit)
				para++
				blockStart = -1
			}
			if blockStart < 0 {
				blockStart = bs
			}
			prevEnd = le
		}
		i = next
	}
	if blockStart >= 0 {
		dst = splitBlock(text, blockStart, prevEnd, para, dst, limit)
	}
	return dst
}

// trimSpan trims ASCII and Unicode spaces from both ends of text[s:e].
func trimSpan(text string, s, e int) (int, int) {
	for s < e {
		c := text[s]
		if c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' {
			s++
			continue
		}
		if c >= 0x80 {
			r, n := utf8.DecodeRuneInString(text[s:e])
			if unicode.IsSpace(r) || r == '\ufeff' {
				s += n
				continue
			}
		}
		break
	}
	for e > s {
		c := text[e-1]
		if c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' {
			e--
			continue
		}
		if c >= 0x80 {
			r, n := utf8.DecodeLastRuneInString(text[s:e])
			if unicode.IsSpace(r) {
				e -= n
				continue
			}
		}
		break
	}
	return s, e
}

// bulletStart reports whether the line text[s:e] is a bullet-list item and
// returns where its text starts.
func bulletStart(text string, s, e int) (int, bool) {
	if e-s < 2 {
		return s, false
	}
	c := text[s]
	if (c == '-' || c == '*' || c == '+') && text[s+1] == ' ' {
		return skipSpace(text, s+2, e), true
	}
	for _, m := range [...]string{"•", "·", "▪", "►", "–", "—", "‣", "◦"} {
		if strings.HasPrefix(text[s:e], m) {
			return skipSpace(text, s+len(m), e), true
		}
	}
	// "1. " / "2) " numbered items
	k := s
	for k < e && k-s < 3 && text[k] >= '0' && text[k] <= '9' {
		k++
	}
	if k > s && k+1 < e && (text[k] == '.' || text[k] == ')') && text[k+1] == ' ' {
		return skipSpace(text, k+2, e), true
	}
	return s, false
}

func skipSpace(text string, i, e int) int {
	for i < e && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	return i
}

// continues reports whether the line starting at ls continues the sentence of
// the line that ended at prevEnd (a hard-wrapped paragraph) rather than
// starting a new one (a heading, a new paragraph without a blank line).
func continues(text string, prevEnd, ls int) bool {
	last := text[prevEnd-1]
	if last == ',' || last == ';' || last == '-' || last == '(' {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[ls:])
	return unicode.IsLower(r)
}

// splitBlock finds the sentences of a paragraph text[bs:be].
func splitBlock(text string, bs, be, para int, dst []span, limit int) []span {
	first := len(dst)
	s := bs
	i := bs
	for {
		// skip bytes that cannot start a terminator
		for i < be && !termStart[text[i]] {
			i++
		}
		if i-s > maxSentenceBytes {
			cut := forceCut(text, s, s+maxSentenceBytes)
			dst = appendSpan(dst, text, s, cut, para)
			s = skipAllSpace(text, cut, be)
			if s > i {
				i = s
			}
			continue
		}
		if i >= be {
			break
		}
		c := text[i]
		tl := termLen(text, i, be)
		if tl == 0 {
			i++
			continue
		}
		termAt := i
		single := tl == 1 && c == '.'
		j := i + tl
		// runs of terminators and closing quotes/brackets (bounded: "!!!!…"
		// noise must not make one sentence unbounded)
		for j < be && j-termAt < 32 {
			if n := termLen(text, j, be); n > 0 {
				single = false
				j += n
				continue
			}
			if n := closerLen(text, j, be); n > 0 {
				j += n
				continue
			}
			break
		}
		if j < be && !isSpaceAt(text, j) {
			if gluedBoundary(text, s, termAt, j, be) {
				dst = appendSpan(dst, text, s, j, para)
				s = j
				if limit > 0 && len(dst) >= limit {
					s = be
					break
				}
			}
			i = j // "3.5", "U.S", "cnn.com": not a boundary
			continue
		}
		k := skipAllSpace(text, j, be)
		if k >= be {
			i = be
			break
		}
		if boundary(text, s, termAt, single, k, be) {
			dst = appendSpan(dst, text, s, j, para)
			s = k
			if limit > 0 && len(dst) >= limit {
				s = be // the rest is beyond what gets ranked
				break
			}
		}
		i = k
	}
	if s < be {
		dst = appendSpan(dst, text, s, be, para)
	}
	// a dateline only opens the first sentence of a paragraph
	if first < len(dst) {
		sp := &dst[first]
		sp.start = stripDateline(text, sp.start, sp.end)
		if sp.start >= sp.end {
			dst = append(dst[:first], dst[first+1:]...)
		}
	}
	return dst
}

func appendSpan(dst []span, text string, s, e, para int) []span {
	s, e = trimSpan(text, s, e)
	if s < e {
		dst = append(dst, span{start: s, end: e, para: para})
	}
	return dst
}

// forceCut picks where to cut an over-long sentence text[s:i]: the last space
// before i, or a rune boundary.
func forceCut(text string, s, i int) int {
	if k := strings.LastIndexByte(text[s:i], ' '); k > (i-s)/2 {
		return s + k
	}
	j := i
	for j > s && !utf8.RuneStart(text[j]) {
		j--
	}
	if j > s {
		return j
	}
	return i // not UTF-8 at all: cut anywhere, but always move forward
}

func skipAllSpace(text string, i, e int) int {
	for i < e {
		c := text[i]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			i++
			continue
		}
		if c >= 0x80 && isWideSpaceAt(text[:e], i) {
			_, n := utf8.DecodeRuneInString(text[i:e])
			i += n
			continue
		}
		break
	}
	return i
}

func isSpaceAt(text string, i int) bool {
	c := text[i]
	if c < utf8.RuneSelf {
		return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
	}
	return isWideSpaceAt(text, i)
}

// gluedBoundary reports whether a terminator at text[termAt] that is not
// followed by a space still ends the sentence: extraction sometimes drops
// the space ("on Wednesday.The stabbing"). It takes three lower-case letters
// before and a capital followed by two lower-case letters after.
func gluedBoundary(text string, s, termAt, j, e int) bool {
	if termAt-s < 3 || j+2 >= e {
		return false
	}
	if c := text[j]; c < 'A' || c > 'Z' {
		return false
	}
	for k := j + 1; k < j+3; k++ {
		if c := text[k]; c < 'a' || c > 'z' {
			return false
		}
	}
	for k := termAt - 3; k < termAt; k++ {
		if c := text[k]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// termStart marks the bytes that may start a sentence terminator.
var termStart = func() (t [256]bool) {
	for _, c := range []byte{'.', '!', '?', 0xE2, 0xD8, 0xDB, 0xE3, 0xEF, 0xE0} {
		t[c] = true
	}
	return t
}()

// termLen returns the byte length of a sentence terminator at text[i], or 0.
func termLen(text string, i, e int) int {
	switch c := text[i]; c {
	case '.', '!', '?':
		return 1
	case 0xE2: // … (E2 80 A6), ‼ (E2 80 BC), ⁇ ⁈ ⁉ (E2 81 87-89)
		if i+2 < e && text[i+1] == 0x80 && (text[i+2] == 0xA6 || text[i+2] == 0xBC) {
			return 3
		}
		if i+2 < e && text[i+1] == 0x81 && text[i+2] >= 0x87 && text[i+2] <= 0x89 {
			return 3
		}
	case 0xD8: // ؟ Arabic question mark U+061F
		if i+1 < e && text[i+1] == 0x9F {
			return 2
		}
	case 0xDB: // ۔ Arabic full stop U+06D4
		if i+1 < e && text[i+1] == 0x94 {
			return 2
		}
	case 0xE3: // 。 U+3002
		if i+2 < e && text[i+1] == 0x80 && text[i+2] == 0x82 {
			return 3
		}
	case 0xEF: // ！ U+FF01, ？ U+FF1F, ． U+FF0E
		if i+2 < e && text[i+1] == 0xBC && (text[i+2] == 0x81 || text[i+2] == 0x9F) {
			return 3
		}
	case 0xE0: // । Devanagari danda U+0964
		if i+2 < e && text[i+1] == 0xA5 && text[i+2] == 0xA4 {
			return 3
		}
	}
	return 0
}

// closerLen returns the length of a closing quote or bracket at text[i], or 0.
func closerLen(text string, i, e int) int {
	switch c := text[i]; c {
	case '"', '\'', ')', ']', '}':
		return 1
	case 0xE2: // ” ’ › (E2 80 9D, E2 80 99, E2 80 BA)
		if i+2 < e && text[i+1] == 0x80 && (text[i+2] == 0x9D || text[i+2] == 0x99 || text[i+2] == 0xBA) {
			return 3
		}
	case 0xC2: // » C2 BB
		if i+1 < e && text[i+1] == 0xBB {
			return 2
		}
	}
	return 0
}

// boundary decides whether the terminator at text[termAt], followed by white
// space, ends the sentence that started at s; the next word starts at k.
func boundary(text string, s, termAt int, single bool, k, e int) bool {
	r, _ := utf8.DecodeRuneInString(text[k:e])
	if unicode.IsLower(r) {
		return false // "e.g. this", "'Why?' he asked"
	}
	if !single {
		return true
	}
	// the word before a single period
	q := termAt
	for q > s && termAt-q < 16 {
		c := text[q-1]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' {
			q--
			continue
		}
		break
	}
	w := text[q:termAt]
	if w == "" {
		return true
	}
	if q > s {
		if c := text[q-1]; c >= '0' && c <= '9' || c == '-' || c == '\'' || c >= 0x80 {
			return true // "3-2.", "Gomis'." : not an abbreviation
		}
	}
	digit := r >= '0' && r <= '9'
	switch {
	case len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z':
		return false // initial: "John F. Kennedy"
	case strings.IndexByte(w, '.') >= 0:
		// "U.S.", "U.N.", "a.m.": a boundary only when a typical sentence opener follows
		return opensSentence(text, k, e)
	}
	switch abbrevKind(w) {
	case abbrevTitle:
		return false
	case abbrevNumber: // "No. 1", "Vol. 3"
		return !digit
	case abbrevMonth: // "Jan. 15" / "in Jan. The"
		if digit {
			return false
		}
		return opensSentence(text, k, e)
	case abbrevOther: // "Inc.", "etc.", "Corp."
		return opensSentence(text, k, e)
	}
	return true
}

// opensSentence reports whether the word at text[k:] is a capitalised word
// that commonly opens a sentence ("The", "He", "But", ...).
func opensSentence(text string, k, e int) bool {
	j := k
	for j < e && j-k < 12 {
		c := text[j]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			j++
			continue
		}
		break
	}
	if j == k {
		c := text[k]
		return c == '"' || c == '\'' || c == '(' || c >= 0x80
	}
	w := text[k:j]
	var buf [12]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	_, ok := sentenceOpeners[string(buf[:len(w)])]
	return ok
}
