package feeds

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// xmlDeclRe matches an XML declaration at the start of a document and
// captures its encoding pseudo-attribute.
var xmlDeclRe = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']`)

// declaredXMLEncoding returns the encoding label of the XML declaration, if any.
func declaredXMLEncoding(b []byte) string {
	head := b
	if len(head) > 512 {
		head = head[:512]
	}
	m := xmlDeclRe.FindSubmatch(head)
	if m == nil {
		return ""
	}
	return strings.ToLower(string(m[1]))
}

// contentTypeCharset returns the charset parameter of a Content-Type value.
func contentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return strings.ToLower(strings.Trim(params["charset"], `"' `))
}

// isUTF8Label reports whether label names UTF-8 (or plain ASCII, a subset).
func isUTF8Label(label string) bool {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "unicode-1-1-utf-8", "us-ascii", "ascii":
		return true
	}
	return false
}

// lookupEncoding maps a charset label to an encoding (WHATWG names and aliases,
// so "iso-8859-1" and "latin1" are windows-1252, a superset).
func lookupEncoding(label string) encoding.Encoding {
	if label == "" {
		return nil
	}
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil
	}
	return e
}

// toUTF8 decodes document bytes to valid UTF-8 and reports the charset used.
// Order: byte order mark; UTF-16 without BOM (NUL pattern); bytes that are
// valid UTF-8, or nearly so, whatever the labels say; the XML declaration;
// the HTTP charset; then detection.
func toUTF8(b []byte, contentType string) ([]byte, string) {
	switch {
	case bytes.HasPrefix(b, bomUTF8):
		return validUTF8(b[len(bomUTF8):]), "utf-8"
	case bytes.HasPrefix(b, bomUTF16LE):
		return decodeWith(xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM), b), "utf-16le"
	case bytes.HasPrefix(b, bomUTF16BE):
		return decodeWith(xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM), b), "utf-16be"
	}
	if len(b) >= 4 {
		switch {
		// two ASCII characters (such as "<?" or "\n<") in UTF-16 without a BOM
		case b[0] != 0 && b[0] < 0x80 && b[1] == 0 && b[2] != 0 && b[2] < 0x80 && b[3] == 0:
			return decodeWith(xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), b), "utf-16le"
		case b[0] == 0 && b[1] != 0 && b[1] < 0x80 && b[2] == 0 && b[3] != 0 && b[3] < 0x80:
			return decodeWith(xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), b), "utf-16be"
		}
	}
	if utf8.Valid(b) {
		return b, "utf-8"
	}
	if mostlyUTF8(b) {
		// UTF-8 with a few stray bytes: legacy text seldom forms valid
		// multibyte sequences, so labels are not trusted over this.
		return validUTF8(b), "utf-8"
	}
	for _, label := range []string{declaredXMLEncoding(b), contentTypeCharset(contentType)} {
		if label == "" || isUTF8Label(label) || strings.HasPrefix(label, "utf-16") {
			continue
		}
		e := lookupEncoding(label)
		if e == nil {
			continue
		}
		if e == charmap.Windows1252 {
			// Latin-1 is many servers' default label, often wrong for
			// Arabic or Cyrillic bytes: trust it only if detection agrees.
			if de, name, ok := detectNonLatin(b); ok {
				return decodeWith(de, b), name
			}
		}
		return decodeWith(e, b), label
	}
	e, name := detectSingleByte(b)
	return decodeWith(e, b), name
}

// validUTF8 replaces invalid sequences with U+FFFD.
func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}

// decodeWith decodes b with e; on failure it falls back to replacement.
func decodeWith(e encoding.Encoding, b []byte) []byte {
	out, _, err := transform.Bytes(e.NewDecoder(), b)
	if err != nil {
		return validUTF8(b)
	}
	return validUTF8(out)
}

// mostlyUTF8 reports whether b has many valid multibyte UTF-8 sequences and
// few invalid bytes (a UTF-8 document with a handful of stray bytes).
func mostlyUTF8(b []byte) bool {
	var multi, bad int
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			bad++
			b = b[1:]
			continue
		}
		multi++
		b = b[size:]
	}
	return multi >= 4 && bad*10 <= multi
}

// singleByteCandidates are the code pages detection chooses between.
var singleByteCandidates = []struct {
	name string
	enc  *charmap.Charmap
}{
	{"windows-1252", charmap.Windows1252},
	{"windows-1256", charmap.Windows1256},
	{"windows-1251", charmap.Windows1251},
	{"windows-1255", charmap.Windows1255},
	{"windows-1253", charmap.Windows1253},
	{"iso-8859-7", charmap.ISO8859_7},
	{"windows-1250", charmap.Windows1250},
	{"windows-1254", charmap.Windows1254},
}

// detectSingleByte picks the single-byte code page under which the bytes read
// most like words of one script: a non-Latin script should fill whole words,
// a Latin one should mix accented letters into mostly ASCII words, and no
// decoding should produce symbols, undefined bytes or case flips inside words.
func detectSingleByte(b []byte) (encoding.Encoding, string) {
	best, _, _ := rankSingleByte(b)
	c := singleByteCandidates[best]
	return c.enc, c.name
}

// rankSingleByte scores every candidate code page and returns the index of
// the best, its score, and the score of windows-1252 (index 0).
func rankSingleByte(b []byte) (best, bestScore, latinScore int) {
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	bestScore = -1 << 62
	for i, c := range singleByteCandidates {
		s := scoreDecoding(c.enc, b)
		if i == 0 {
			latinScore = s
		}
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	return best, bestScore, latinScore
}

// detectNonLatin reports a non-Latin code page when the bytes read clearly
// better under it than under windows-1252.
func detectNonLatin(b []byte) (encoding.Encoding, string, bool) {
	best, bestScore, latinScore := rankSingleByte(b)
	if best == 0 || bestScore-latinScore < 10 {
		return nil, "", false
	}
	c := singleByteCandidates[best]
	return c.enc, c.name, true
}

// scoreDecoding rates how plausible the non-ASCII letters of b are under cm.
func scoreDecoding(cm *charmap.Charmap, b []byte) int {
	score := 0
	i := 0
	for i < len(b) {
		if b[i] < 0x80 && !isASCIILetter(b[i]) {
			i++
			continue
		}
		// a word: a run of ASCII letters and high bytes
		j := i
		for j < len(b) && (b[j] >= 0x80 || isASCIILetter(b[j])) {
			j++
		}
		score += scoreWord(cm, b[i:j])
		i = j
	}
	return score
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// scoreWord rates one word made of ASCII letters and high bytes.
func scoreWord(cm *charmap.Charmap, w []byte) int {
	var high, ascii, letters, common, bad, flips int
	var script *unicode.RangeTable
	mixed := false
	prevLower := false
	for k, c := range w {
		if c < 0x80 {
			ascii++
			continue
		}
		high++
		r := cm.DecodeByte(c)
		switch {
		case r == utf8.RuneError || r == '\uFFFD':
			bad += 2
			continue
		case unicode.Is(unicode.Mn, r):
			// combining marks (Arabic harakat, Hebrew points) are fine after a letter
			if k == 0 {
				bad++
			}
			continue
		case r == '\u200e' || r == '\u200f' || r == '\u200c' || r == '\u200d':
			continue
		case !unicode.IsLetter(r):
			bad++
			continue
		}
		letters++
		if commonLetters[unicode.ToLower(r)] {
			common++
		}
		s := scriptOf(r)
		if script == nil {
			script = s
		} else if s != script {
			mixed = true
		}
		if k > 0 && unicode.IsUpper(r) && prevLower {
			flips++
		}
		prevLower = unicode.IsLower(r)
	}
	if high == 0 {
		return 0
	}
	score := -3*bad - 2*flips
	if mixed {
		score -= high
	}
	switch {
	case script == unicode.Latin:
		// accented Latin letters sit inside mostly ASCII words
		if ascii >= high {
			score += letters
		} else {
			score -= letters
		}
	case script != nil:
		// other scripts fill whole words, mostly with their common letters
		if ascii == 0 {
			score += letters + 2*common
		} else {
			score -= high
		}
	}
	return score
}

// commonLetters are the most frequent letters of the main languages written
// in each non-Latin script detection considers (Russian, Arabic/Persian,
// Hebrew, Greek); a wrong code page yields rarer letters.
var commonLetters = func() map[rune]bool {
	m := map[rune]bool{}
	for _, s := range []string{
		"оеаинтсрвлкмдпуяыь",
		"اليمونرتبةعدسفهكقأح",
		"יוהאלרתבמשנעםדכק",
		"αοιετνσςυρπκμληάίόέ",
	} {
		for _, r := range s {
			m[r] = true
		}
	}
	return m
}()

// scriptTables are the scripts detection distinguishes.
var scriptTables = []*unicode.RangeTable{unicode.Latin, unicode.Arabic, unicode.Hebrew, unicode.Cyrillic, unicode.Greek}

func scriptOf(r rune) *unicode.RangeTable {
	for _, t := range scriptTables {
		if unicode.Is(t, r) {
			return t
		}
	}
	return unicode.Common
}

// setXMLDeclUTF8 rewrites the encoding of a leading XML declaration to UTF-8,
// since the bytes have been converted already.
func setXMLDeclUTF8(b []byte) []byte {
	head := b
	if len(head) > 512 {
		head = head[:512]
	}
	loc := xmlDeclRe.FindSubmatchIndex(head)
	if loc == nil || bytes.EqualFold(b[loc[2]:loc[3]], []byte("UTF-8")) {
		return b // no declaration, or it says UTF-8 already: the XML decoder reads it as it is
	}
	out := make([]byte, 0, len(b)+8)
	out = append(out, b[:loc[2]]...)
	out = append(out, "UTF-8"...)
	out = append(out, b[loc[3]:]...)
	return out
}
