package summarize

import (
	"html"
	"strings"
)

// looksLikeHTML reports whether text contains markup: a "<" followed by a
// letter, "/" or "!".
func looksLikeHTML(text string) bool {
	for i := strings.IndexByte(text, '<'); i >= 0 && i+1 < len(text); {
		c := text[i+1]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '!' {
			return true
		}
		j := strings.IndexByte(text[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// stripTags turns an HTML fragment that slipped into plain text into text:
// tags go, block-level tags become line breaks, script and style content is
// dropped and character references are decoded. Full pages should be
// extracted before summarizing; this only keeps fragments readable.
func stripTags(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		lt := strings.IndexByte(text[i:], '<')
		if lt < 0 {
			b.WriteString(text[i:])
			break
		}
		b.WriteString(text[i : i+lt])
		i += lt
		gt := strings.IndexByte(text[i:], '>')
		if gt < 0 || i+1 >= len(text) || !isTagStart(text[i+1]) {
			b.WriteByte('<')
			i++
			continue
		}
		name, closing := tagName(text[i+1 : i+gt])
		i += gt + 1
		switch name {
		case "script", "style", "noscript", "template", "svg", "head":
			if !closing {
				i = skipElement(text, i, name)
			}
		case "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
			"section", "article", "header", "footer", "blockquote", "figure", "figcaption", "nav",
			"aside", "main", "hr", "dd", "dt", "pre", "title", "body", "html":
			b.WriteString("\n\n")
		case "td", "th":
			b.WriteByte(' ')
		}
	}
	out := b.String()
	if strings.IndexByte(out, '&') >= 0 {
		out = html.UnescapeString(out)
	}
	return out
}

func isTagStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '!'
}

// tagName returns the lower-case name of the tag whose inside is t.
func tagName(t string) (string, bool) {
	closing := strings.HasPrefix(t, "/")
	if closing {
		t = t[1:]
	}
	j := 0
	for j < len(t) && j < 16 && (t[j] >= 'a' && t[j] <= 'z' || t[j] >= 'A' && t[j] <= 'Z' || t[j] >= '0' && t[j] <= '9') {
		j++
	}
	return strings.ToLower(t[:j]), closing
}

// skipElement returns the index after the closing tag of name, searching
// from i; the end of text when it is missing.
func skipElement(text string, i int, name string) int {
	for {
		k := strings.Index(text[i:], "</")
		if k < 0 {
			return len(text)
		}
		i += k + 2
		if n, _ := tagName(text[i:min(len(text), i+20)]); n == name {
			if gt := strings.IndexByte(text[i:], '>'); gt >= 0 {
				return i + gt + 1
			}
			return len(text)
		}
	}
}
