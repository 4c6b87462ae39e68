package feeds

import (
	"errors"
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
// when s needs the full HTML5 tree builder. Its tokens come from
// plainTokens, or from the HTML tokenizer when s has markup plainTokens
// leaves to it.
func simpleHTMLText(s string) (text string, ok bool) {
	plain := &plainTokens{s: s}
	if text, ok := simpleText(plain); ok || !plain.bad {
		return text, ok
	}
	return simpleText(&tokenizerTokens{z: xhtml.NewTokenizer(strings.NewReader(s))})
}

// htmlTokens is what simpleText reads a fragment through.
type htmlTokens interface {
	// next returns the next token's type, a tag's name as an atom (0 if
	// unknown) and a text token's text, unescaped. At the end or on an
	// error it returns xhtml.ErrorToken, and err says which (io.EOF: the end).
	next() (tt xhtml.TokenType, a atom.Atom, text string)
	err() error
}

// tokenizerTokens reads tokens from the HTML tokenizer.
type tokenizerTokens struct{ z *xhtml.Tokenizer }

func (t *tokenizerTokens) next() (xhtml.TokenType, atom.Atom, string) {
	switch tt := t.z.Next(); tt {
	case xhtml.TextToken:
		return tt, 0, string(t.z.Text())
	case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
		name, _ := t.z.TagName()
		return tt, atom.Lookup(name), ""
	default:
		return tt, 0, ""
	}
}

func (t *tokenizerTokens) err() error { return t.z.Err() }

// simpleText converts the fragment that toks reads as simpleHTMLText does.
func simpleText(toks htmlTokens) (text string, ok bool) {
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
		tt, a, txt := toks.next()
		switch tt {
		case xhtml.ErrorToken:
			if toks.err() != io.EOF {
				return "", false
			}
			return tw.String(), true
		case xhtml.TextToken:
			tw.text(txt)
		case xhtml.CommentToken:
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
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

// plainTokens splits plain markup into tokens as the HTML tokenizer does,
// without its per-call buffer (a feed's items each call simpleHTMLText):
// text (unescaped as the tokenizer does), comments, start, self-closing
// and end tags with alphanumeric names and plainly written attributes
// (skipped). On anything else, a tag or comment cut off by the end
// included, it sets bad and returns an ErrorToken; simpleHTMLText then
// reads the fragment through the tokenizer instead.
type plainTokens struct {
	s   string
	i   int
	bad bool
}

// errPlainTokens is plainTokens' error: markup it leaves to the tokenizer.
var errPlainTokens = errors.New("feeds: markup beyond plainTokens")

func (p *plainTokens) err() error {
	if p.bad {
		return errPlainTokens
	}
	return io.EOF
}

func (p *plainTokens) fail() (xhtml.TokenType, atom.Atom, string) {
	p.bad = true
	return xhtml.ErrorToken, 0, ""
}

func (p *plainTokens) next() (xhtml.TokenType, atom.Atom, string) {
	if p.bad || p.i >= len(p.s) {
		return xhtml.ErrorToken, 0, ""
	}
	rest := p.s[p.i:]
	if rest[0] != '<' {
		j := strings.IndexByte(rest, '<')
		if j < 0 {
			j = len(rest)
		}
		p.i += j
		return xhtml.TextToken, 0, xhtml.UnescapeString(rest[:j])
	}
	switch {
	case strings.HasPrefix(rest, "<!--"):
		end := strings.Index(rest[4:], "-->")
		if end < 0 {
			return p.fail()
		}
		// "<!-->", "<!--->" and "--!>" end a comment early in HTML.
		if body := rest[4 : 4+end]; strings.HasPrefix(body, ">") || strings.HasPrefix(body, "->") || strings.Contains(body, "--!") {
			return p.fail()
		}
		p.i += 4 + end + 3
		return xhtml.CommentToken, 0, ""
	case len(rest) > 2 && rest[1] == '/' && isASCIIAlpha(rest[2]):
		j := 3
		for j < len(rest) && isASCIIAlnum(rest[j]) {
			j++
		}
		name := rest[2:j]
		j = skipHTMLSpace(rest, j)
		if j >= len(rest) || rest[j] != '>' {
			return p.fail()
		}
		p.i += j + 1
		return xhtml.EndTagToken, lookupLower(name), ""
	case len(rest) > 1 && isASCIIAlpha(rest[1]):
		j := 2
		for j < len(rest) && isASCIIAlnum(rest[j]) {
			j++
		}
		name := rest[1:j]
		k, tt := j, xhtml.StartTagToken
		for {
			if k < len(rest) && !isHTMLSpace(rest[k]) && rest[k] != '>' && rest[k] != '/' {
				return p.fail() // a name or value runs on into another
			}
			k = skipHTMLSpace(rest, k)
			if k >= len(rest) {
				return p.fail()
			}
			if rest[k] == '>' {
				k++
				break
			}
			if rest[k] == '/' {
				if k+1 < len(rest) && rest[k+1] == '>' {
					k, tt = k+2, xhtml.SelfClosingTagToken
					break
				}
				return p.fail()
			}
			n := k
			for k < len(rest) && (isASCIIAlnum(rest[k]) || rest[k] == '-' || rest[k] == '_' || rest[k] == ':' || rest[k] == '.') {
				k++
			}
			if k == n {
				return p.fail()
			}
			if v := skipHTMLSpace(rest, k); v < len(rest) && rest[v] == '=' {
				k = skipHTMLSpace(rest, v+1)
				if k >= len(rest) {
					return p.fail()
				}
				switch q := rest[k]; q {
				case '"', '\'':
					end := strings.IndexByte(rest[k+1:], q)
					if end < 0 {
						return p.fail()
					}
					k += end + 2
				default:
					v := k
					for k < len(rest) && !isHTMLSpace(rest[k]) && rest[k] != '>' {
						if c := rest[k]; c == '"' || c == '\'' || c == '<' || c == '=' || c == '`' {
							return p.fail()
						}
						k++
					}
					if k == v {
						return p.fail()
					}
				}
			}
		}
		p.i += k
		return tt, lookupLower(name), ""
	default:
		return p.fail()
	}
}

func isASCIIAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isASCIIAlnum(c byte) bool { return isASCIIAlpha(c) || c >= '0' && c <= '9' }
func isHTMLSpace(c byte) bool  { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

func skipHTMLSpace(s string, i int) int {
	for i < len(s) && isHTMLSpace(s[i]) {
		i++
	}
	return i
}

// lookupLower is atom.Lookup of an ASCII name in lower case, as the
// tokenizer reports tag names.
func lookupLower(name string) atom.Atom {
	var buf [16]byte
	if len(name) > len(buf) {
		return 0 // longer than any atom simpleText knows
	}
	b := buf[:len(name)]
	for i := range len(name) {
		c := name[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return atom.Lookup(b)
}
