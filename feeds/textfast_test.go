package feeds

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// treeText is htmlToText's general path: the HTML5 tree builder.
func treeText(s string) string {
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), &xhtml.Node{Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return plainParagraphs(unescapeStrict(s))
	}
	var tw textWriter
	for _, n := range nodes {
		tw.node(n, 0)
	}
	return tw.String()
}

func TestSimpleHTMLText(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		fast bool // taken by the fast path
	}{
		{"<p>One two.</p><p>Three &amp; four.</p>", "One two.\n\nThree & four.", true},
		{"<p>A <a href='x'>link</a> and <strong>bold</strong>.<br>Next line</p>", "A link and bold.\nNext line", true},
		{"<ul><li>one</li><li>two</li></ul>", "one\n\ntwo", true},
		{"text <img src=x> more<hr>after", "text more\n\nafter", true},
		{"<div>a<!-- c --> b</div>", "a b", true},
		// the tree builder closes the first <p>: text after it is a new paragraph either way
		{"<p>one<p>two", "one\n\ntwo", false},
		{"<p>one<div>two</div>three</p>", "one\n\ntwo\n\nthree", false},
		{"<b>x<i>y</b>z</i>", "xyz", false},
		{"<table><tr><td>a</td><td>b</td></tr></table>", "a b", false},
		{"<p>a</p><script>x()</script><p>b</p>", "a\n\nb", false},
		{"a</div>b", "ab", false},
		{"<li>a<li>b</li>c</li>d", "a\n\nb\n\ncd", false},
		// a heading closes the open one, so the later </h2> is ignored
		{"<h2>a<h3>b</h3>c</h2>d", "a\n\nb\n\ncd", false},
		{"<a>x<a>y</a>z</a>w", "xyzw", false},
	} {
		got, ok := simpleHTMLText(c.in)
		if ok != c.fast {
			t.Errorf("simpleHTMLText(%q) ok = %v, want %v", c.in, ok, c.fast)
		}
		if ok && got != c.want {
			t.Errorf("simpleHTMLText(%q) = %q, want %q", c.in, got, c.want)
		}
		if tree := treeText(c.in); tree != c.want {
			t.Errorf("tree text of %q = %q, want %q", c.in, tree, c.want)
		}
		if h := htmlToText(c.in); h != c.want {
			t.Errorf("htmlToText(%q) = %q, want %q", c.in, h, c.want)
		}
	}
}

// randomHTML builds a fragment from a small alphabet of tags (simple,
// implicitly closing, skipped and unknown ones), stray end tags, text,
// entities and whitespace.
func randomHTML(rnd *rand.Rand) string {
	parts := []string{"<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<i>", "</i>", "<a href=\"/x\">", "</a>",
		"<br>", "</br>", "<br/>", "<img src=x>", "<hr>", "<ul>", "</ul>", "<li>", "</li>", "<dl>", "<dt>", "<dd>",
		"</dd>", "<h2>", "</h2>", "<h3>", "</h3>", "<pre>", "</pre>", "<span>", "</span>", "<strong>", "</strong>",
		"<table>", "<td>", "</td>", "<script>", "</script>", "<style>", "</style>", "<!-- c -->", "<o:p>", "</o:p>",
		"<blockquote>", "</blockquote>", "<p/>", "<font>", "</font>", "<button>", "<select>", "<svg>", "</svg>",
		"word", "two words", " ", "\n", "\u00a0", "&amp;", "&nbsp;", "&copy", "x&y", "\x00", "\t", "é", "عراق", "<", "a < b"}
	var b strings.Builder
	for range rnd.IntN(12) {
		b.WriteString(parts[rnd.IntN(len(parts))])
	}
	return b.String()
}

// nestedHTML builds a well-nested fragment of simple elements, with the
// occasional unclosed element, so the fast path has work to compare.
func nestedHTML(rnd *rand.Rand, depth int) string {
	tags := []string{"p", "div", "b", "i", "a", "span", "strong", "em", "ul", "li", "ol", "blockquote", "h2", "pre", "dl", "dd", "dt", "section", "sub"}
	texts := []string{"word", " two words ", "\n", "&amp; more", "x&y", "&copy;", "\u00a0", "é", "عراق", "<br>", "<img src=x>", "<hr>", "<!-- c -->", "a < b"}
	var b strings.Builder
	for range rnd.IntN(4) {
		if depth > 0 && rnd.IntN(2) == 0 {
			tag := tags[rnd.IntN(len(tags))]
			b.WriteString("<" + tag + ">")
			b.WriteString(nestedHTML(rnd, depth-1))
			if rnd.IntN(10) > 0 {
				b.WriteString("</" + tag + ">")
			}
			continue
		}
		b.WriteString(texts[rnd.IntN(len(texts))])
	}
	return b.String()
}

// TestSimpleHTMLTextMatchesTree checks, on many random fragments, that
// whenever the fast path takes a fragment it gives the tree builder's text.
func TestSimpleHTMLTextMatchesTree(t *testing.T) {
	if testing.Short() {
		t.Skip("50000 random documents (slow)")
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	fast := 0
	for i := range 50000 {
		s := randomHTML(rnd)
		if i%2 == 0 {
			s = nestedHTML(rnd, 4)
		}
		got, ok := simpleHTMLText(s)
		if !ok {
			continue
		}
		fast++
		if want := treeText(s); got != want {
			t.Fatalf("fragment %q:\nfast %q\ntree %q", s, got, want)
		}
	}
	if fast < 10000 {
		t.Errorf("fast path took only %d of 50000 fragments", fast)
	}
}

func FuzzSimpleHTMLText(f *testing.F) {
	for _, s := range []string{"<p>a</p><p>b</p>", "<ul><li>x</li></ul>", "a<br>b", "<b>x<i>y</b>z</i>", "<p>a<p>b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.ToValidUTF8(s, "\uFFFD")
		if got, ok := simpleHTMLText(s); ok {
			if want := treeText(s); got != want {
				t.Fatalf("fragment %q:\nfast %q\ntree %q", s, got, want)
			}
		}
	})
}

// textRunes is textWriter.text rune by rune, as it was before its ASCII
// fast path.
func textRunes(tw *textWriter, s string) {
	for s != "" {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if unicode.IsSpace(r) || r == '\u00a0' {
			tw.space = tw.cur.Len() > 0
			continue
		}
		if unicode.IsControl(r) {
			continue
		}
		if tw.space {
			tw.cur.WriteByte(' ')
			tw.space = false
		}
		tw.cur.WriteRune(r)
	}
}

func TestTextWriterASCIIFastPath(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		b := make([]byte, rnd.IntN(40))
		for i := range b {
			switch rnd.IntN(4) {
			case 0:
				b[i] = byte(rnd.IntN(0x21)) // controls and spaces
			case 1:
				b[i] = byte(0x7f + rnd.IntN(0x81)) // DEL and non-ASCII bytes
			default:
				b[i] = byte(0x21 + rnd.IntN(0x5e))
			}
		}
		s := string(b) + "\u00a0x\u0085y\u2003z"
		var fast, slow textWriter
		fast.text(s)
		textRunes(&slow, s)
		fast.text(" tail")
		textRunes(&slow, " tail")
		if f, w := fast.String(), slow.String(); f != w {
			t.Fatalf("text(%q) = %q, want %q", s, f, w)
		}
	}
}

// tokenizerText is simpleHTMLText reading every fragment through the HTML
// tokenizer, as it did before plainTokens.
func tokenizerText(s string) (string, bool) {
	return simpleText(&tokenizerTokens{z: xhtml.NewTokenizer(strings.NewReader(s))})
}

// checkPlainTokens checks that whenever plainTokens reads s to the end,
// simpleText gives what it gives reading s through the tokenizer; it
// reports whether plainTokens read s.
func checkPlainTokens(t *testing.T, s string) bool {
	t.Helper()
	plain := &plainTokens{s: s}
	got, ok := simpleText(plain)
	if plain.bad {
		return false
	}
	if want, wok := tokenizerText(s); got != want || ok != wok {
		t.Fatalf("fragment %q:\nplain tokens %q %v\ntokenizer    %q %v", s, got, ok, want, wok)
	}
	return true
}

// TestPlainTokensMatchTokenizer compares the two token sources on random
// fragments whose tags carry attributes written in many ways, and comments,
// entities and line ends the tokenizer treats specially.
func TestPlainTokensMatchTokenizer(t *testing.T) {
	parts := []string{"<p>", "</p>", "<P>", "</P >", "</ p>", "</p", "<div class=\"x\">", "</div>", "<b>", "</b>",
		"<a href=\"/x?a=1&amp;b=2\">", "<a href='q'>", "<a href=x/>", "<a\nhref=\"x>y\"\ttitle='t'>", "<a href=\"x\"title=\"y\">",
		"<a href=>", "<a =x>", "<a href=\"x", "</a>", "<img src=x/>", "<img src=\"x\" alt=\"\"/>", "<br/>", "<br />", "<br/ >",
		"<br>", "<input disabled/>", "<span data-x=a`b>", "<o:p>", "</o:p>", "<h2 id=a>", "</h2>", "<ul>", "<li>", "</li>",
		"</ul>", "<!---->", "<!-->", "<!--->", "<!-- a -- b -->", "<!-- a --!> b -->", "<!-- x", "<!DOCTYPE html>", "<?x?>",
		"<", "a < b", "<3", "word", " two words ", "\r\n", "\r", "&#13;", "&amp;", "&nbsp;", "&copy", "&notit;", "x&y",
		"\x00", "é", "عراق", "<script>", "</script>", "<table>", "<td>", "<strong>", "</strong>"}
	rnd := rand.New(rand.NewPCG(7, 8))
	read := 0
	for range 50000 {
		var b strings.Builder
		for range rnd.IntN(10) {
			b.WriteString(parts[rnd.IntN(len(parts))])
		}
		if checkPlainTokens(t, strings.ToValidUTF8(b.String(), "\uFFFD")) {
			read++
		}
	}
	if read < 10000 {
		t.Errorf("plainTokens read only %d of 50000 fragments", read)
	}
}

// TestPlainTokensCorpus compares the two token sources on every item
// description and content of the shared corpus' real feeds.
func TestPlainTokensCorpus(t *testing.T) {
	files := corpusFeeds(t)
	labelled, _ := filepath.Glob(filepath.Join(corpusDir, "labelled", "feeds", "*"))
	n, read := 0, 0
	for _, p := range append(files, labelled...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(b))
		if err != nil {
			continue
		}
		for _, it := range feed.Items {
			for _, s := range []string{it.Description, it.Content} {
				if !strings.Contains(s, "<") {
					continue
				}
				n++
				if checkPlainTokens(t, strings.ToValidUTF8(s, "\uFFFD")) {
					read++
				}
			}
		}
	}
	t.Logf("%d fragments with markup, %d read by plainTokens", n, read)
}

func FuzzPlainTokens(f *testing.F) {
	for _, s := range []string{"<p class=a>x &amp; y</p>", "<a href='x>'>l</a><br/>", "<!-- c -->t", "<P\n>a</P >"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkPlainTokens(t, strings.ToValidUTF8(s, "\uFFFD"))
	})
}
