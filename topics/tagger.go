package topics

import (
	"fmt"
	"slices"
	"strings"
)

// Tagger assigns regions, built-in security topics, user topics and a severity to items.
// It is immutable after NewTagger and safe for concurrent use.
type Tagger struct {
	g     *gazetteer
	r     *rules
	user  []*Query
	names []string
}

// NewTagger compiles the built-in gazetteer and rules and the given user topics. A bad user topic
// is reported with its name and the position of the offending token.
func NewTagger(user []UserTopic) (*Tagger, error) {
	g, r, err := builtin()
	if err != nil {
		return nil, err
	}
	t := &Tagger{g: g, r: r}
	seen := map[string]bool{}
	for i, u := range user {
		if u.Name == "" {
			return nil, fmt.Errorf("topics: user topic %d: empty name", i)
		}
		if seen[u.Name] {
			return nil, fmt.Errorf("topics: user topic %q: duplicate name", u.Name)
		}
		seen[u.Name] = true
		q, err := ParseQuery(u.Query)
		if err != nil {
			return nil, fmt.Errorf("topics: user topic %q: %w", u.Name, err)
		}
		t.user = append(t.user, q)
		t.names = append(t.names, u.Name)
	}
	return t, nil
}

// Tag labels one item. The Tags it returns also carry what Clusterer.Add needs to know of the
// item, so passing them to Add with the same Doc saves analysing it twice.
func (t *Tagger) Tag(d Doc) Tags {
	a := analyze(t.g, d)
	tags := t.tag(d, a)
	tags.prepared = &prepared{title: d.Title, text: d.Text, g: t.g, r: t.r, f: extractFeatures(t.g, t.r, a)}
	return tags
}

func (t *Tagger) tag(d Doc, a *analysis) Tags {
	var tags Tags
	tags.Regions = t.regions(a)
	scores := t.r.scoreTopics(t.g, a)
	tags.Topics = pickTopics(scores)
	if len(tags.Topics) > 0 {
		tags.Severity = severityOf(a.title, a.text)
	}
	if len(t.user) > 0 {
		v := newDocView(d, a)
		for i, q := range t.user {
			if q.match(v, tags) {
				tags.UserTopics = append(tags.UserTopics, t.names[i])
			}
		}
		slices.Sort(tags.UserTopics)
	}
	return tags
}

// regions applies the placement rule (see placement) to the item's place mentions.
func (t *Tagger) regions(a *analysis) []string {
	return defaultPlacement.regions(t.g, a)
}

// datelineEnd returns the number of tokens of a wire-style dateline at the start of a text
// ("AMMAN (Reuters) -", "TEHRAN, Aug. 13 (MNA) –"), or 0. A dateline names where the reporter
// filed from, which is often not where the story is, so it does not count as a lead mention.
func datelineEnd(text []token) int {
	if len(text) < 2 {
		return 0
	}
	first := text[0].orig
	if len(first) < 3 || strings.ToUpper(first) != first || strings.ToLower(first) == first {
		return 0
	}
	for i := 1; i < len(text) && i < 8; i++ {
		switch strings.ToLower(text[i].orig) {
		case "reuters", "afp", "ap", "mna", "irna", "ina", "xinhua", "dpa", "anadolu", "upi", "wam", "spa", "qna", "kuna", "sana":
			return i + 1
		}
	}
	return 0
}
