package slack

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// ellipsis marks text cut to fit a Slack limit.
const ellipsis = "…"

// escapeMrkdwn escapes the three characters Slack's mrkdwn treats as
// control characters, so feed text can never form links or mentions.
func escapeMrkdwn(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}

// fitPlain returns s with its whitespace collapsed and cut to at most max
// characters (runes), ending in an ellipsis when cut.
func fitPlain(s string, max int) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	return cutRunes(s, max)
}

// cutRunes cuts s to at most max runes, ending in an ellipsis when cut.
func cutRunes(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return strings.TrimRight(s[:i], " ") + ellipsis
		}
		n++
	}
	return s
}

// fitMrkdwn escapes s for mrkdwn and cuts it so the escaped text is at
// most max runes, never splitting an escape sequence. Line breaks are kept.
func fitMrkdwn(s string, max int) string {
	if max <= 0 {
		return ""
	}
	s = strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
	if utf8.RuneCountInString(s) <= max && !strings.ContainsAny(s, "&<>") {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		piece := string(r)
		switch r {
		case '&':
			piece = "&amp;"
		case '<':
			piece = "&lt;"
		case '>':
			piece = "&gt;"
		}
		w := utf8.RuneCountInString(piece)
		if n+w > max {
			// Not everything fits: make room for the ellipsis.
			return cutEscaped(b.String(), max-1) + ellipsis
		}
		b.WriteString(piece)
		n += w
	}
	return b.String()
}

// cutEscaped cuts already-escaped mrkdwn to at most max runes without
// leaving a partial entity (&amp; &lt; &gt;) at the end.
func cutEscaped(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return strings.TrimRight(s, " ")
	}
	n := 0
	cut := len(s)
	for i := range s {
		if n == max {
			cut = i
			break
		}
		n++
	}
	s = s[:cut]
	if amp := strings.LastIndexByte(s, '&'); amp >= 0 && !strings.Contains(s[amp:], ";") {
		s = s[:amp]
	}
	return strings.TrimRight(s, " ")
}

// safeURL returns u when it is an absolute http(s) URL that can sit inside
// a mrkdwn link, with the characters that would break the link escaped;
// otherwise "".
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || len(u) > 2000 || !utf8.ValidString(u) {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	r := strings.NewReplacer("|", "%7C", "<", "%3C", ">", "%3E", " ", "%20", "&", "&amp;")
	return r.Replace(u)
}

// mrkdwnLink renders a link labelled label (plain text, escaped here, at
// most max runes). Without a usable URL it is just the escaped label.
func mrkdwnLink(rawURL, label string, max int) string {
	label = strings.Join(strings.Fields(label), " ")
	u := safeURL(rawURL)
	if label == "" {
		label = "link"
	}
	if u == "" {
		return fitMrkdwn(label, max)
	}
	// The link syntax itself costs the URL plus three characters.
	room := max - utf8.RuneCountInString(u) - 3
	if room < 8 {
		return fitMrkdwn(label, max)
	}
	label = strings.ReplaceAll(fitMrkdwn(label, room), "|", "¦")
	return "<" + u + "|" + label + ">"
}
