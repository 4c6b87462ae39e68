package feeds

import (
	"io"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Most feed item HTML is simple, well-nested markup (<p>, <a>, <br>,
// <strong>, lists). For that, walking the tokenizer's output gives the
// same text as building the HTML5 tree (htmlToText's general path), at a
// fraction of the cost. simpleHTMLText handles exactly the markup where
// the tree builder would neither reorder text nor close elements on its
// own, and gives up (ok false) on anything else: an unknown, skipped or
// table element, an end tag that does not close the current element, a
// start tag the tree builder would answer by closing an open <p>, <li>,
// <dd>/<dt>, heading or <a>.

// simpleKind says how simpleHTMLText treats a whitelisted element.
type simpleKind uint8

const (
	kInline    simpleKind = iota + 1 // phrasing element: no paragraph break
	kBlock                           // ends a paragraph (blockElements); closes an open <p>
	kBlockKeep                       // block that leaves an open <p> alone (li, dd, dt: checked separately)
	kVoid                            // no content, no end tag
)

var simpleTags = func() map[atom.Atom]simpleKind {
	m := map[atom.Atom]simpleKind{}
	for _, a := range []atom.Atom{atom.A, atom.Abbr, atom.B, atom.Bdi, atom.Bdo, atom.Big, atom.Cite, atom.Code,
		atom.Del, atom.Dfn, atom.Em, atom.Font, atom.I, atom.Ins, atom.Kbd, atom.Mark, atom.Q, atom.S, atom.Samp,
		atom.Small, atom.Span, atom.Strike, atom.Strong, atom.Sub, atom.Sup, atom.Time, atom.Tt, atom.U, atom.Var} {
		m[a] = kInline
	}
	for _, a := range []atom.Atom{atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center,
		atom.Details, atom.Div, atom.Dl, atom.Figcaption, atom.Figure, atom.Footer, atom.Header, atom.Main,
		atom.Nav, atom.Ol, atom.P, atom.Section, atom.Summary, atom.Ul, atom.Pre,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6} {
		m[a] = kBlock
	}
	for _, a := range []atom.Atom{atom.Li, atom.Dd, atom.Dt} {
		m[a] = kBlockKeep
	}
	for _, a := range []atom.Atom{atom.Br, atom.Img, atom.Hr, atom.Wbr} {
		m[a] = kVoid
	}
	return m
}()

// maxSimpleDepth keeps the fast path well inside maxTextDepth.
const maxSimpleDepth = 200

func isHeading(a atom.Atom) bool {
	return a == atom.H1 || a == atom.H2 || a == atom.H3 || a == atom.H4 || a == atom.H5 || a == atom.H6
}

// simpleHTMLText converts simple HTML as htmlToText does; ok is false
// when s needs the full HTML5 tree builder.
func simpleHTMLText(s string) (text string, ok bool) {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var tw textWriter
	var stackBuf [32]atom.Atom
	stack := stackBuf[:0]
	open := func(a atom.Atom) bool {
		for _, x := range stack {
			if x == a {
				return true
			}
		}
		return false
	}
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			if z.Err() != io.EOF {
				return "", false
			}
			return tw.String(), true
		case xhtml.TextToken:
			tw.text(string(z.Text()))
		case xhtml.CommentToken:
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			kind := simpleTags[a]
			switch kind {
			case 0:
				return "", false
			case kVoid:
				switch a {
				case atom.Br:
					tw.lineBreak()
				case atom.Hr:
					if open(atom.P) {
						return "", false
					}
					tw.flush()
				}
				continue
			case kBlock:
				if open(atom.P) || (isHeading(a) && len(stack) > 0 && isHeading(stack[len(stack)-1])) {
					return "", false
				}
			case kBlockKeep:
				// <li> closes an open <li> (<dd>/<dt> one another) unless a
				// list or other block lies between; keep to the plain case.
				for i := len(stack) - 1; i >= 0; i-- {
					if stack[i] == atom.Li || stack[i] == atom.Dd || stack[i] == atom.Dt {
						return "", false
					}
					if k := simpleTags[stack[i]]; k != kInline && stack[i] != atom.Div && stack[i] != atom.Address && stack[i] != atom.P {
						break
					}
				}
				if open(atom.P) {
					return "", false
				}
			case kInline:
				if a == atom.A && open(atom.A) {
					return "", false
				}
			}
			if len(stack) >= maxSimpleDepth {
				return "", false
			}
			stack = append(stack, a)
			if kind != kInline {
				tw.flush()
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == 0 || len(stack) == 0 || stack[len(stack)-1] != a {
				return "", false
			}
			stack = stack[:len(stack)-1]
			if simpleTags[a] != kInline {
				tw.flush()
			}
		default: // doctype
			return "", false
		}
	}
}
