package feeds

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// feed25 builds a 25-item RSS feed shaped like a regional news feed.
func feed25() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench</title><link>https://news.example.org/</link><ttl>10</ttl>`)
	for i := range 25 {
		fmt.Fprintf(&b, `<item><title>Drone strike near Erbil airport, officials say (%d)</title>
<link>https://news.example.org/2026/11/%d/story?utm_source=rss&amp;utm_medium=feed</link>
<guid isPermaLink="false">bench-%d</guid><dc:creator>Staff</dc:creator>
<pubDate>Mon, %02d Nov 2026 10:00:00 GMT</pubDate>
<description><![CDATA[<p>Security forces in the Kurdistan Region said a drone carrying explosives fell near the international airport late on Tuesday, causing no casualties.</p><p>Officials opened an investigation into who launched it, and flights resumed on Wednesday morning.</p>]]></description></item>`, i, i, i, 1+i%28)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func BenchmarkParse25Items(b *testing.B) {
	body := feed25()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		_, items, _, err := Parse(body, "application/rss+xml", "https://news.example.org/rss")
		if err != nil || len(items) != 25 {
			b.Fatalf("%v, %d items", err, len(items))
		}
	}
}

func BenchmarkParseWindows1256(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "arabic_windows-1256_undeclared.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := Parse(body, "", ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCanonicalURL(b *testing.B) {
	urls := []string{
		"https://www.aljazeera.com/news/2026/8/13/israeli-settlers-besiege?traffic_source=rss",
		"http://www.reuters.com/article/us-syria-idUSKBN1FJ23Z?feedType=RSS&feedName=worldNews",
		"https://www.google.com/url?rct=j&sa=t&url=https://www.rudaw.net/english/middleeast/iraq/241120262&ct=ga&cd=CAEYACoT",
		"https://news.example.org/story/123",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if CanonicalURL(urls[i%len(urls)]) == "" {
			b.Fatal("empty")
		}
	}
}

func BenchmarkExtractArticle(b *testing.B) {
	path := filepath.Join(corpusDir, "articles", "extraction-benchmark", "bbc-world-europe-50473792", "source.html")
	page, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("corpus missing: %v", err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ExtractArticle(bytes.NewReader(page), "https://www.bbc.com/news/world-europe-50473792"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGofeedBare is the floor Parse is compared with: gofeed alone on
// the same 25-item feed, without charset handling or normalisation.
func BenchmarkGofeedBare(b *testing.B) {
	body := feed25()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil || len(feed.Items) != 25 {
			b.Fatalf("%v", err)
		}
	}
}

// benchServer serves the 25-item feed, answering 304 to a matching ETag.
func benchServer(b *testing.B) *httptest.Server {
	body := feed25()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkFetch25Items is a full fetch and parse over loopback, 8 at a time.
func BenchmarkFetch25Items(b *testing.B) {
	srv := benchServer(b)
	f := testFetcher(Options{PerHost: 8})
	b.ReportAllocs()
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := f.Fetch(context.Background(), Request{URL: srv.URL})
			if err != nil || len(res.Items) != 25 {
				b.Errorf("%v", err)
				return
			}
		}
	})
}

// BenchmarkFetchNotModified is a conditional fetch answered with 304.
func BenchmarkFetchNotModified(b *testing.B) {
	srv := benchServer(b)
	f := testFetcher(Options{PerHost: 8})
	b.ReportAllocs()
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := f.Fetch(context.Background(), Request{URL: srv.URL, ETag: `"v1"`})
			if err != nil || !res.NotModified {
				b.Errorf("%v", err)
				return
			}
		}
	})
}
