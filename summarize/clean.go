package summarize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean drops page furniture from scraped plain text, line by line, using
// generic rules rather than any one site's layout:
//   - a heading that introduces what follows an article ("Related Articles",
//     "Comments", "Read more", "Tags", ...) ends the main text once some body
//     text has been seen;
//   - short lines that are user-interface text (share, subscribe, cookie,
//     log-in, newsletter, "Try our AI ..."), bylines, time stamps ("2 hours
//     ago"), photo credits, one- or two-word labels and short lead-ins ending
//     in a colon are dropped.
//
// Then sentences that are furniture in any feed go: a "read more" link at
// the end (in the languages sitrep serves), WordPress's "The post …
// appeared first on …" footer and messaging-app promotions.
//
// Blank lines are kept so paragraphs stay apart. Long prose lines are never
// dropped for containing one of those words.
func Clean(text string) string {
	text, _ = cleanText(text, true)
	return text
}

// cleanText is Clean; without sentences, furniture sentences are left for
// the caller to skip while it splits the text anyway (prepare). It also
// reports whether the text names a messaging or social app (only then can
// a sentence be an app promotion).
func cleanText(text string, sentences bool) (string, bool) {
	text, apps, _ := cleanTextSpans(text, sentences, nil)
	return text, apps
}

// cleanTextSpans is cleanText. With sentences and a buffer, it also leaves
// in *buf the sentence spans of the text its sentence rules split, and
// returns that text as split; when split is the cleaned text, the caller
// need not split it again.
func cleanTextSpans(text string, sentences bool, buf *[]span) (cleaned string, apps bool, split string) {
	if buf != nil {
		*buf = (*buf)[:0] // the spans of split == "" until it is split
	}
	if needsClean(text) {
		text = cleanLines(text)
	}
	text = trimFooter(trimReadMore(text))
	text = onHead(text, func(head string) string {
		if apps = appSet.in(head); apps {
			head = cutPromoClauses(head)
		}
		if !sentences {
			return head
		}
		split = head
		return dropSentencesSpans(head, func(s string, _ int) bool { return isStockFurniture(s, apps) }, buf)
	})
	return text, apps, split
}

// cleanHeadBytes bounds the part of a text that the sentence rules of
// Clean and FeedFurniture read: summaries are drawn from the first
// sentences only, and a multi-megabyte page must stay cheap to clean.
const cleanHeadBytes = 64 << 10

// onHead applies f to the first cleanHeadBytes of text (cut at a line
// break or space) and returns the result followed by the rest, unchanged.
func onHead(text string, f func(string) string) string {
	if len(text) <= cleanHeadBytes {
		return f(text)
	}
	cut := strings.LastIndexByte(text[:cleanHeadBytes], '\n')
	if cut < cleanHeadBytes/2 {
		cut = strings.LastIndexByte(text[:cleanHeadBytes], ' ')
	}
	if cut <= 0 {
		return text
	}
	head := f(text[:cut])
	if head == text[:cut] {
		return text
	}
	return head + text[cut:]
}

// cleanLines applies the line rules of Clean.
func cleanLines(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	body := 0
	first := true
	for rest := text; len(rest) > 0; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		t := strings.TrimSpace(line)
		if t == "" {
			b.WriteByte('\n')
			continue
		}
		if isAdLabelled(t) {
			continue
		}
		if len(t) < 60 && isEndHeading(t) {
			if body >= 150 {
				break
			}
			continue
		}
		if isFurniture(t, first) && !(first && shortHeadline(t, rest)) {
			continue
		}
		first = false
		b.WriteString(line)
		b.WriteByte('\n')
		if len(t) >= 60 && endsSentence(t) {
			body += len(t)
		}
	}
	return b.String()
}

// needsClean is a fast check: a single long line (the usual case for feed
// text and datasets) has no furniture lines to drop.
func needsClean(text string) bool {
	i := strings.IndexByte(text, '\n')
	return i >= 0 && i < len(text)-1
}

// shortHeadline reports whether t, a one- or two-word first line, is a
// headline: the next non-empty line is prose.
func shortHeadline(t, rest string) bool {
	if countWords(t, 3) > 2 || endsSentence(t) || strings.HasSuffix(t, ":") {
		return false
	}
	for len(rest) > 0 {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if l := strings.TrimSpace(line); l != "" {
			return countWords(l, 8) >= 8 && endsSentence(l)
		}
	}
	return false
}

// endsSentence reports whether the line ends like prose.
func endsSentence(t string) bool {
	for len(t) > 0 {
		r, n := utf8.DecodeLastRuneInString(t)
		switch r {
		case '"', '\'', ')', ']', '”', '’', '»':
			t = t[:len(t)-n]
			continue
		case '.', '!', '?', '…', '؟', '۔', '。', '！', '？':
			return true
		}
		return false
	}
	return false
}

// endHeadings are headings (lower case, without a trailing colon) that start
// the part of a page after the article.
var endHeadings = map[string]struct{}{
	"related": {}, "related articles": {}, "related stories": {}, "related news": {}, "related content": {},
	"related posts": {}, "related coverage": {}, "related topics": {}, "related links": {},
	"more stories": {}, "more news": {}, "more articles": {}, "read more": {}, "read next": {},
	"read also": {}, "also read": {}, "see also": {}, "comments": {}, "comment": {}, "leave a comment": {},
	"leave a reply": {}, "join the conversation": {}, "you may also like": {}, "you might also like": {},
	"recommended": {}, "recommended for you": {}, "recommended stories": {}, "most read": {},
	"most popular": {}, "most viewed": {}, "popular": {}, "popular stories": {}, "trending": {},
	"trending now": {}, "latest news": {}, "latest stories": {}, "latest": {}, "top stories": {},
	"more on this story": {}, "more on this topic": {}, "editor's picks": {}, "editors' picks": {},
	"tags": {}, "hashtags": {}, "topics": {}, "keywords": {}, "share this article": {}, "share this": {},
	"what to read next": {}, "don't miss": {}, "more from our network": {}, "around the web": {},
	"sponsored": {}, "sponsored content": {}, "advertisement": {}, "footer": {}, "newsletter": {},
	"المزيد": {}, "اقرأ أيضا": {}, "اقرأ أيضاً": {}, "مقالات ذات صلة": {}, "أخبار ذات صلة": {}, "تعليقات": {},
	"مطالب مرتبط": {}, "اخبار مرتبط": {}, "نظرات": {},
}

// isEndHeading reports whether the line is a heading such as "Related
// Articles" or "Comments (3)".
func isEndHeading(t string) bool {
	l := strings.ToLower(strings.TrimRight(t, " :.-–—|»›>"))
	if _, ok := endHeadings[l]; ok {
		return true
	}
	if i := strings.IndexByte(l, '('); i > 0 { // "Comments (12)"
		if _, ok := endHeadings[strings.TrimSpace(l[:i])]; ok {
			return true
		}
	}
	return strings.HasPrefix(l, "more from ") || strings.HasPrefix(l, "more in ") ||
		strings.HasPrefix(l, "also in ") || strings.HasPrefix(l, "more stories from ")
}

// adLabels open an advertisement or sponsored block, in the languages sitrep serves.
var adLabels = []string{"advertisement", "advertising", "sponsored content", "sponsored", "paid content",
	"paid post", "promoted", "anzeige", "publicité", "publicidad", "reklama", "reklam", "إعلان", "اعلان",
	"تبلیغات", "آگهی", "اشتہار"}

// isAdLabelled reports whether a line opens with an advertisement label
// set apart by punctuation ("Advertisement. Book cheap flights …",
// "Sponsored: …") or is nothing else; such a line is an ad whatever its length.
func isAdLabelled(t string) bool {
	for _, a := range adLabels {
		if len(t) < len(a) || !strings.EqualFold(t[:len(a)], a) {
			continue
		}
		rest := strings.TrimLeft(t[len(a):], " ")
		if rest == "" {
			return true
		}
		r, _ := utf8.DecodeRuneInString(rest)
		return strings.ContainsRune(".:|-–—•·", r)
	}
	return false
}

// uiPhrases mark a short line as interface text rather than article text.
var uiPhrases = []string{
	"share this", "share on", "share via", "share article", "subscribe", "sign up", "sign in", "log in",
	"login", "log out", "register", "cookie", "newsletter", "advertisement", "advertising", "click here",
	"read more", "follow us", "follow on", "try our ai", "ai features", "all rights reserved", "©",
	"copyright", "photo:", "photo by", "photograph:", "image:", "image source", "picture:", "credit:",
	"getty images", "ap photo", "afp photo", "reuters/", "/reuters", "/afp", "watch:", "video:",
	"listen to this", "download the app", "download our app", "no comments", "add a comment",
	"view comments", "minutes ago", "minute ago", "hours ago", "hour ago", "days ago", "min read",
	"updated:", "published:", "last updated", "a+ a-", "print this", "email this", "skip to",
	"whatsapp", "facebook", "twitter", "telegram", "instagram", "linkedin", "youtube", "explore what",
	"privacy policy", "terms of use", "terms of service", "accept all", "back to top", "open in app",
	"free trial", "unlock", "paywall", "premium", "ad blocker", "turn on notifications", "enable javascript",
}

// isFurniture reports whether a (trimmed) line is page furniture. first is
// true for the first kept line, which may be a headline.
func isFurniture(t string, first bool) bool {
	words := countWords(t, 16)
	if words >= 16 {
		return false
	}
	prose := endsSentence(t)
	if !prose {
		if words <= 2 {
			return true // "Hashtags", "Rudaw Net", "Share"
		}
		last, _ := utf8.DecodeLastRuneInString(t)
		if last == ':' && words <= 12 {
			return true // "Explore what ... can do for you:"
		}
		if isByline(t, words) {
			return true
		}
	}
	if words > 12 && prose {
		return false
	}
	l := strings.ToLower(t)
	for _, p := range uiPhrases {
		if strings.Contains(l, p) {
			return true
		}
	}
	// time stamps and short all-digit lines ("30 minutes ago" handled above)
	r, _ := utf8.DecodeRuneInString(t)
	if !prose && words <= 4 && (unicode.IsDigit(r) || r == '-' || r == '|' || r == '•') {
		return true
	}
	return false
}

// isByline matches "By Jane Doe", "By Jane Doe and John Roe, Reuters".
func isByline(t string, words int) bool {
	if words > 8 || len(t) < 4 {
		return false
	}
	if !(strings.HasPrefix(t, "By ") || strings.HasPrefix(t, "by ") || strings.HasPrefix(t, "BY ")) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t[3:])
	return unicode.IsUpper(r)
}

// countWords counts space-separated words, stopping at limit.
func countWords(t string, limit int) int {
	n := 0
	in := false
	for i := 0; i < len(t); i++ {
		if c := t[i]; c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			in = false
			continue
		}
		if !in {
			n++
			if n >= limit {
				return n
			}
			in = true
		}
	}
	return n
}
