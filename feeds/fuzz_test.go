package feeds

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to Parse: it must not panic or hang, and
// whatever it returns must be valid UTF-8 with a key on every item.
func FuzzParse(f *testing.F) {
	seeds := []string{
		sampleFeed,
		`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id><title type="html">&lt;b&gt;x&lt;/b&gt;</title></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","content_text":"x"}]}`,
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item><title>x</title></item></rdf:RDF>`,
		"\xff\xfe<\x00r\x00s\x00s\x00>\x00",
		"<?xml version=\"1.0\" encoding=\"windows-1256\"?><rss><channel><item><title>\xc7\xe1\xda\xd1\xc7\xde</title></item></channel></rss>",
	}
	for _, s := range seeds {
		f.Add([]byte(s), "")
	}
	for _, name := range []string{"arabic_windows-1256_undeclared.xml", "utf16be_nobom.xml", "kurdish_utf8_declared-latin1.xml"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b, "text/xml; charset=iso-8859-1")
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		title, items, ttl, err := Parse(body, contentType, "https://example.org/feed")
		if err != nil {
			if title != "" || items != nil || ttl != 0 {
				t.Fatalf("error %v with results", err)
			}
			return
		}
		if !utf8.ValidString(title) {
			t.Fatalf("invalid UTF-8 title %q", title)
		}
		for _, it := range items {
			if it.Key == "" {
				t.Fatalf("empty key: %+v", it)
			}
			for _, s := range []string{it.Title, it.Content, it.URL, it.Author, it.Key} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 in %+v", it)
				}
			}
			if strings.Contains(it.Title, "\n") {
				t.Fatalf("title spans lines: %q", it.Title)
			}
		}
	})
}

// FuzzCanonicalURL checks CanonicalURL never panics and is idempotent.
func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://example.org/a?utm_source=x&b=1#f", "https://www.google.com/url?url=https://e.org/x", "http://[::1]:80/", "%zz", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		once := CanonicalURL(raw)
		if twice := CanonicalURL(once); twice != once {
			t.Fatalf("not idempotent: %q -> %q -> %q", raw, once, twice)
		}
	})
}

// FuzzExtractArticle checks the article path never panics and returns
// either ErrNotArticle-style errors or valid UTF-8 text.
func FuzzExtractArticle(f *testing.F) {
	for _, s := range []string{
		"<html><body><article><p>" + strings.Repeat("Words in a paragraph. ", 20) + "</p></article></body></html>",
		"<html><head><title>Object moved</title></head><body><h2>Object moved to <a href=\"/x\">here</a>.</h2></body></html>",
		"<table><tr><td><div><p>x</p></div></td></tr></table>",
	} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile(filepath.Join("testdata", "article_ar.html")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		a, err := ExtractArticle(bytes.NewReader(page), "https://example.org/a")
		if err != nil {
			return
		}
		if !utf8.ValidString(a.Text) || !utf8.ValidString(a.Title) {
			t.Fatalf("invalid UTF-8: %+v", a)
		}
	})
}

// FuzzReadOPML checks ReadOPML never panics and returns feeds with URLs.
func FuzzReadOPML(f *testing.F) {
	f.Add([]byte(`<opml version="2.0"><body><outline text="a" xmlUrl="https://e.org/rss"><outline xmlUrl="https://e.org/2"/></outline></body></opml>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		list, err := ReadOPML(bytes.NewReader(doc))
		if err != nil {
			return
		}
		for _, fd := range list {
			if fd.URL == "" {
				t.Fatalf("feed without URL: %+v", fd)
			}
		}
	})
}
