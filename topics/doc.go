package topics

import "time"

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
	Topics     []string // built-in security topics, sorted
	UserTopics []string // names of user topics whose query matched, sorted
	Severity   string   // "low" | "medium" | "high" ("" when not security news)
}

// UserTopic is a named query configured by users beside the built-in topics.
type UserTopic struct{ Name, Query string }

// maxDocText bounds the bytes of title and text that are analysed.
const maxDocText = 256 << 10

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// analysis is the tokenized and recognised content of a Doc, shared by tagging, queries and
// clustering.
type analysis struct {
	title, text           []token
	titleMents, textMents []mention
}

func analyze(g *gazetteer, d Doc) *analysis {
	text := clip(d.Text, maxDocText)
	a := &analysis{
		title: tokenize(clip(d.Title, 4096), nil),
		text:  tokenize(text, make([]token, 0, len(text)/6+1)),
	}
	a.titleMents = g.find(a.title, nil)
	a.textMents = g.find(a.text, nil)
	return a
}
