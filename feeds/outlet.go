package feeds

import (
	"net"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// OutletName returns a short name for the outlet behind a feed, for
// posts and listings: the part of the feed's title that names the site,
// without taglines and section names ("Al Jazeera – Breaking News, World
// News and Video from Al Jazeera" → "Al Jazeera", "World news | The
// Guardian" → "The Guardian"), else the site's host ("huffpost.com").
//
// title is the feed's (or the page's og:site_name) title; siteURL is the
// site the feed links to and feedURL the feed's own address, either may
// be empty. The part of the title that names the site is found by
// comparing the title's parts with the hosts' labels. It returns "" only
// when it has nothing to go on.
func OutletName(title, siteURL, feedURL string) string {
	brands := brandLabels(siteURL, feedURL)
	parts := titleParts(title)
	best, bestLen := "", 0
	for _, p := range parts {
		if !namesBrand(p, brands) {
			continue
		}
		if n := utf8.RuneCountInString(p); best == "" || n < bestLen {
			best, bestLen = p, n
		}
	}
	if best != "" {
		return tidyName(best, brands)
	}
	// Nothing in the title names the host: the first part that is not
	// only generic words ("World News", "Rss"), when it is short enough
	// to be a name.
	for _, p := range parts {
		if !genericPart(p) && len(strings.Fields(p)) <= maxNameWords {
			return tidyName(p, brands)
		}
	}
	if h := siteHost(siteURL, feedURL); h != "" {
		return h
	}
	for _, p := range parts {
		if !genericPart(p) {
			return tidyName(p, brands)
		}
	}
	return ""
}

// maxNameWords is the most words a title part may have to be taken as a
// name without a host to confirm it.
const maxNameWords = 5

// titleSep splits a feed title into parts: spaced dashes, bars, colons,
// guillemets and the like ("Reuters: World News", "NYT > World News").
var titleSep = regexp.MustCompile(`\s+[-–—|»>·•/~]+\s+|\s*\|\s*|:\s+|\s+::\s+`)

// titleParts returns the trimmed, non-empty parts of a title.
func titleParts(title string) []string {
	title = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, title)), " ")
	var out []string
	for _, p := range titleSep.Split(title, -1) {
		p = strings.Trim(p, " -–—|:»>·•,;")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// genericWords are words that name sections, formats or kinds of news,
// not an outlet.
var genericWords = map[string]bool{
	"news": true, "world": true, "breaking": true, "latest": true, "top": true, "stories": true, "story": true,
	"headlines": true, "international": true, "rss": true, "feed": true, "feeds": true, "home": true,
	"homepage": true, "front": true, "page": true, "online": true, "video": true, "videos": true, "and": true,
	"of": true, "the": true, "from": true, "in": true, "on": true, "for": true, "all": true, "section": true,
	"articles": true, "updates": true, "today": true, "middle": true, "east": true, "mideast": true,
	"politics": true, "business": true, "sport": true, "sports": true, "opinion": true, "analysis": true,
	"europe": true, "asia": true, "africa": true, "americas": true, "us": true, "uk": true, "xml": true,
	"atom": true, "www": true, "com": true, "en": true, "ar": true, "live": true, "edition": true,
}

// genericPart reports whether every word of p is a generic word.
func genericPart(p string) bool {
	for _, w := range words(p) {
		if !genericWords[w] {
			return false
		}
	}
	return true
}

// words returns p's words, lower-cased, split at anything but letters and digits.
func words(p string) []string {
	return strings.FieldsFunc(strings.ToLower(p), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// letters returns p lower-cased with only its letters and digits.
func letters(p string) string {
	return strings.Join(words(p), "")
}

// secondLevel are labels that sit between a country code and the name
// (bbc.co.uk, uol.com.br).
var secondLevel = map[string]bool{"co": true, "com": true, "org": true, "net": true, "gov": true, "ac": true, "edu": true, "or": true, "ne": true}

// brandLabels returns the distinctive labels of the hosts ("news.sky.com"
// → "sky"; "www.bbc.co.uk" → "bbc"), with hyphens dropped.
func brandLabels(urls ...string) []string {
	var out []string
	for _, u := range urls {
		host := hostOf(u)
		if host == "" {
			continue
		}
		labels := strings.Split(host, ".")
		if len(labels) < 2 {
			continue
		}
		labels = labels[:len(labels)-1] // the top-level domain
		if n := len(labels); n >= 2 && secondLevel[labels[n-1]] {
			labels = labels[:n-1]
		}
		for _, l := range labels {
			l = strings.ReplaceAll(l, "-", "")
			if l == "" || genericWords[l] || slices.Contains(out, l) {
				continue
			}
			out = append(out, l)
		}
	}
	return out
}

// hostOf returns u's host as HostName does (lower case, without "www."),
// or "" for none, for an IP address or for a single-label host such as
// localhost. A URL without a scheme is read as https.
func hostOf(u string) string {
	u = strings.TrimSpace(u)
	if u == "" {
		return ""
	}
	if !strings.Contains(u, "://") {
		u = "https://" + u
	}
	h := HostName(u)
	if h == "" || net.ParseIP(h) != nil || !strings.Contains(h, ".") {
		return ""
	}
	return h
}

// siteHost is the site's host without "www." ("huffpost.com") or a feed
// subdomain, the feed's when the site has none.
func siteHost(siteURL, feedURL string) string {
	for _, u := range []string{siteURL, feedURL} {
		if h := hostOf(u); h != "" {
			for _, pre := range []string{"rss.", "feeds.", "feed."} {
				if rest, ok := strings.CutPrefix(h, pre); ok && strings.Contains(rest, ".") {
					return rest
				}
			}
			return h
		}
	}
	return ""
}

// namesBrand reports whether title part p names one of the host labels:
// the label is in p's letters ("Al Jazeera" / aljazeera), p is a short
// form of it ("NYT" / nytimes), one of p's distinctive words is part of it
// ("BBC News اردو" / bbcurdu), or p's capitalised initials spell it
// ("Jornal de Notícias" / jn).
func namesBrand(p string, brands []string) bool {
	if len(brands) == 0 {
		return false
	}
	ls := letters(p)
	ws := words(p)
	initials := capitalInitials(p)
	for _, b := range brands {
		switch {
		case len(b) >= 3 && strings.Contains(ls, b):
			return true
		case len(ls) >= 3 && strings.Contains(b, ls):
			return true
		case len(b) >= 2 && initials == b:
			return true
		}
		for _, w := range ws {
			if utf8.RuneCountInString(w) >= 3 && !genericWords[w] && strings.Contains(b, w) {
				return true
			}
		}
	}
	return false
}

// capitalInitials returns the lower-cased initials of p's capitalised words.
func capitalInitials(p string) string {
	var b strings.Builder
	for _, w := range strings.Fields(p) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// hostLike matches a title part that is a bare host name.
var hostLike = regexp.MustCompile(`^(?i)(https?://)?(www\.)?([a-z0-9-]+(\.[a-z0-9-]+)+)/?$`)

// tidyName trims a chosen title part: a bare host loses its scheme and
// "www." ("www.arab48.com" → "arab48.com"); a long part keeps the run of
// capitalised words that names the host ("Flux RSS du magazine de
// psychologie Le Cercle Psy" → "Le Cercle Psy").
func tidyName(p string, brands []string) string {
	if m := hostLike.FindStringSubmatch(p); m != nil {
		return strings.ToLower(m[3])
	}
	fs := strings.Fields(p)
	if len(fs) <= maxNameWords {
		return p
	}
	// Runs of capitalised words (joined by short lower-case particles).
	var runs [][]string
	var cur []string
	for i, w := range fs {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsUpper(r) || unicode.IsDigit(r):
			cur = append(cur, w)
		case len(cur) > 0 && utf8.RuneCountInString(w) <= 3 && i+1 < len(fs) && startsUpper(fs[i+1]):
			cur = append(cur, w) // "Times of Israel"
		default:
			if len(cur) > 0 {
				runs = append(runs, cur)
			}
			cur = nil
		}
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	for _, r := range runs {
		if s := strings.Join(r, " "); namesBrand(s, brands) {
			return s
		}
	}
	return p
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}
