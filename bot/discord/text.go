package discord

import (
	"net/url"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// textLen counts s the way Discord's limits count it. UTF-16 code units
// are never fewer than code points, so staying under the limit in UTF-16
// is safe either way.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// clip trims s and shortens it to at most max units, ending in "…" when cut.
func clip(s string, max int) string {
	s = strings.TrimSpace(s)
	if max <= 0 {
		return ""
	}
	if textLen(s) <= max {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		l := utf16.RuneLen(r)
		if r == utf8.RuneError {
			l = 1
		}
		if n+l > max-1 {
			break
		}
		b.WriteRune(r)
		n += l
	}
	return strings.TrimRightFunc(b.String(), isSpace) + "…"
}

func isSpace(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '\r' }

// oneLine collapses whitespace runs (including newlines) into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, `*`, `\*`, `_`, `\_`, `~`, `\~`, "`", "\\`", `|`, `\|`,
	`[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`, `#`, `\#`, `@`, "@\u200b",
)

// escape makes feed text inert in Discord markdown: no formatting, no
// links, no mentions.
func escape(s string) string { return mdEscaper.Replace(s) }

var tameReplacer = strings.NewReplacer(`[`, `\[`, `]`, `\]`, `<`, `\<`, `@`, "@\u200b")

// tame keeps text's own formatting (the router writes `code` and *bold*)
// but defuses masked links, mentions and custom-emoji syntax, for
// router-written text that may quote a page or a feed.
func tame(s string) string { return tameReplacer.Replace(s) }

// maxURLLen bounds links we emit; Discord rejects overlong embed URLs.
const maxURLLen = 2048

// safeURL returns u when it is an absolute http(s) URL fit to link, with
// characters that would end a markdown link target percent-encoded; else "".
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || len(u) > maxURLLen {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E").Replace(p.String())
}

// link renders escaped text as a markdown link to u, or as plain escaped
// text when u is not linkable.
func link(text, u string) string {
	text = escape(oneLine(text))
	if su := safeURL(u); su != "" {
		return "[" + text + "](" + su + ")"
	}
	return text
}

// hostOf returns u's host name without "www.", or "".
func hostOf(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(p.Hostname(), "www.")
}
