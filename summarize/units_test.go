package summarize

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The furniture units are hashed from sentence spans through a scratch
// buffer; they must be those of the sentences Split returns, normalised by
// normUnit, with the template frame built as a string (the definitions
// below, written the plain way).

func refNormUnit(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsDigit(r):
			r = '0'
		default:
			r = unicode.ToLower(r)
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return strings.TrimFunc(b.String(), func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	})
}

func refTemplateHash(norm string) (uint64, bool) {
	w := strings.Split(norm, " ")
	if len(w) < 7 {
		return 0, false
	}
	return unitHash(unitTemplate, strings.Join(w[:2], " ")+" … "+strings.Join(w[len(w)-3:], " ")), true
}

func refUnitsOf(text string) []uint64 {
	var out []uint64
	lead := strings.TrimLeft(text, " \t\r\n")
	for _, p := range openings(lead, nil) {
		if norm := refNormUnit(lead[:p.end]); norm != "" {
			out = append(out, unitHash(unitPrefix, norm))
		}
	}
	for _, s := range Split(text) {
		norm := refNormUnit(s)
		if norm == "" {
			continue
		}
		out = append(out, unitHash(unitSentence, norm))
		if t, ok := refTemplateHash(norm); ok {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// unitTexts are texts whose white space, digits, case, script and bytes
// vary, and the labelled feed items when ../shared is there.
func unitTexts(t *testing.T) []string {
	texts := []string{
		"",
		"   \n\t ",
		"TEHRAN, Aug. 11 (MNA) – Iran's foreign minister met his Iraqi counterpart on Monday. The two sides discussed border security and trade.",
		"Get our breaking news email, free app or daily news podcast\n\nThe post Drone strike near Erbil kills two appeared first on Kurdistan 24.",
		"A  sentence\u00a0with\u2003odd   spaces and 12,345 numbers. Another\tone\r\nacross lines. Ünïcödé ÇAPITALS İstanbul ΣΟΦΙΑ.",
		"Invalid \xff\xfe bytes in a sentence of more than seven words here. \xc2 trailing lead byte",
		"تهران (پانا) - وزیر امور خارجه ایران روز دوشنبه با همتای عراقی خود دیدار کرد. ۱۲ نفر کشته شدند.",
		"Kyiv | Seven short words make up this whole sentence. One two three four five six seven. One two three four five six.",
		"“Quoted — dashes – and… ellipses!” said the spokesman on Tuesday, adding that 3 people died?",
	}
	paths, _ := filepath.Glob("../../shared/corpus/labelled/feeds/*.xml")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// item descriptions as raw text: enough variety for the units
		for _, part := range strings.Split(string(data), "<description>")[1:] {
			if end := strings.Index(part, "</description>"); end > 0 {
				texts = append(texts, Clean(part[:end]))
			}
		}
	}
	return texts
}

func TestUnitsOfMatchesSplitAndNormUnit(t *testing.T) {
	for i, text := range unitTexts(t) {
		if got, want := unitsOf(text), refUnitsOf(text); !slices.Equal(got, want) {
			t.Errorf("text %d %q: unitsOf = %v, want %v", i, clipTest(text), got, want)
		}
		for _, s := range Split(text) {
			if got, want := normUnit(s), refNormUnit(s); got != want {
				t.Errorf("normUnit(%q) = %q, want %q", s, got, want)
			}
			norm := normUnit(s)
			gh, gok := templateHash(norm)
			wh, wok := refTemplateHash(norm)
			if gh != wh || gok != wok {
				t.Errorf("templateHash(%q) = %x %v, want %x %v", norm, gh, gok, wh, wok)
			}
			if bh, _ := templateHash([]byte(norm)); bh != gh {
				t.Errorf("templateHash of the bytes of %q = %x, of the string %x", norm, bh, gh)
			}
		}
	}
}

func clipTest(s string) string {
	if len(s) <= 80 {
		return s
	}
	for i := 80; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i] + "…"
		}
	}
	return s[:80]
}

// The word sets and indexDash scan bytes with filters; they must answer as
// the plain definitions do.
func TestWordSetAndIndexDashMatchPlain(t *testing.T) {
	lowerASCIIString := func(s string) string {
		b := []byte(s)
		for i, c := range b {
			b[i] = lowerASCII(c)
		}
		return string(b)
	}
	sets := map[string][]string{"apps": messagingApps, "promo": promoWords, "report": reportWords,
		"channel": channelApps, "short": {"a", "xyz"}, "pairs": {"ab", "WhatsApp", "تل"}}
	texts := append(unitTexts(t), "Follow US on TELEGRAM", "te", "tel", "telegra", "xtelegram", "A", "ab", "-–—",
		"Kyiv—Seven", "word\xe2\x80", "\xf0\xe2\x80\x93x", "قناتنا على تلغرام", "WHATSAPP", "x ab")
	for name, list := range sets {
		ws := newWordSet(list)
		for _, s := range texts {
			want := false
			for _, w := range list {
				want = want || strings.Contains(lowerASCIIString(s), w)
			}
			if got := ws.in(s); got != want {
				t.Errorf("%s.in(%q) = %v, want %v", name, clipTest(s), got, want)
			}
		}
	}
	for _, s := range texts {
		for _, w := range strings.Fields(s) {
			if got, want := indexDash(w), strings.IndexAny(w, "-–—"); got != want {
				t.Errorf("indexDash(%q) = %d, want %d", w, got, want)
			}
		}
	}
}

func refSameTitle(head, title string) bool {
	a, b := strings.Fields(normUnit(head)), strings.Fields(normUnit(title))
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return false
	}
	in := map[string]bool{}
	for _, w := range b {
		in[w] = true
	}
	n := 0
	for _, w := range a {
		if in[w] {
			n++
		}
	}
	return 10*n >= 6*len(a)
}

// sameTitle works on normalised bytes without building word lists; it must
// answer as the plain definition does.
func TestSameTitleMatchesPlain(t *testing.T) {
	heads := []string{"", " - ", "Drone strike near Erbil kills two", "DRONE strike near Erbil, kills 2!",
		"Drone drone drone strike", "Erbil: two killed", "حمله پهپادی در اربیل", "Ünïcödé  ÇAPITALS\u00a0İstanbul"}
	for _, s := range unitTexts(t) {
		for _, line := range strings.SplitN(s, "\n", 3) {
			if len(line) > 200 {
				line = line[:200]
			}
			heads = append(heads, line)
		}
		if len(heads) > 300 {
			break
		}
	}
	for i, a := range heads {
		for _, b := range heads[max(0, i-8) : i+1] {
			if got, want := sameTitle(a, b), refSameTitle(a, b); got != want {
				t.Errorf("sameTitle(%q, %q) = %v, want %v", a, b, got, want)
			}
			if got, want := sameTitle(b, a), refSameTitle(b, a); got != want {
				t.Errorf("sameTitle(%q, %q) = %v, want %v", b, a, got, want)
			}
		}
	}
}
