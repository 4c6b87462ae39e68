package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"
)

// Item is one entry of a parsed feed, normalised.
type Item struct {
	// Key is the dedupe key: the guid/Atom id as published; else
	// CanonicalURL(link); else "sha256:" + hex of title and content.
	// A guid repeated within one feed becomes guid + "|" + URL.
	Key string
	// GUID is the guid/Atom id exactly as published ("" if none).
	GUID string
	// URL is the canonical link (see CanonicalURL).
	URL string
	// Title is plain text.
	Title string
	// Content is the plain-text body from the feed, paragraphs separated by "\n\n".
	Content string
	// Teaser is true when the feed gives only a short teaser of the article.
	Teaser bool
	// Author is the item's author as published, or "".
	Author string
	// Published is the publication (else update) time; zero when unknown.
	Published time.Time
}

// teaserRunes is the text length under which feed content counts as a teaser.
const teaserRunes = 600

// isTeaser reports whether content looks like a teaser rather than the full text.
func isTeaser(content string) bool {
	if utf8.RuneCountInString(content) < teaserRunes {
		return true
	}
	t := strings.TrimSpace(content)
	for _, suffix := range []string{"…", "[…]", "...", "[...]", "(…)", "(...)"} {
		if strings.HasSuffix(t, suffix) {
			return true
		}
	}
	last := t
	if i := strings.LastIndex(t, "\n\n"); i >= 0 {
		last = t[i+2:]
	}
	lower := strings.ToLower(last)
	for _, tail := range []string{"read more", "continue reading", "read the full", "full story", "اقرأ المزيد", "المزيد"} {
		if utf8.RuneCountInString(last) < 80 && strings.Contains(lower, tail) {
			return true
		}
	}
	return false
}

// contentHashKey is the key of an item with neither guid nor link.
func contentHashKey(title, content string) string {
	h := sha256.New()
	h.Write([]byte(title))
	h.Write([]byte{0})
	h.Write([]byte(content))
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// dedupeKeys drops items whose key repeats one of a later (newer) item, so
// a feed that lists the same entry twice yields it once. items are oldest
// first; the survivors keep their order.
func dedupeKeys(items []Item) []Item {
	seen := make(map[string]bool, len(items))
	keep := make([]bool, len(items))
	for i := len(items) - 1; i >= 0; i-- {
		if !seen[items[i].Key] {
			seen[items[i].Key] = true
			keep[i] = true
		}
	}
	out := items[:0]
	for i, it := range items {
		if keep[i] {
			out = append(out, it)
		}
	}
	return out
}

// assignKeys sets Item.Key following the rules documented on Item.
func assignKeys(items []Item) {
	seen := make(map[string]int, len(items))
	for _, it := range items {
		if it.GUID != "" {
			seen[it.GUID]++
		}
	}
	for i := range items {
		it := &items[i]
		switch {
		case it.GUID != "" && seen[it.GUID] > 1 && it.URL != "":
			it.Key = it.GUID + "|" + it.URL
		case it.GUID != "":
			it.Key = it.GUID
		case it.URL != "":
			it.Key = it.URL
		default:
			it.Key = contentHashKey(it.Title, it.Content)
		}
	}
}
