package feeds

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// parseHTML parses a UTF-8 HTML document.
func parseHTML(b []byte) (*xhtml.Node, error) {
	doc, err := xhtml.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	return doc, nil
}

// documentLang returns the lang attribute of the <html> element.
func documentLang(doc *xhtml.Node) string {
	for n := doc.FirstChild; n != nil; n = n.NextSibling {
		if n.Type == xhtml.ElementNode && n.DataAtom == atom.Html {
			return strings.TrimSpace(attr(n, "lang"))
		}
	}
	return ""
}

// attr returns the value of an attribute of n.
func attr(n *xhtml.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// bannerRe matches class/id values of cookie and consent banners, which
// readability can mistake for short article paragraphs. Broader furniture
// (navigation, related lists, comments, share bars) is left to readability's
// own scoring: removing it by class name up front cost recall on the pages
// extraction was tuned on.
var bannerRe = regexp.MustCompile(`(?i)(^|[\s_-])(cookies?|consent|gdpr|cmp)($|[\s_-])`)

// isAdName reports whether a class or id value names an advertisement
// slot, which readability can keep when it stands beside the article
// ("Advertisement. Book cheap flights …" before <article>): one of its
// space-separated tokens is "ad", "ads", "advert", "advertisement",
// "sponsored", … or starts with "ad-", "ad_", "ads-", "advert".
func isAdName(v string) bool {
	for _, tok := range strings.Fields(strings.ToLower(v)) {
		switch tok {
		case "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "adslot", "adunit",
			"adsense", "dfp", "sponsored", "sponsor", "taboola", "outbrain":
			return true
		}
		for _, p := range []string{"ad-", "ad_", "ads-", "ads_", "advert", "dfp-", "gpt-ad", "google-ad"} {
			if strings.HasPrefix(tok, p) {
				return true
			}
		}
	}
	return false
}

// preclean removes cookie and consent banners and advertisement slots.
func preclean(doc *xhtml.Node) {
	var remove []*xhtml.Node
	var walk func(n *xhtml.Node, depth int)
	walk = func(n *xhtml.Node, depth int) {
		if depth > maxTextDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == xhtml.ElementNode && isBanner(c) {
				remove = append(remove, c)
				continue
			}
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	for _, n := range remove {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

// isBanner reports whether an element is a cookie or consent banner or an
// advertisement slot.
func isBanner(n *xhtml.Node) bool {
	switch n.DataAtom {
	case atom.Html, atom.Head, atom.Body, atom.Main, atom.Article:
		return false
	}
	class, id := attr(n, "class"), attr(n, "id")
	if bannerRe.MatchString(class) || bannerRe.MatchString(id) {
		return true
	}
	// "ad" also abbreviates other words ("ad_body" may hold the article):
	// a slot named like an ad is removed only when it holds little text
	return (isAdName(class) || isAdName(id)) && textLenUnder(n, maxAdText)
}

// maxAdText is the most text an element named like an ad slot may hold
// and still be removed as one.
const maxAdText = 600

// textLenUnder reports whether the text inside n is shorter than limit bytes.
func textLenUnder(n *xhtml.Node, limit int) bool {
	total := 0
	var walk func(n *xhtml.Node, depth int) bool
	walk = func(n *xhtml.Node, depth int) bool {
		if depth > maxTextDepth {
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == xhtml.TextNode {
				total += len(strings.TrimSpace(c.Data))
				if total >= limit {
					return false
				}
			}
			if c.Type == xhtml.ElementNode && (c.DataAtom == atom.Script || c.DataAtom == atom.Style) {
				continue
			}
			if !walk(c, depth+1) {
				return false
			}
		}
		return true
	}
	return walk(n, 0)
}

// articleText converts readability's article node to paragraph text.
func articleText(n *xhtml.Node) string {
	return nodeText(n)
}
