// Package topics tags news items with regions, built-in security topics, user topics and a
// severity, matches topic queries, and groups reports of one event into stories.
//
// The regional gazetteer (data/gazetteer.txt), the topic terms (data/topics.txt) and the event
// concepts used for clustering across languages (data/concepts.txt) are embedded data files:
// extend them there. Everything here is in-memory and safe for concurrent use.
package topics

import (
	"slices"
	"sync"
	"time"
)

// Doc is what the tagger and clusterer see of one news item.
type Doc struct {
	ID        string    // unique item key
	Title     string    // headline
	Text      string    // cleaned body text (may be long) or summary
	Source    string    // outlet/feed name, for source: queries
	Published time.Time // publication time; zero means unknown
}

// Tags are the labels the Tagger gives a Doc.
type Tags struct {
	Regions    []string // region slugs, sorted, e.g. "iraq", "kurdistan-region"
	Topics     []string // built-in security topics, sorted (shared between Tags: do not modify in place)
	UserTopics []string // names of user topics whose query matched, sorted
	Severity   Severity // low, medium or high; SeverityNone when not security news
	// Security reports whether the item is security news (LABELS.md): conflict, terrorism,
	// military, security diplomacy, border or maritime security, unrest, conflict-driven crises.
	Security bool

	// prepared is what the Tagger worked out for clustering the same doc, so that
	// Clusterer.Add need not analyse it again (nil in Tags built by hand).
	prepared *prepared
}

// prepared carries a doc's clustering features from Tagger.Tag to Clusterer.Add, with what they
// were computed from so that Add can tell whether they belong to the doc it is given.
type prepared struct {
	title, text string
	g           *gazetteer
	r           *rules
	f           docFeatures
}

// featuresFor returns the cached features when they were computed from d's title and text with
// the same gazetteer and rules.
func (p *prepared) featuresFor(d Doc, g *gazetteer, r *rules) (docFeatures, bool) {
	if p == nil || p.g != g || p.r != r || p.title != d.Title || p.text != d.Text {
		return docFeatures{}, false
	}
	return p.f, true
}

// UserTopic is a named query configured by users beside the built-in topics.
type UserTopic struct{ Name, Query string }

// maxDocText bounds the bytes of title and text that are analysed.
const maxDocText = 256 << 10

// cutBytes bounds s to n bytes (the tokenizer copes with a cut rune).
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// analysis is the tokenized and recognised content of a Doc, shared by tagging, queries and
// clustering.
type analysis struct {
	title, text           []token
	titleLk, textLk       lookups // the tokens looked up in the gazetteer's word index
	titleMents, textMents []mention
	// dateline is the number of tokens of text in a wire dateline ("ERBIL, Kurdistan Region -"),
	// first the token index where the first sentence after it ends.
	dateline, first int
}

func analyze(g *gazetteer, d Doc) *analysis { return analyzeN(g, d, maxTokens) }

// analyzeN is analyze reading at most limit tokens of the text (the title always whole).
func analyzeN(g *gazetteer, d Doc, limit int) *analysis {
	return analyzeInto(&analysis{}, g, d, limit)
}

// analyses recycles the analyses Tagger.Tag makes and drops: their token and mention lists are
// most of what tagging allocates.
var analyses = sync.Pool{New: func() any { return &analysis{} }}

// analyzeInto is analyzeN reusing a's lists (their contents are overwritten).
func analyzeInto(a *analysis, g *gazetteer, d Doc, limit int) *analysis {
	text := cutBytes(cutFeedTrailer(d.Text), maxDocText)
	a.title = tokenize(cutBytes(d.Title, 4096), a.title[:0])
	// Tokenizing the text in three pieces cut at non-word characters gives the same tokens as
	// one pass, and tells where the dateline and the first sentence end.
	dl := datelineBytes(text)
	fs := firstSentenceEnd(text, dl)
	if a.text == nil {
		a.text = make([]token, 0, min(len(text)/6, limit)+1)
	}
	a.text = tokenizeN(text[:dl], a.text[:0], limit)
	a.dateline = len(a.text)
	a.text = tokenizeN(text[dl:fs], a.text, limit)
	a.first = len(a.text)
	a.text = tokenizeN(text[fs:], a.text, limit)
	for _, cut := range [...]struct{ tok, at int }{{a.dateline, dl}, {a.first, fs}} {
		if cut.tok < len(a.text) && a.text[cut.tok].sep == 0 {
			a.text[cut.tok].sep = sepBefore(text[:cut.at])
		}
	}
	if a.dateline == 0 {
		a.dateline = datelineEnd(a.text)
		a.first = max(a.first, a.dateline)
	}
	a.titleLk = g.m.ix.lookup(a.title, a.titleLk)
	a.textLk = g.m.ix.lookup(a.text, a.textLk)
	a.titleMents = g.findLooked(a.title, a.titleLk, a.titleMents[:0])
	a.textMents = g.findLooked(a.text, a.textLk, a.textMents[:0])
	return a
}

// Matches reports whether tags satisfy a subscription filter: at least one of topics (built-in or
// user topics) when topics is not empty, and at least one of regions when regions is not empty.
// An empty filter matches everything.
func (t Tags) Matches(topics, regions []string) bool {
	if len(topics) > 0 && !slices.ContainsFunc(topics, func(x string) bool {
		return slices.Contains(t.Topics, x) || slices.Contains(t.UserTopics, x)
	}) {
		return false
	}
	if len(regions) > 0 && !slices.ContainsFunc(regions, func(x string) bool { return slices.Contains(t.Regions, x) }) {
		return false
	}
	return true
}
