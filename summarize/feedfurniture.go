package summarize

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// FeedFurniture learns the furniture of one feed from the items it has
// sent: a sentence or line that recurs across many of the feed's items
// ("Get our breaking news email, free app or daily news podcast", a
// Telegram promotion spliced into every description), a sentence template
// whose middle varies ("The post TITLE appeared first on SITE.") and an
// opening that recurs before the text ("TEHRAN, Aug. 11 (MNA) –", "تهران
// (پانا) -"). It keeps counts over the feed's most recent items only, so it
// follows a feed that changes its layout, and it counts an item once however
// often the feed lists it.
//
// The zero value is not usable; use NewFeedFurniture. Methods are safe for
// concurrent use.
type FeedFurniture struct {
	mu    sync.Mutex
	units map[string][]uint64 // item key -> its unit hashes
	order []string            // item keys, oldest first
	df    map[uint64]int      // unit hash -> items holding it
}

// NewFeedFurniture returns an empty model.
func NewFeedFurniture() *FeedFurniture {
	return &FeedFurniture{units: map[string][]uint64{}, df: map[uint64]int{}}
}

const (
	// furnitureWindow is how many of a feed's latest items are counted.
	furnitureWindow = 300
	// furnitureMinItems is the least number of items a unit must recur in.
	furnitureMinItems = 3
	// a whole sentence or opening is furniture when it recurs in at least
	// 1/sentenceShare of the items; a template with a varying slot, which
	// matches more loosely, in 1/templateShare.
	sentenceShare = 10
	templateShare = 4
	// a first sentence this long is the item's lead, never furniture.
	leadWords = 15
	// prefixWords bounds the length of a learned opening.
	prefixWords = 8
)

// unit kinds, mixed into the hash of the normalised text.
const (
	unitSentence = 's'
	unitTemplate = 't'
	unitPrefix   = 'p'
)

// Learn adds an item's text (as the feed sent it) to the model. An item
// already counted (same key) is not counted again; the oldest items beyond
// the window are forgotten. When it read the text it returns Clean(text)
// and true, which the caller may hand to CleanCleaned instead of cleaning
// the text twice.
func (f *FeedFurniture) Learn(key, text string) (cleaned string, ok bool) {
	if key == "" {
		key = text
	}
	f.mu.Lock()
	_, known := f.units[key]
	f.mu.Unlock()
	if known {
		return "", false
	}
	// Clean splits the text for its sentence rules; unitsOf reuses the
	// spans when those rules left the text as it was (they mostly do)
	buf := spanPool.Get().(*[]span)
	cleaned, _, split := cleanTextSpans(text, true, buf)
	if split != cleaned {
		*buf = splitSpans(cleaned, (*buf)[:0], 0)
	}
	us := unitsOfSpans(cleaned, *buf)
	spanPool.Put(buf)
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, known := f.units[key]; known {
		return cleaned, true
	}
	f.units[key] = us
	f.order = append(f.order, key)
	for _, u := range us {
		f.df[u]++
	}
	for len(f.order) > furnitureWindow {
		old := f.order[0]
		f.order = f.order[1:]
		for _, u := range f.units[old] {
			if f.df[u]--; f.df[u] <= 0 {
				delete(f.df, u)
			}
		}
		delete(f.units, old)
	}
	return cleaned, true
}

// Items returns how many items the model counts.
func (f *FeedFurniture) Items() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.order)
}

// Clean returns text cleaned by Clean and then stripped of the feed's
// learned furniture: recurring openings and recurring sentences. The
// item's first sentence is kept when it is long enough to be its lead.
func (f *FeedFurniture) Clean(text string) string {
	return f.CleanCleaned(Clean(text))
}

// CleanCleaned is Clean for a text that Clean has cleaned already (as
// Learn returns it).
func (f *FeedFurniture) CleanCleaned(text string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.order)
	if n < furnitureMinItems {
		return text
	}
	recurs := func(h uint64, share int) bool {
		c := f.df[h]
		return c >= furnitureMinItems && c*share >= n
	}
	// a recurring opening, longest first
	lead := strings.TrimLeft(text, " \t\r\n")
	var buf [prefixWords]opening
	for _, p := range openings(lead, buf[:0]) {
		if recurs(p.hash, sentenceShare) {
			text = strings.TrimLeft(lead[p.end:], " \t")
			break
		}
	}
	return onHead(text, func(head string) string { return f.dropLearned(head, recurs) })
}

// dropLearned drops the sentences of text that recur in the feed; f.mu is held.
func (f *FeedFurniture) dropLearned(text string, recurs func(h uint64, share int) bool) string {
	var scratch [256]byte
	norm := scratch[:0]
	return dropSentences(text, func(s string, i int) bool {
		if i == 0 && countWords(s, leadWords) >= leadWords {
			return false
		}
		norm = appendNorm(norm[:0], s)
		if len(norm) == 0 {
			return false
		}
		if recurs(unitHash(unitSentence, norm), sentenceShare) {
			return true
		}
		t, ok := templateHash(norm)
		return ok && recurs(t, templateShare)
	})
}

// unitsOf returns the distinct unit hashes of a cleaned item text. Its
// sentences are those of Split, normalised from their spans (normUnit
// folds white space as Split does).
func unitsOf(text string) []uint64 {
	buf := spanPool.Get().(*[]span)
	defer spanPool.Put(buf)
	*buf = splitSpans(text, (*buf)[:0], 0)
	return unitsOfSpans(text, *buf)
}

// unitsOfSpans is unitsOf given the sentence spans of text
// (splitSpans(text, nil, 0)).
func unitsOfSpans(text string, spans []span) []uint64 {
	var scratch [64]uint64 // the units of a short item, gathered without allocating
	out := scratch[:0]
	var ops [prefixWords]opening
	for _, p := range openings(strings.TrimLeft(text, " \t\r\n"), ops[:0]) {
		if !p.empty {
			out = append(out, p.hash)
		}
	}
	var normBuf [256]byte
	norm := normBuf[:0]
	for _, s := range spans {
		norm = appendNorm(norm[:0], text[s.start:s.end])
		if len(norm) == 0 {
			continue
		}
		out = append(out, unitHash(unitSentence, norm))
		if t, ok := templateHash(norm); ok {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return nil
	}
	return append(make([]uint64, 0, len(out)), out...) // the model keeps it: one exact allocation
}

// spanPool holds scratch span slices for splitting texts.
var spanPool = sync.Pool{New: func() any { s := make([]span, 0, 64); return &s }}

// opening is a candidate furniture opening, text[:end]: the unit hash of
// its normUnit form, and whether that is empty.
type opening struct {
	hash  uint64
	empty bool
	end   int
}

// newOpening returns the opening text[:end], normalised in a stack buffer.
func newOpening(text string, end int) opening {
	var buf [256]byte
	norm := appendNorm(buf[:0], text[:end])
	return opening{hash: unitHash(unitPrefix, norm), empty: len(norm) == 0, end: end}
}

// openings appends to out[:0] the openings of text that end in a separator,
// longest first: "TEHRAN, Aug. 11 (MNA) –", "تهران- ایرنا-", "Kyiv |" — up
// to prefixWords words followed by a dash, colon or bar (glued or apart),
// so at most prefixWords of them.
func openings(text string, out []opening) []opening {
	out = out[:0]
	i, words := 0, 0
	for i < len(text) && words < prefixWords {
		for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
			i++
		}
		if i >= len(text) || text[i] == '\n' || text[i] == '\r' {
			break
		}
		j := i
		for j < len(text) && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' {
			j++
		}
		words++
		w := strings.TrimRight(text[i:j], ",")
		if isSeparatorEnd(w) && (words > 1 || strings.TrimRight(w, "-–—:|") != "") {
			out = append(out, newOpening(text, j))
		} else if k := indexDash(w); k > 0 {
			// a dash glued to a quotation that opens the text: "سرویس ایران-«محمد …"
			_, n := utf8.DecodeRuneInString(w[k:])
			if r, _ := utf8.DecodeRuneInString(w[k+n:]); strings.ContainsRune("«\"“'‘", r) {
				out = append(out, newOpening(text, i+k+n))
			}
		}
		if endsSentence(w) && !strings.HasSuffix(w, ".") {
			break
		}
		i = j
	}
	// longest first
	for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
		out[a], out[b] = out[b], out[a]
	}
	return out
}

// indexDash is strings.IndexAny(w, "-–—"), by a byte scan.
func indexDash(w string) int {
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case '-':
			return i
		case 0xE2: // – U+2013 (E2 80 93), — U+2014 (E2 80 94)
			if i+2 < len(w) && w[i+1] == 0x80 && (w[i+2] == 0x93 || w[i+2] == 0x94) {
				return i
			}
		}
	}
	return -1
}

// isSeparatorEnd reports whether a word ends with a dash, colon or bar.
func isSeparatorEnd(w string) bool {
	return strings.HasSuffix(w, "-") || strings.HasSuffix(w, "–") || strings.HasSuffix(w, "—") ||
		strings.HasSuffix(w, ":") || strings.HasSuffix(w, "|")
}

// templateHash returns the unit hash of the frame of a normalised sentence
// of at least seven words: its first two and last three words around a slot
// ("w1 w2 … w5 w6 w7"). normUnit separates words by single spaces, so the
// frame is a prefix and a suffix of norm, put together in a scratch buffer.
func templateHash[T ~string | ~[]byte](norm T) (uint64, bool) {
	spaces, head, tail := 0, 0, 0
	for i := 0; i < len(norm); i++ {
		if norm[i] != ' ' {
			continue
		}
		if spaces++; spaces == 2 {
			head = i // the end of the second word
		}
	}
	if spaces < 6 {
		return 0, false
	}
	for i, n := len(norm)-1, 0; ; i-- {
		if norm[i] == ' ' {
			if n++; n == 3 {
				tail = i // the space before the third word from the end
				break
			}
		}
	}
	var buf [128]byte
	frame := append(buf[:0], norm[:head]...)
	frame = append(frame, " … "...)
	frame = append(frame, norm[tail+1:]...)
	return unitHash(unitTemplate, frame), true
}

// normUnit lower-cases s, maps digits to 0, folds white space and trims
// punctuation at both ends, so that "TEHRAN, Aug. 11 (MNA) –" and "TEHRAN,
// Aug. 12 (MNA) –" are the same unit.
func normUnit(s string) string {
	return string(appendNorm(make([]byte, 0, len(s)), s))
}

// appendNorm appends normUnit(s) to dst.
func appendNorm(dst []byte, s string) []byte {
	start := len(dst)
	space := false
	for i := 0; i < len(s); {
		r := rune(s[i])
		if r < utf8.RuneSelf { // the same cases for ASCII, by table
			i++
			c := normASCII[r]
			if c == 0 && r != 0 {
				space = len(dst) > start
				continue
			}
			if space {
				dst = append(dst, ' ')
				space = false
			}
			dst = append(dst, c)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case unicode.IsSpace(r):
			space = len(dst) > start
			continue
		case unicode.IsDigit(r):
			r = '0'
		default:
			r = unicode.ToLower(r)
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		dst = utf8.AppendRune(dst, r)
	}
	// trim punctuation, symbols and spaces at both ends (as bytes.TrimFunc)
	b := dst[start:]
	for len(b) > 0 {
		if c := b[0]; c < utf8.RuneSelf {
			if !trimASCII[c] {
				break
			}
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if !isTrimRune(r) {
			break
		}
		b = b[n:]
	}
	for len(b) > 0 {
		if c := b[len(b)-1]; c < utf8.RuneSelf {
			if !trimASCII[c] {
				break
			}
			b = b[:len(b)-1]
			continue
		}
		r, n := utf8.DecodeLastRune(b)
		if !isTrimRune(r) {
			break
		}
		b = b[:len(b)-n]
	}
	n := copy(dst[start:], b)
	return dst[:start+n]
}

// isTrimRune reports whether normUnit trims r from the ends of a unit.
func isTrimRune(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
}

// normASCII maps an ASCII byte as normUnit does: white space to 0, digits
// to '0', capitals to lower case, the rest to itself.
var normASCII = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		r := rune(c)
		switch {
		case unicode.IsSpace(r):
		case unicode.IsDigit(r):
			t[c] = '0'
		default:
			t[c] = byte(unicode.ToLower(r))
		}
	}
	return t
}()

// trimASCII marks the ASCII bytes isTrimRune holds.
var trimASCII = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = isTrimRune(rune(c))
	}
	return t
}()

// unitHash hashes a unit of a kind.
func unitHash[T ~string | ~[]byte](kind byte, norm T) uint64 {
	return mix64(hashBytes(norm) + uint64(kind)*0x9E3779B97F4A7C15)
}
