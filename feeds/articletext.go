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

// boilerplateRe matches class/id values of page furniture that readability
// sometimes keeps: cookie banners, newsletter boxes, share bars, comments,
// related-article lists.
var boilerplateRe = regexp.MustCompile(`(?i)(^|[\s_-])(cookie|consent|gdpr|newsletter|subscribe|share|sharing|social|comments?|disqus|related|recommend|promo|advert|ads?|sponsor|outbrain|taboola|paywall|signup|breadcrumbs?)($|[\s_-])`)

// preclean removes elements that are never article text.
func preclean(doc *xhtml.Node) {
	var remove []*xhtml.Node
	var walk func(n *xhtml.Node, depth int)
	walk = func(n *xhtml.Node, depth int) {
		if depth > maxTextDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == xhtml.ElementNode && isBoilerplate(c) {
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

// isBoilerplate reports whether an element is page furniture.
func isBoilerplate(n *xhtml.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Aside, atom.Form, atom.Button, atom.Iframe, atom.Noscript:
		return true
	case atom.Html, atom.Body, atom.Main, atom.Article:
		return false
	}
	if role := attr(n, "role"); role == "navigation" || role == "complementary" || role == "banner" || role == "contentinfo" {
		return true
	}
	return boilerplateRe.MatchString(attr(n, "class")) || boilerplateRe.MatchString(attr(n, "id"))
}

// articleText converts readability's article node to paragraph text.
func articleText(n *xhtml.Node) string {
	return nodeText(n)
}
