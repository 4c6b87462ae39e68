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

// preclean removes cookie and consent banners.
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

// isBanner reports whether an element is a cookie or consent banner.
func isBanner(n *xhtml.Node) bool {
	switch n.DataAtom {
	case atom.Html, atom.Head, atom.Body, atom.Main, atom.Article:
		return false
	}
	return bannerRe.MatchString(attr(n, "class")) || bannerRe.MatchString(attr(n, "id"))
}

// articleText converts readability's article node to paragraph text.
func articleText(n *xhtml.Node) string {
	return nodeText(n)
}
