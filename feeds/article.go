package feeds

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

	readability "github.com/go-shiori/go-readability"
	"golang.org/x/net/html/charset"

	"github.com/sitrep-bot/sitrep/internal/redact"
)

// Article is the main text of a web page.
type Article struct {
	URL    string
	Title  string
	Byline string
	Lang   string
	Text   string // paragraphs separated by "\n\n"
}

// maxArticleElements bounds the elements readability scores in one page.
const maxArticleElements = 100000

// minArticleRunes is the least text a page must yield to count as an article.
const minArticleRunes = 140

// ExtractArticle returns the main text of an HTML page read from r, dropping
// navigation, ads, cookie banners, comments and related-article lists.
// pageURL (may be empty) resolves relative links. A page without a readable
// article (a redirect stub, an index page) gives ErrNotArticle.
func ExtractArticle(r io.Reader, pageURL string) (Article, error) {
	b, err := io.ReadAll(io.LimitReader(r, DefaultMaxBody+1))
	if err != nil {
		return Article{}, fmt.Errorf("feeds: extract article: read: %w", err)
	}
	if len(b) > DefaultMaxBody {
		return Article{}, fmt.Errorf("feeds: extract article: %w", ErrTooLarge)
	}
	a, err := extractArticle(htmlToUTF8(b, ""), pageURL)
	if err != nil {
		return Article{}, fmt.Errorf("feeds: %w", err)
	}
	return a, nil
}

// extractArticle runs readability over UTF-8 HTML.
func extractArticle(b []byte, pageURL string) (a Article, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = Article{}, fmt.Errorf("extract article: extractor panic: %v: %w", r, ErrNotArticle)
		}
	}()
	var pu *url.URL
	if pageURL != "" {
		if u, perr := url.Parse(pageURL); perr == nil && u.IsAbs() {
			pu = u
		}
	}
	if pu == nil {
		pu = &url.URL{Scheme: "http", Host: "localhost", Path: "/"}
	}
	doc, err := parseHTML(b)
	if err != nil {
		return Article{}, fmt.Errorf("extract article: %v: %w", err, ErrNotArticle)
	}
	lang := documentLang(doc)
	preclean(doc)
	p := readability.NewParser()
	p.MaxElemsToParse = maxArticleElements
	ra, err := p.ParseDocument(doc, pu)
	if err != nil {
		return Article{}, fmt.Errorf("extract article: %v: %w", err, ErrNotArticle)
	}
	a = Article{URL: pageURL, Title: inlineText(ra.Title), Byline: inlineText(ra.Byline), Lang: ra.Language}
	if a.Lang == "" {
		a.Lang = lang
	}
	if ra.Node != nil {
		a.Text = articleText(ra.Node)
	}
	if utf8.RuneCountInString(a.Text) < minArticleRunes {
		return Article{}, fmt.Errorf("extract article: %d characters of text: %w", utf8.RuneCountInString(a.Text), ErrNotArticle)
	}
	return a, nil
}

// htmlToUTF8 converts an HTML document to UTF-8: valid UTF-8 is kept,
// otherwise BOM, Content-Type charset, <meta charset> and a default decide.
func htmlToUTF8(b []byte, contentType string) []byte {
	if bytes.HasPrefix(b, bomUTF8) {
		return validUTF8(b[3:])
	}
	if utf8.Valid(b) && !bytes.HasPrefix(b, bomUTF16LE) && !bytes.HasPrefix(b, bomUTF16BE) {
		return b
	}
	e, _, _ := charset.DetermineEncoding(b, contentType)
	return decodeWith(e, b)
}

// LooksLikeHTML reports whether b is an HTML document (rather than a feed,
// JSON or plain text), judging by its first markup.
func LooksLikeHTML(b []byte) bool {
	b = bytes.TrimPrefix(b, bomUTF8)
	if len(b) > 2048 {
		b = b[:2048]
	}
	s := strings.ToLower(string(b))
	for {
		s = strings.TrimLeft(s, " \t\r\n\f")
		switch {
		case strings.HasPrefix(s, "<!--"):
			end := strings.Index(s, "-->")
			if end < 0 {
				return false
			}
			s = s[end+3:]
			continue
		case strings.HasPrefix(s, "<?xml"):
			end := strings.Index(s, "?>")
			if end < 0 {
				return false
			}
			s = s[end+2:]
			continue
		case strings.HasPrefix(s, "<!doctype html"):
			return true
		case strings.HasPrefix(s, "<!doctype"):
			return false
		}
		break
	}
	if !strings.HasPrefix(s, "<") {
		return false
	}
	name := s[1:]
	if i := strings.IndexAny(name, " \t\r\n/>"); i >= 0 {
		name = name[:i]
	}
	return htmlRootTags[name]
}

// htmlRootTags are tags an HTML document (or fragment served as a page) starts with.
var htmlRootTags = map[string]bool{
	"html": true, "head": true, "body": true, "meta": true, "title": true, "link": true,
	"script": true, "style": true, "div": true, "p": true, "h1": true, "h2": true, "h3": true,
	"table": true, "a": true, "span": true, "br": true, "article": true, "section": true,
	"header": true, "main": true, "nav": true, "ul": true, "img": true, "form": true, "b": true, "i": true,
}

// FetchArticle fetches pageURL with the Fetcher's guards and extracts its
// main text.
func (f *Fetcher) FetchArticle(ctx context.Context, pageURL string) (Article, error) {
	resp, err := f.get(ctx, pageURL, htmlAccept, nil)
	if err != nil {
		return Article{}, fmt.Errorf("feeds: fetch article %s: %w", redact.URL(pageURL), err)
	}
	if resp.status < 200 || resp.status > 299 {
		return Article{}, fmt.Errorf("feeds: fetch article %s: %w", redact.URL(pageURL), &StatusError{Code: resp.status})
	}
	ct := resp.header.Get("Content-Type")
	body := resp.body
	if isGzip(body) {
		if body, err = gunzipBytes(body, f.opt.MaxBody); err != nil {
			return Article{}, fmt.Errorf("feeds: fetch article %s: %w", redact.URL(pageURL), err)
		}
	}
	if !LooksLikeHTML(body) && !strings.Contains(strings.ToLower(ct), "html") {
		return Article{}, fmt.Errorf("feeds: fetch article %s: content type %q: %w", redact.URL(pageURL), ct, ErrNotArticle)
	}
	a, err := extractArticle(htmlToUTF8(body, ct), resp.finalURL)
	if err != nil {
		return Article{}, fmt.Errorf("feeds: fetch article %s: %w", redact.URL(pageURL), err)
	}
	return a, nil
}
