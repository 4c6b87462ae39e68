package summarize

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// seedPage reads the shared scraped news page, skipping when it is absent.
// mustSummarize summarizes text and fails the test on an error.
func mustSummarize(t testing.TB, text string, opt Options) Summary {
	t.Helper()
	s, err := Summarize(text, opt)
	if err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	return s
}

func seedPage(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "shared", "seed", "news-page.txt"))
	if err != nil {
		t.Skipf("seed page not available: %v", err)
	}
	return string(b)
}

func TestSummarizeSeedPage(t *testing.T) {
	page := seedPage(t)
	s, err := Summarize(page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Title, "Iraq, Iran sign border security agreement"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	if n := len(s.Sentences); n < 2 || n > 3 {
		t.Fatalf("got %d sentences, want 2 or 3: %q", n, s.Text())
	}
	if w := countWords(s.Text(), 1<<30); len(s.Sentences) < 3 && w < DefaultWords {
		t.Errorf("stopped at %d sentences with only %d words", len(s.Sentences), w)
	}
	if s3 := mustSummarize(t, page, Options{Sentences: 3}); len(s3.Sentences) != 3 {
		t.Errorf("Sentences: 3 gave %d sentences", len(s3.Sentences))
	}
	text := s.Text()
	for _, bad := range []string{"Hashtags", "Try Our AI", "Comments", "No comments", "Related Articles",
		"Rudaw Net", "Shafaq", "de-Baathification", "Explore what"} {
		if strings.Contains(text, bad) {
			t.Errorf("summary contains furniture or another story %q:\n%s", bad, text)
		}
	}
	if !strings.Contains(text, "agreement") || !strings.Contains(text, "Larijani") {
		t.Errorf("summary does not state the agreement:\n%s", text)
	}
	for i := 1; i < len(s.Sentences); i++ {
		if s.Sentences[i].Index <= s.Sentences[i-1].Index {
			t.Errorf("sentences not in article order: %d after %d", s.Sentences[i].Index, s.Sentences[i-1].Index)
		}
	}
}

func TestSummarizeEmpty(t *testing.T) {
	for _, in := range []string{"", "   \n\t\n", "...!?", "\x00\x01\x02", "— – -", "Related Articles\nComments\n"} {
		_, err := Summarize(in, Options{})
		if !errors.Is(err, ErrEmpty) {
			t.Errorf("Summarize(%q) error = %v, want ErrEmpty", in, err)
		}
	}
}

const sampleArticle = `Flood waters rose across the southern province on Tuesday, forcing thousands of families from their homes.
The provincial governor said more than 12,000 people had been moved to schools and mosques turned into shelters.
Rescue teams used boats to reach villages cut off by the river, which burst its banks after three days of heavy rain.
"We have never seen water like this," said Ali Hassan, a farmer who lost his entire crop.
The meteorological office warned that more rain was expected on Wednesday and Thursday.
Aid agencies appealed for clean water, tents and medicine for the displaced families.
The flooding is the worst in the province since 1988, officials said.`

func TestSummarizeOptions(t *testing.T) {
	tests := []struct {
		name      string
		opt       Options
		wantN     int
		wantTitle string
	}{
		{"default three", Options{}, 3, ""},
		{"one sentence", Options{Sentences: 1}, 1, ""},
		{"more than available", Options{Sentences: 50}, 7, ""},
		{"title passed through", Options{Title: "Floods displace thousands"}, 3, "Floods displace thousands"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Summarize(sampleArticle, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Sentences) != tt.wantN {
				t.Errorf("got %d sentences, want %d", len(s.Sentences), tt.wantN)
			}
			if s.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", s.Title, tt.wantTitle)
			}
			for i, x := range s.Sentences {
				if x.Doc != 0 {
					t.Errorf("Doc = %d, want 0", x.Doc)
				}
				if i > 0 && x.Index <= s.Sentences[i-1].Index {
					t.Errorf("not in article order")
				}
			}
		})
	}
}

func TestSummarizeWordBudget(t *testing.T) {
	long := "Officials in the southern province said on Tuesday that the rising river had flooded dozens of villages and thousands of hectares of farmland after three days of rain. " +
		"Rescue teams working with army engineers used boats and helicopters to reach families stranded on rooftops across the districts east of the provincial capital. " +
		"The governor asked the central government for emergency funds, tents and clean water, warning that disease could spread quickly in the crowded shelters. "
	tests := []struct {
		name  string
		opt   Options
		wantN int
	}{
		{"default stops at the budget", Options{}, 3},
		{"explicit sentences, no budget", Options{Sentences: 4}, 4},
		{"explicit budget", Options{Sentences: 4, Words: 10}, 1},
		{"budget off", Options{Words: -1}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Summarize(sampleArticle, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Sentences) != tt.wantN {
				t.Errorf("got %d sentences, want %d", len(s.Sentences), tt.wantN)
			}
		})
	}
	// long sentences: the default budget ends the summary early
	s, err := Summarize(long, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w := countWords(s.Text(), 1<<30); len(s.Sentences) == 3 || w < DefaultWords {
		t.Errorf("default summary of long sentences: %d sentences, %d words", len(s.Sentences), w)
	}
}

func TestSummarizeMaxChars(t *testing.T) {
	for _, budget := range []int{40, 150, 300} {
		s, err := Summarize(sampleArticle, Options{Sentences: 5, MaxChars: budget})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(s.Text()); got > budget {
			t.Errorf("MaxChars %d: summary has %d bytes: %q", budget, got, s.Text())
		}
		if len(s.Sentences) == 0 {
			t.Errorf("MaxChars %d: no sentences", budget)
		}
		if !utf8.ValidString(s.Text()) {
			t.Errorf("MaxChars %d: invalid UTF-8", budget)
		}
	}
}

func TestSummarizeHeadlineDetected(t *testing.T) {
	s, err := Summarize("Floods displace thousands\n"+sampleArticle, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Floods displace thousands" {
		t.Errorf("Title = %q", s.Title)
	}
	if strings.Contains(s.Text(), "Floods displace thousands") {
		t.Errorf("headline reused as a sentence: %q", s.Text())
	}
}

func TestSummarizeDeterministic(t *testing.T) {
	page := sampleArticle + "\n" + strings.Repeat("Another line about rain and water in the province. ", 5)
	first := mustSummarize(t, page, Options{Sentences: 4})
	for i := 0; i < 20; i++ {
		again := mustSummarize(t, page, Options{Sentences: 4})
		if !reflect.DeepEqual(first, again) {
			t.Fatalf("run %d differs:\n%v\n%v", i, first, again)
		}
	}
}

func TestSummarizeNoRepeats(t *testing.T) {
	dup := "The border crossing at Zurbatiyah was closed on Monday by Iraqi authorities."
	text := dup + " " + dup + " " + sampleArticle
	s, err := Summarize(text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range s.Sentences {
		if x.Text == dup {
			n++
		}
	}
	if n > 1 {
		t.Errorf("duplicate sentence chosen %d times: %q", n, s.Text())
	}
}

func TestSummarizeBadInput(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	garbage := make([]byte, 64<<10)
	rng.Read(garbage)
	big := strings.Repeat("Militants attacked a checkpoint near the border and officials said five guards died. ", 60000) // ~5 MB
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{"one sentence", "Only one sentence here.", false},
		{"no punctuation", "troops crossed the border at dawn and took the hill", false},
		{"binary garbage", string(garbage), false},
		{"html fragment", "<div><p>Border closed.</p><script>var x=1;</script><p>Trade halted.</p></div>", false},
		{"mixed scripts", "Baghdad said yes. بغداد قالت نعم. Тегеран согласился. 中国同意了。", false},
		{"5 MB", big, false},
		{"5 MB no spaces", strings.Repeat("x", 5<<20), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Summarize(tt.in, Options{})
			if err != nil && !errors.Is(err, ErrEmpty) {
				t.Fatalf("unexpected error %v", err)
			}
			if err == nil && len(s.Sentences) == 0 {
				t.Fatalf("no error and no sentences")
			}
			if len(s.Text()) > 3*(maxSentenceBytes+10) {
				t.Errorf("summary of %d bytes", len(s.Text()))
			}
		})
	}
}

func TestTextJoins(t *testing.T) {
	s := Summary{Sentences: []Sentence{{Text: "A b."}, {Text: "C d."}}}
	if got := s.Text(); got != "A b. C d." {
		t.Errorf("Text() = %q", got)
	}
	if got := (Summary{}).Text(); got != "" {
		t.Errorf("empty Text() = %q", got)
	}
}

func FuzzSummarize(f *testing.F) {
	f.Add(sampleArticle, 3, 0)
	f.Add("U.S. Gen. Smith (CNN) -- said 3.5... \"yes.\" No. 1\n- item\n\nRelated\n", 2, 50)
	f.Add("وقع العراق وإيران اتفاقية أمنية. هل ستنجح؟", 1, 10)
	f.Add("\xff\xfe\x00 ... ?? !!", 0, 0)
	f.Fuzz(func(t *testing.T, text string, n, budget int) {
		if n > 100 || n < -100 || budget > 1<<20 || budget < -1 {
			return
		}
		s, err := Summarize(text, Options{Sentences: n, MaxChars: budget})
		if err != nil {
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("error %v", err)
			}
			return
		}
		want := n
		if want <= 0 {
			want = defaultSentences
		}
		if len(s.Sentences) == 0 || len(s.Sentences) > want {
			t.Fatalf("%d sentences for max %d", len(s.Sentences), want)
		}
		if budget > 0 && len(s.Text()) > budget && len(s.Sentences) > 1 {
			t.Fatalf("budget %d exceeded: %d", budget, len(s.Text()))
		}
		for i, x := range s.Sentences {
			if x.Text == "" {
				t.Fatalf("empty sentence")
			}
			if i > 0 && x.Index <= s.Sentences[i-1].Index {
				t.Fatalf("order")
			}
		}
		for _, x := range Split(text) {
			if x == "" {
				t.Fatalf("Split gave an empty sentence")
			}
		}
		// the same text as several reports
		var docs []Document
		for _, part := range strings.Split(text, "\n\n") {
			docs = append(docs, Document{Text: part})
		}
		m, err := SummarizeMany(docs, Options{Sentences: n, MaxChars: budget})
		if err != nil {
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("SummarizeMany error %v", err)
			}
			return
		}
		if len(m.Sentences) == 0 || len(m.Sentences) > want {
			t.Fatalf("SummarizeMany: %d sentences for max %d", len(m.Sentences), want)
		}
		for _, x := range m.Sentences {
			if x.Doc < 0 || x.Doc >= len(docs) || x.Text == "" {
				t.Fatalf("SummarizeMany: bad sentence %+v", x)
			}
		}
	})
}

func TestAppendTermsStemsAndFolds(t *testing.T) {
	terms := func(s string) []uint64 { ts, _ := appendTerms(s, nil); return ts }
	same := []struct{ a, b string }{
		{"attacks", "attacked"},
		{"agencies", "agency"},
		{"the deal", "an agreement"},
		{"pact", "memorandum"},
		{"Killed", "dead"},
		{"IRAQ", "iraq"},
		{"بغداد", "بغداد"},
	}
	for _, tt := range same {
		a, b := terms(tt.a), terms(tt.b)
		if len(a) != 1 || len(b) != 1 || a[0] != b[0] {
			t.Errorf("terms(%q) = %v, terms(%q) = %v; want one equal term", tt.a, a, tt.b, b)
		}
	}
	if got := terms("the of and was بود در"); len(got) != 0 {
		t.Errorf("stop words kept: %v", got)
	}
	if got := terms("Iran Iraq"); len(got) != 2 || got[0] == got[1] {
		t.Errorf("distinct words merged: %v", got)
	}
	if _, f := appendTerms("He said 5 people died", nil); f&flagDigit == 0 || f&flagSaid == 0 {
		t.Errorf("flags = %b, want digit and said", f)
	}
}

func TestIsDateOnly(t *testing.T) {
	for in, want := range map[string]bool{
		"March 10, 2015 .":             true,
		"Updated 10:32 GMT, Tue Jan 6": true,
		"March on Washington ends.":    false,
		"15 killed in Baghdad.":        false,
		"١٠ مارس":                      false,
	} {
		if got := isDateOnly(in); got != want {
			t.Errorf("isDateOnly(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestSummarizeConcurrent(t *testing.T) {
	texts := []string{sampleArticle, "Floods displace thousands\n" + sampleArticle, "One. Two words here. Three more words here."}
	want := make([]Summary, len(texts))
	for i, x := range texts {
		want[i] = mustSummarize(t, x, Options{})
	}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func(g int) {
			for k := 0; k < 50; k++ {
				i := (g + k) % len(texts)
				got, err := Summarize(texts[i], Options{})
				if err != nil {
					done <- fmt.Errorf("goroutine %d: text %d: %w", g, i, err)
					return
				}
				if !reflect.DeepEqual(got, want[i]) {
					done <- fmt.Errorf("goroutine %d: summary of text %d differs", g, i)
					return
				}
			}
			done <- nil
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestAddASCIIMatchesSlowPath checks the ASCII fast path of appendTerms
// against the general word accumulator on many words.
func TestAddASCIIMatchesSlowPath(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	letters := "abcdefghijklmnopqrstuvwxyzSEIDNG0123456789"
	words := []string{"attacks", "agencies", "agreeing", "agreed", "Said", "YOU", "deals", "pact", "dies", "a", "IS", "ties",
		strings.Repeat("x", 60) + "ing", "classes", "bus", "this", "us", "12", "3rd"}
	for i := 0; i < 5000; i++ {
		b := make([]byte, 1+rng.Intn(12))
		for k := range b {
			b[k] = letters[rng.Intn(len(letters))]
		}
		words = append(words, string(b))
	}
	for _, x := range words {
		fast, ff := addASCII(x, nil, 0)
		var w word
		w.reset()
		for k := 0; k < len(x); k++ {
			c := x[k]
			if c >= '0' && c <= '9' {
				w.digit = true
			}
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			w.push(c)
		}
		slow, sf := w.add(nil, 0)
		if !reflect.DeepEqual(fast, slow) || ff != sf {
			t.Fatalf("word %q: fast %v/%b, slow %v/%b", x, fast, ff, slow, sf)
		}
	}
}

// A short description kept whole under Options.Lead is not ranked: its
// sentences carry no score. A longer one is ranked.
func TestShortLeadNotRanked(t *testing.T) {
	short := "Militants attacked a checkpoint near Kirkuk on Monday. Two guards were hurt."
	long := strings.Repeat("Militants attacked a checkpoint near Kirkuk on Monday and officials said several guards were hurt in the fighting. ", 8)
	for _, c := range []struct {
		name   string
		text   string
		ranked bool
	}{{"short", short, false}, {"long", long, true}} {
		s, err := Summarize(c.text, Options{Lead: true})
		if err != nil {
			t.Fatal(err)
		}
		scored := false
		for _, x := range s.Sentences {
			scored = scored || x.Score != 0
		}
		if scored != c.ranked {
			t.Errorf("%s: sentences scored %v, want %v (%+v)", c.name, scored, c.ranked, s.Sentences)
		}
	}
}
