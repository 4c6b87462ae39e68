package topics

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Query is a compiled topic query. Syntax: words, "quoted phrases", AND / OR / NOT (any case),
// parentheses, and the fields region:SLUG, topic:NAME and source:NAME. Adjacent terms mean AND;
// NOT binds tightest, then AND, then OR. A trailing * makes a word a prefix (kurd*). Matching is
// case-insensitive and ignores diacritics and Arabic proclitics. A Query is safe for concurrent use.
type Query struct {
	root qnode
	src  string
}

// QueryError reports a query that does not parse. Pos is the 1-based position (in characters)
// of the offending token; Token is its text ("" at the end of the query).
type QueryError struct {
	Pos   int
	Token string
	Msg   string
}

// Error formats the error like `query: unexpected ")" at 14: expected a word, phrase or "("`.
func (e *QueryError) Error() string {
	if e.Token == "" {
		return fmt.Sprintf("query: unexpected end of query at %d: %s", e.Pos, e.Msg)
	}
	return fmt.Sprintf("query: unexpected %q at %d: %s", e.Token, e.Pos, e.Msg)
}

// Limits that keep a query cheap to parse and match.
const (
	maxQueryLen   = 4096
	maxQueryDepth = 50
	maxQueryTerms = 200
)

type qkind int

const (
	qWord qkind = iota
	qPhrase
	qRegion
	qTopic
	qSource
	qAnd
	qOr
	qNot
)

type qnode struct {
	kind   qkind
	toks   []string // normalized words of a word/phrase/source term
	prefix bool     // last word is a prefix
	value  string   // region slug or topic name
	raw    string   // as written, for String
	kids   []qnode
}

// lexical tokens
type ltok struct {
	kind  byte // 'w' word, 'p' phrase, 'f' field, '(' ')', 'A' and, 'O' or, 'N' not, 0 end
	text  string
	field string
	pos   int // 1-based rune position
}

func lexQuery(s string) ([]ltok, error) {
	var out []ltok
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(' || r == ')':
			out = append(out, ltok{kind: byte(r), text: string(r), pos: i + 1})
			i++
		case r == '"' || r == '“' || r == '”':
			j := i + 1
			for j < len(rs) && rs[j] != '"' && rs[j] != '”' && rs[j] != '“' {
				j++
			}
			if j >= len(rs) {
				return nil, &QueryError{Pos: i + 1, Token: string(rs[i:]), Msg: "unterminated phrase: missing closing quote"}
			}
			out = append(out, ltok{kind: 'p', text: string(rs[i+1 : j]), pos: i + 1})
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '(' && rs[j] != ')' && rs[j] != '"' {
				j++
			}
			w := string(rs[i:j])
			t := ltok{kind: 'w', text: w, pos: i + 1}
			switch strings.ToUpper(w) {
			case "AND", "&&":
				t.kind = 'A'
			case "OR", "||":
				t.kind = 'O'
			case "NOT":
				t.kind = 'N'
			}
			if t.kind == 'w' {
				if name, val, ok := strings.Cut(w, ":"); ok && isLetters(name) {
					t.kind, t.field, t.text = 'f', strings.ToLower(name), val
					if val == "" && j < len(rs) && rs[j] == '"' {
						// field:"quoted value"
						k := j + 1
						for k < len(rs) && rs[k] != '"' {
							k++
						}
						if k >= len(rs) {
							return nil, &QueryError{Pos: j + 1, Token: string(rs[j:]), Msg: "unterminated phrase: missing closing quote"}
						}
						t.text = string(rs[j+1 : k])
						j = k + 1
					}
				} else if strings.HasPrefix(w, "-") && len(w) > 1 {
					out = append(out, ltok{kind: 'N', text: "-", pos: i + 1})
					i++
					continue
				}
			}
			out = append(out, t)
			i = j
		}
	}
	out = append(out, ltok{kind: 0, pos: len(rs) + 1})
	return out, nil
}

type qparser struct {
	toks  []ltok
	i     int
	depth int
	terms int
}

// ParseQuery compiles a query. Errors are *QueryError values that point at the bad token.
func ParseQuery(s string) (*Query, error) {
	if utf8.RuneCountInString(s) > maxQueryLen {
		return nil, &QueryError{Pos: maxQueryLen + 1, Token: "", Msg: fmt.Sprintf("query longer than %d characters", maxQueryLen)}
	}
	toks, err := lexQuery(s)
	if err != nil {
		return nil, err
	}
	p := &qparser{toks: toks}
	if p.peek().kind == 0 {
		return nil, &QueryError{Pos: 1, Msg: "empty query"}
	}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != 0 {
		msg := "expected AND, OR, NOT or a term"
		if t.kind == ')' {
			msg = `no matching "("`
		}
		return nil, &QueryError{Pos: t.pos, Token: t.text, Msg: msg}
	}
	return &Query{root: n, src: s}, nil
}

func (p *qparser) peek() ltok { return p.toks[p.i] }
func (p *qparser) next() ltok { t := p.toks[p.i]; p.i++; return t }

func (p *qparser) parseOr() (qnode, error) {
	left, err := p.parseAnd()
	if err != nil {
		return qnode{}, err
	}
	kids := []qnode{left}
	for p.peek().kind == 'O' {
		p.next()
		right, err := p.parseAnd()
		if err != nil {
			return qnode{}, err
		}
		kids = append(kids, right)
	}
	if len(kids) == 1 {
		return left, nil
	}
	return qnode{kind: qOr, kids: kids}, nil
}

func startsTerm(k byte) bool { return k == 'w' || k == 'p' || k == 'f' || k == '(' || k == 'N' }

func (p *qparser) parseAnd() (qnode, error) {
	left, err := p.parseUnary()
	if err != nil {
		return qnode{}, err
	}
	kids := []qnode{left}
	for {
		k := p.peek().kind
		if k == 'A' {
			p.next()
		} else if !startsTerm(k) {
			break
		}
		right, err := p.parseUnary()
		if err != nil {
			return qnode{}, err
		}
		kids = append(kids, right)
	}
	if len(kids) == 1 {
		return left, nil
	}
	return qnode{kind: qAnd, kids: kids}, nil
}

func (p *qparser) parseUnary() (qnode, error) {
	if p.peek().kind == 'N' {
		p.next()
		p.depth++
		if p.depth > maxQueryDepth {
			return qnode{}, &QueryError{Pos: p.peek().pos, Token: p.peek().text, Msg: "query nested too deeply"}
		}
		kid, err := p.parseUnary()
		p.depth--
		if err != nil {
			return qnode{}, err
		}
		return qnode{kind: qNot, kids: []qnode{kid}}, nil
	}
	return p.parsePrimary()
}

func (p *qparser) parsePrimary() (qnode, error) {
	t := p.next()
	switch t.kind {
	case '(':
		p.depth++
		if p.depth > maxQueryDepth {
			return qnode{}, &QueryError{Pos: t.pos, Token: t.text, Msg: "query nested too deeply"}
		}
		n, err := p.parseOr()
		p.depth--
		if err != nil {
			return qnode{}, err
		}
		if c := p.next(); c.kind != ')' {
			return qnode{}, &QueryError{Pos: c.pos, Token: c.text, Msg: fmt.Sprintf(`missing ")" for "(" at %d`, t.pos)}
		}
		return n, nil
	case 'w', 'p', 'f':
		p.terms++
		if p.terms > maxQueryTerms {
			return qnode{}, &QueryError{Pos: t.pos, Token: t.text, Msg: fmt.Sprintf("more than %d terms", maxQueryTerms)}
		}
		return p.term(t)
	case 0:
		return qnode{}, &QueryError{Pos: t.pos, Msg: `expected a word, phrase, field or "("`}
	default:
		return qnode{}, &QueryError{Pos: t.pos, Token: t.text, Msg: `expected a word, phrase, field or "("`}
	}
}

func (p *qparser) term(t ltok) (qnode, error) {
	switch t.kind {
	case 'w', 'p':
		prefix := t.kind == 'w' && strings.HasSuffix(t.text, "*")
		ws := tokenize(strings.TrimSuffix(t.text, "*"), nil)
		if len(ws) == 0 {
			return qnode{}, &QueryError{Pos: t.pos, Token: t.text, Msg: "term has no letters or digits"}
		}
		n := qnode{kind: qWord, prefix: prefix, raw: t.text}
		if t.kind == 'p' || len(ws) > 1 {
			n.kind = qPhrase
		}
		for _, w := range ws {
			n.toks = append(n.toks, w.norm)
		}
		return n, nil
	}
	raw := t.field + ":" + t.text
	val := strings.ToLower(strings.TrimSpace(t.text))
	if val == "" {
		return qnode{}, &QueryError{Pos: t.pos, Token: raw, Msg: "missing value after " + t.field + ":"}
	}
	switch t.field {
	case "region":
		if !IsRegion(val) {
			return qnode{}, &QueryError{Pos: t.pos, Token: raw, Msg: unknownMsg("region", val, regionSlugs())}
		}
		return qnode{kind: qRegion, value: val, raw: raw}, nil
	case "topic":
		if !IsTopic(val) {
			// Names that are not built-in topics refer to user topics, unless they look like a typo.
			if s := Suggest(val, builtinTopics, 1); len(s) > 0 && editDistance(val, s[0]) <= 2 {
				return qnode{}, &QueryError{Pos: t.pos, Token: raw, Msg: unknownMsg("topic", val, builtinTopics)}
			}
		}
		return qnode{kind: qTopic, value: val, raw: raw}, nil
	case "source":
		ws := tokenize(val, nil)
		if len(ws) == 0 {
			return qnode{}, &QueryError{Pos: t.pos, Token: raw, Msg: "source has no letters or digits"}
		}
		n := qnode{kind: qSource, raw: raw}
		for _, w := range ws {
			n.toks = append(n.toks, w.norm)
		}
		return n, nil
	}
	return qnode{}, &QueryError{Pos: t.pos, Token: raw, Msg: fmt.Sprintf("unknown field %q: use region:, topic: or source:", t.field)}
}

func unknownMsg(what, val string, cands []string) string {
	msg := fmt.Sprintf("unknown %s %q", what, val)
	if s := Suggest(val, cands, 1); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	}
	return msg
}

// String returns the query in canonical form: normalized words, upper-case operators, and
// parentheses around every nested AND/OR group. It parses back to an equivalent query.
func (q *Query) String() string {
	var b strings.Builder
	q.root.write(&b, false)
	return b.String()
}

func (n *qnode) write(b *strings.Builder, nested bool) {
	switch n.kind {
	case qWord:
		w := n.toks[0]
		if !n.prefix && (w == "and" || w == "or" || w == "not") {
			b.WriteString(`"` + w + `"`) // a word, not the operator
			break
		}
		b.WriteString(w)
		if n.prefix {
			b.WriteByte('*')
		}
	case qPhrase:
		b.WriteString(`"` + strings.Join(n.toks, " ") + `"`)
	case qRegion:
		b.WriteString("region:" + n.value)
	case qTopic:
		b.WriteString("topic:" + n.value)
	case qSource:
		v := strings.Join(n.toks, " ")
		if len(n.toks) > 1 {
			v = `"` + v + `"`
		}
		b.WriteString("source:" + v)
	case qNot:
		b.WriteString("NOT ")
		n.kids[0].write(b, true)
	case qAnd, qOr:
		op := " AND "
		if n.kind == qOr {
			op = " OR "
		}
		if nested {
			b.WriteByte('(')
		}
		for i := range n.kids {
			if i > 0 {
				b.WriteString(op)
			}
			n.kids[i].write(b, true)
		}
		if nested {
			b.WriteByte(')')
		}
	}
}

// docView is what a query is matched against: the words of title and text (with Arabic clitic
// variants) and the source name.
type docView struct {
	words  map[string]struct{}
	seqs   [][]token
	source []token
}

func newDocView(d Doc, a *analysis) *docView {
	v := &docView{words: make(map[string]struct{}, len(a.title)+len(a.text)), seqs: [][]token{a.title, a.text}}
	var buf []string
	for _, seq := range v.seqs {
		for _, t := range seq {
			buf = variants(t, buf)
			for _, w := range buf {
				v.words[w] = struct{}{}
			}
		}
	}
	v.source = tokenize(cutBytes(d.Source, 512), nil)
	return v
}

// Match reports whether the item matches the query, using d's title and text and the given tags.
func (q *Query) Match(d Doc, tags Tags) bool {
	a := &analysis{title: tokenize(cutBytes(d.Title, 4096), nil), text: tokenize(cutBytes(d.Text, maxDocText), nil)}
	return q.match(newDocView(d, a), tags)
}

func (q *Query) match(v *docView, tags Tags) bool { return q.root.eval(v, tags) }

func (n *qnode) eval(v *docView, tags Tags) bool {
	switch n.kind {
	case qWord:
		if n.prefix {
			for w := range v.words {
				if strings.HasPrefix(w, n.toks[0]) {
					return true
				}
			}
			return false
		}
		_, ok := v.words[n.toks[0]]
		return ok
	case qPhrase:
		for _, w := range n.toks {
			if _, ok := v.words[w]; !ok && !(n.prefix && w == n.toks[len(n.toks)-1]) {
				return false
			}
		}
		for _, seq := range v.seqs {
			if hasPhrase(seq, n.toks, n.prefix) {
				return true
			}
		}
		return false
	case qRegion:
		return slices.Contains(tags.Regions, n.value)
	case qTopic:
		return slices.Contains(tags.Topics, n.value) || slices.Contains(tags.UserTopics, n.value)
	case qSource:
		return hasPhrase(v.source, n.toks, false)
	case qNot:
		return !n.kids[0].eval(v, tags)
	case qAnd:
		for i := range n.kids {
			if !n.kids[i].eval(v, tags) {
				return false
			}
		}
		return true
	case qOr:
		for i := range n.kids {
			if n.kids[i].eval(v, tags) {
				return true
			}
		}
		return false
	}
	return false
}

// hasPhrase reports whether seq contains the words of ph consecutively (the first word may carry
// an Arabic proclitic).
func hasPhrase(seq []token, ph []string, prefix bool) bool {
	var buf []string
	for i := 0; i+len(ph) <= len(seq); i++ {
		buf = variants(seq[i], buf)
		if !slices.Contains(buf, ph[0]) && !(len(ph) == 1 && prefix && strings.HasPrefix(seq[i].norm, ph[0])) {
			continue
		}
		ok := true
		for k := 1; k < len(ph); k++ {
			w := seq[i+k].norm
			if w != ph[k] && !(prefix && k == len(ph)-1 && strings.HasPrefix(w, ph[k])) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}
