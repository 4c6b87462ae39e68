package feeds

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxTextInput bounds the HTML fragment converted to text.
const maxTextInput = 4 << 20

// skipElements hold no readable text.
var skipElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Svg: true, atom.Math: true, atom.Head: true, atom.Object: true,
	atom.Embed: true, atom.Canvas: true, atom.Audio: true, atom.Video: true, atom.Select: true,
	atom.Button: true, atom.Form: true, atom.Input: true, atom.Textarea: true,
}

// blockElements end a paragraph.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Dl: true,
	atom.Dd: true, atom.Dt: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Blockquote: true, atom.Pre: true, atom.Table: true,
	atom.Tr: true, atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.Figure: true, atom.Figcaption: true, atom.Hr: true, atom.Aside: true, atom.Nav: true,
	atom.Main: true, atom.Address: true, atom.Details: true, atom.Summary: true, atom.Caption: true,
	atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Fieldset: true, atom.Center: true,
}

// HTMLText converts an HTML fragment (or plain text) to plain text with
// paragraphs separated by "\n\n" and whitespace collapsed inside
// paragraphs, as feed content is converted. Whole pages go through
// ExtractArticle instead.
func HTMLText(s string) string { return htmlToText(s) }

// htmlToText converts an HTML fragment (or plain text) to plain text with
// paragraphs separated by "\n\n" and whitespace collapsed inside paragraphs.
func htmlToText(s string) string {
	if len(s) > maxTextInput {
		s = s[:maxTextInput]
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.Contains(s, "<") {
		return plainParagraphs(unescapeStrict(s))
	}
	if t, ok := simpleHTMLText(s); ok {
		return t
	}
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

// entityRe matches character references closed by a semicolon.
var entityRe = regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// unescapeStrict decodes character references that end with ";" and leaves
// bare ones alone, so text such as "?page=1&copy=2" (already unescaped by
// the XML parser) keeps its meaning.
func unescapeStrict(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return entityRe.ReplaceAllStringFunc(s, html.UnescapeString)
}

// nodeText converts a parsed HTML node to paragraph text.
func nodeText(n *xhtml.Node) string {
	var tw textWriter
	tw.node(n, 0)
	return tw.String()
}

// textWriter accumulates text as paragraphs.
type textWriter struct {
	paras []string
	cur   strings.Builder
	space bool // a space is pending before the next word
}

// maxTextDepth bounds recursion on hostile nesting.
const maxTextDepth = 512

func (tw *textWriter) node(n *xhtml.Node, depth int) {
	if depth > maxTextDepth {
		return
	}
	switch n.Type {
	case xhtml.TextNode:
		tw.text(n.Data)
		return
	case xhtml.CommentNode, xhtml.DoctypeNode:
		return
	case xhtml.ElementNode:
		if skipElements[n.DataAtom] {
			return
		}
		if n.DataAtom == atom.Br {
			tw.lineBreak()
			return
		}
		if n.DataAtom == atom.Img {
			return
		}
	}
	block := n.Type == xhtml.ElementNode && blockElements[n.DataAtom]
	if block {
		tw.flush()
	}
	cellSep := n.Type == xhtml.ElementNode && (n.DataAtom == atom.Td || n.DataAtom == atom.Th)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		tw.node(c, depth+1)
	}
	if cellSep {
		tw.space = tw.cur.Len() > 0
	}
	if block {
		tw.flush()
	}
}

func (tw *textWriter) text(s string) {
	for s != "" {
		if c := s[0]; c < utf8.RuneSelf {
			// ASCII: the same spaces (unicode.IsSpace) and controls
			// (unicode.IsControl) as below, a run of other bytes at once.
			switch {
			case c == ' ' || c >= '\t' && c <= '\r':
				tw.space = tw.cur.Len() > 0
				s = s[1:]
			case c < 0x20 || c == 0x7f:
				s = s[1:]
			default:
				j := 1
				for j < len(s) && s[j] > ' ' && s[j] < 0x7f {
					j++
				}
				if tw.space {
					tw.cur.WriteByte(' ')
					tw.space = false
				}
				tw.cur.WriteString(s[:j])
				s = s[j:]
			}
			continue
		}
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

func (tw *textWriter) lineBreak() {
	if tw.cur.Len() > 0 {
		tw.cur.WriteByte('\n')
	}
	tw.space = false
}

func (tw *textWriter) flush() {
	p := strings.TrimSpace(tw.cur.String())
	if p != "" {
		tw.paras = append(tw.paras, p)
	}
	tw.cur.Reset()
	tw.space = false
}

func (tw *textWriter) String() string {
	tw.flush()
	return strings.Join(tw.paras, "\n\n")
}

// plainParagraphs normalises plain text: blank lines separate paragraphs,
// other whitespace collapses to single spaces.
func plainParagraphs(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var paras []string
	for _, block := range strings.Split(s, "\n\n") {
		var b strings.Builder
		for i, f := range strings.FieldsFunc(block, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' }) {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strings.Map(dropControl, f))
		}
		if b.Len() > 0 {
			paras = append(paras, b.String())
		}
	}
	return strings.Join(paras, "\n\n")
}

// dropControl removes control characters in strings.Map.
func dropControl(r rune) rune {
	if unicode.IsControl(r) {
		return -1
	}
	return r
}

// inlineText converts an HTML or plain title to a single line of text.
func inlineText(s string) string {
	t := htmlToText(s)
	if !strings.ContainsAny(t, "\n") {
		return t
	}
	return strings.Join(strings.Fields(t), " ")
}
