package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sitrep-bot/sitrep/internal/redact"
)

// feedTypes are the link types of feed alternates, best first.
// (Plain application/json is left out: WordPress advertises its REST API
// with it.)
var feedTypes = []string{"application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml", "text/xml", "application/xml"}

// maxDiscoverGuesses bounds the candidates of each kind (advertised
// alternates, <a href> guesses) Discover fetches.
const maxDiscoverGuesses = 3

// Discovery is what Resolve found for a URL.
type Discovery struct {
	FeedURL string // the feed's URL after redirects
	// SiteName is the page's own name for its site (og:site_name, else
	// application-name), "" when the URL was a feed or the page names none.
	SiteName string
}

// Discover returns the feed URL for pageURL: pageURL itself (after
// redirects) if it is a feed, else the first feed its HTML advertises with
// <link rel="alternate"> that fetches and parses as a feed, else a linked
// feed-looking URL that does.
// A URL without a scheme is tried over https.
// It fails with ErrNotAFeed when none is found.
func (f *Fetcher) Discover(ctx context.Context, pageURL string) (string, error) {
	d, err := f.Resolve(ctx, pageURL)
	return d.FeedURL, err
}

// Resolve is Discover that also returns the page's site name, to name an
// outlet configured by its web page.
func (f *Fetcher) Resolve(ctx context.Context, pageURL string) (Discovery, error) {
	pageURL = strings.TrimSpace(pageURL)
	if !strings.Contains(pageURL, "://") {
		pageURL = "https://" + pageURL // a bare host typed by a user
	}
	resp, err := f.get(ctx, pageURL, feedAccept+", text/html;q=0.7", nil)
	if err != nil {
		return Discovery{}, fmt.Errorf("feeds: discover %s: %w", redact.URL(pageURL), err)
	}
	if resp.status < 200 || resp.status > 299 {
		return Discovery{}, fmt.Errorf("feeds: discover %s: %w", redact.URL(pageURL), &StatusError{Code: resp.status})
	}
	ct := resp.header.Get("Content-Type")
	if !LooksLikeHTML(resp.body) {
		if _, _, _, _, err := parseFeed(resp.body, ct, resp.finalURL, f.opt.MaxBody); err == nil {
			return Discovery{FeedURL: resp.finalURL}, nil
		}
		return Discovery{}, fmt.Errorf("feeds: discover %s: %w", redact.URL(pageURL), ErrNotAFeed)
	}
	doc, err := parseHTML(htmlToUTF8(resp.body, ct))
	if err != nil {
		return Discovery{}, fmt.Errorf("feeds: discover %s: %w", redact.URL(pageURL), err)
	}
	alternates, guesses := feedLinks(doc, resp.finalURL)
	site := pageSiteName(doc)
	// An advertised link is only a claim: each candidate is fetched and
	// must parse as a feed before it is returned.
	var refused error
	for _, cands := range [][]string{alternates, guesses} {
		for i, c := range cands {
			if i == maxDiscoverGuesses {
				break
			}
			res, err := f.Fetch(ctx, Request{URL: c})
			if err == nil {
				return Discovery{FeedURL: res.FinalURL, SiteName: site}, nil
			}
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return Discovery{}, fmt.Errorf("feeds: discover %s: %w", redact.URL(pageURL), err)
			}
			if refused == nil && errors.Is(err, ErrPrivateAddress) {
				refused = err
			}
		}
	}
	if refused != nil {
		return Discovery{}, fmt.Errorf("feeds: discover %s: %w", redact.URL(pageURL), refused)
	}
	return Discovery{}, fmt.Errorf("feeds: discover %s: %w", redact.URL(pageURL), ErrNotAFeed)
}

// feedLinks returns the absolute URLs of a page's advertised feeds (best type
// first) and of <a> links that look like feeds.
func feedLinks(doc *xhtml.Node, pageURL string) (alternates, guesses []string) {
	base := pageURL
	type alt struct {
		href string
		rank int
	}
	var alts []alt
	seen := map[string]bool{}
	var walk func(n *xhtml.Node, depth int)
	walk = func(n *xhtml.Node, depth int) {
		if depth > maxTextDepth {
			return
		}
		if n.Type == xhtml.ElementNode {
			switch n.DataAtom {
			case atom.Base:
				if h := attr(n, "href"); h != "" {
					base = resolveURL(pageURL, h)
				}
			case atom.Link:
				rels := strings.Fields(strings.ToLower(attr(n, "rel")))
				typ := strings.ToLower(strings.TrimSpace(attr(n, "type")))
				if i := strings.IndexByte(typ, ';'); i >= 0 {
					typ = strings.TrimSpace(typ[:i])
				}
				if contains(rels, "alternate") && attr(n, "href") != "" {
					for rank, t := range feedTypes {
						if t == typ {
							alts = append(alts, alt{resolveURL(base, attr(n, "href")), rank})
							break
						}
					}
				}
			case atom.A:
				h := strings.TrimSpace(attr(n, "href"))
				if h != "" && looksLikeFeedURL(h) {
					abs := resolveURL(base, h)
					if !seen[abs] && isHTTPURL(abs) {
						seen[abs] = true
						guesses = append(guesses, abs)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	// stable by type rank, keeping document order within a type
	for rank := range feedTypes {
		for _, a := range alts {
			if a.rank == rank && isHTTPURL(a.href) {
				alternates = append(alternates, a.href)
			}
		}
	}
	return alternates, guesses
}

// looksLikeFeedURL reports whether an href names a feed by its path.
func looksLikeFeedURL(h string) bool {
	u, err := url.Parse(h)
	if err != nil {
		return false
	}
	p := strings.ToLower(strings.TrimSuffix(u.Path, "/"))
	for _, s := range []string{".rss", ".atom", "/rss", "/feed", "/atom", "rss.xml", "atom.xml", "feed.xml", "/feeds", "index.xml", ".rdf"} {
		if strings.HasSuffix(p, s) {
			return true
		}
	}
	return false
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// pageSiteName returns a page's name for its site: og:site_name, else
// application-name, trimmed; "" when it has neither.
func pageSiteName(doc *xhtml.Node) string {
	var og, app string
	var walk func(n *xhtml.Node, depth int)
	walk = func(n *xhtml.Node, depth int) {
		if depth > maxTextDepth || og != "" {
			return
		}
		if n.Type == xhtml.ElementNode {
			switch n.DataAtom {
			case atom.Meta:
				content := inlineText(attr(n, "content"))
				switch {
				case strings.EqualFold(attr(n, "property"), "og:site_name") && content != "":
					og = content
				case strings.EqualFold(attr(n, "name"), "application-name") && app == "" && content != "":
					app = content
				}
			case atom.Body:
				return // site metadata lives in the head
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	if og != "" {
		return og
	}
	return app
}
