package feeds

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const sampleFeed = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Sample</title><link>https://example.org/</link><ttl>15</ttl>
<item><title>Second</title><link>https://example.org/2?utm_campaign=x</link><guid>g2</guid><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate><description>Two.</description></item>
<item><title>First</title><link>https://example.org/1</link><guid>g1</guid><pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate><description>One.</description></item>
</channel></rss>`

// testFetcher allows loopback, since httptest servers listen there.
func testFetcher(opt Options) *Fetcher {
	opt.AllowPrivate = true
	return NewFetcher(opt)
}

func TestFetchConditionalGET(t *testing.T) {
	const etag = `"v1"`
	const lastMod = "Mon, 23 Nov 2026 10:00:00 GMT"
	var gotUA atomic.Value
	var full atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA.Store(r.Header.Get("User-Agent"))
		if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, sampleFeed)
	}))
	defer srv.Close()
	f := testFetcher(Options{})
	ctx := context.Background()

	res, err := f.Fetch(ctx, Request{URL: srv.URL})
	if err != nil {
		t.Fatalf("first fetch: %v", err)
	}
	if res.NotModified || res.Status != 200 || len(res.Items) != 2 || res.FeedTitle != "Sample" {
		t.Fatalf("first fetch = %+v", res)
	}
	if res.Items[0].GUID != "g1" || res.Items[1].URL != "https://example.org/2" {
		t.Errorf("items = %+v", res.Items)
	}
	if res.ETag != etag || res.LastModified != lastMod || res.TTL != 15*time.Minute {
		t.Errorf("validators/ttl = %q %q %s", res.ETag, res.LastModified, res.TTL)
	}
	if ua, _ := gotUA.Load().(string); !strings.HasPrefix(ua, "sitrep/") {
		t.Errorf("User-Agent = %q", ua)
	}

	for _, req := range []Request{
		{URL: srv.URL, ETag: etag},
		{URL: srv.URL, LastModified: lastMod},
	} {
		res, err = f.Fetch(ctx, req)
		if err != nil {
			t.Fatalf("conditional fetch: %v", err)
		}
		if !res.NotModified || res.Status != 304 || len(res.Items) != 0 {
			t.Errorf("conditional fetch %+v = %+v, want NotModified", req, res)
		}
		if res.ETag != req.ETag || res.LastModified != req.LastModified {
			t.Errorf("validators not carried over: %q %q", res.ETag, res.LastModified)
		}
	}
	if full.Load() != 1 {
		t.Errorf("server sent the full feed %d times, want 1", full.Load())
	}
}

func TestFetchSameETagOn200IsNotModified(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"same"`)
		fmt.Fprint(w, sampleFeed) // ignores If-None-Match
	}))
	defer srv.Close()
	res, err := testFetcher(Options{}).Fetch(context.Background(), Request{URL: srv.URL, ETag: `"same"`})
	if err != nil || !res.NotModified || len(res.Items) != 0 {
		t.Fatalf("res = %+v, err = %v; want NotModified", res, err)
	}
}

func TestFetchRetryAfter(t *testing.T) {
	date := time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		status int
		header string
		want   time.Duration
		slack  time.Duration
	}{
		{429, "120", 120 * time.Second, 0},
		{503, date, 2 * time.Hour, 5 * time.Second},
		{503, "", 0, 0},
		{429, "soon", 0, 0},
		{500, "60", 0, 0}, // only 429 and 503 carry it
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %q", tt.status, tt.header), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			res, err := testFetcher(Options{}).Fetch(context.Background(), Request{URL: srv.URL})
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *StatusError", err)
			}
			if se.Code != tt.status || res.Status != tt.status {
				t.Errorf("code = %d / %d, want %d", se.Code, res.Status, tt.status)
			}
			if d := se.RetryAfter - tt.want; d < -tt.slack || d > tt.slack {
				t.Errorf("RetryAfter = %s, want %s", se.RetryAfter, tt.want)
			}
			if res.RetryAfter != se.RetryAfter {
				t.Errorf("Result.RetryAfter = %s, StatusError.RetryAfter = %s", res.RetryAfter, se.RetryAfter)
			}
		})
	}
}

func TestFetchSizeCap(t *testing.T) {
	big := strings.Repeat("x", 3<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := "<rss><channel><title>" + big + "</title></channel></rss>"
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // no Content-Length
		}
		fmt.Fprint(w, body)
	}))
	defer srv.Close()
	f := testFetcher(Options{MaxBody: 1 << 20})
	for _, path := range []string{"/length", "/chunked"} {
		_, err := f.Fetch(context.Background(), Request{URL: srv.URL + path})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: err = %v, want ErrTooLarge", path, err)
		}
	}
}

// compress returns b compressed with the given Content-Encoding.
func compress(t testing.TB, enc string, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch enc {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "deflate":
		w = zlib.NewWriter(&buf)
	case "raw-deflate":
		fw, err := flate.NewWriter(&buf, flate.BestSpeed)
		if err != nil {
			t.Fatal(err)
		}
		w = fw
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFetchCompressed(t *testing.T) {
	for _, enc := range []string{"gzip", "deflate", "raw-deflate", "gzip-no-header", "gzip-label-plain-body"} {
		t.Run(enc, func(t *testing.T) {
			var body []byte
			header := enc
			switch enc {
			case "raw-deflate":
				body, header = compress(t, "raw-deflate", []byte(sampleFeed)), "deflate"
			case "gzip-no-header":
				body, header = compress(t, "gzip", []byte(sampleFeed)), ""
			case "gzip-label-plain-body":
				body, header = []byte(sampleFeed), "gzip"
			default:
				body = compress(t, enc, []byte(sampleFeed))
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
					t.Errorf("Accept-Encoding = %q", r.Header.Get("Accept-Encoding"))
				}
				if header != "" {
					w.Header().Set("Content-Encoding", header)
				}
				w.Write(body)
			}))
			defer srv.Close()
			res, err := testFetcher(Options{}).Fetch(context.Background(), Request{URL: srv.URL})
			if err != nil || len(res.Items) != 2 {
				t.Fatalf("res = %+v, err = %v", res, err)
			}
		})
	}
}

func TestFetchGzipBomb(t *testing.T) {
	// ~50 MiB of zeros compresses to ~50 KiB
	parts := [][]byte{[]byte("<rss><channel><title>")}
	zeros := make([]byte, 1<<20)
	for range 50 {
		parts = append(parts, zeros)
	}
	bomb := gzipped(t, gzip.BestCompression, parts...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/encoded" {
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Write(bomb)
	}))
	defer srv.Close()
	f := testFetcher(Options{MaxBody: 2 << 20})
	for _, path := range []string{"/encoded", "/raw"} {
		_, err := f.Fetch(context.Background(), Request{URL: srv.URL + path})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: err = %v, want ErrTooLarge", path, err)
		}
	}
}

func TestFetchEntityBombOverHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><title>&c;</title></channel></rss>`)
	}))
	defer srv.Close()
	_, err := testFetcher(Options{}).Fetch(context.Background(), Request{URL: srv.URL})
	if !errors.Is(err, ErrEntityDeclaration) {
		t.Fatalf("err = %v, want ErrEntityDeclaration", err)
	}
}

func TestFetchSlowServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Write([]byte("<rss><channel>"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	f := testFetcher(Options{Timeout: 200 * time.Millisecond})
	for _, path := range []string{"/slow-headers", "/slow-body"} {
		_, err := f.Fetch(context.Background(), Request{URL: srv.URL + path})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: err = %v, want a deadline error", path, err)
		}
	}
}

func TestFetchRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusMovedPermanently) })
	mux.HandleFunc("/chain/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		if k, err := fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/chain/"), "%d", &n); k != 1 {
			t.Errorf("redirect chain %q: %v", r.URL.Path, err) // not t.Fatal: a handler goroutine
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if n == 0 {
			fmt.Fprint(w, sampleFeed)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := testFetcher(Options{MaxRedirects: 3})
	ctx := context.Background()

	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/a"}); !errors.Is(err, ErrRedirectLoop) {
		t.Errorf("loop: err = %v, want ErrRedirectLoop", err)
	}
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/chain/5"}); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("long chain: err = %v, want ErrTooManyRedirects", err)
	}
	res, err := f.Fetch(ctx, Request{URL: srv.URL + "/chain/3"})
	if err != nil || len(res.Items) != 2 {
		t.Fatalf("3 redirects: %+v, %v", res, err)
	}
	if res.FinalURL != srv.URL+"/chain/0" {
		t.Errorf("FinalURL = %q", res.FinalURL)
	}
}

func TestFetchRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, sampleFeed) }))
	defer srv.Close()
	f := NewFetcher(Options{}) // AllowPrivate false
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	for _, u := range []string{srv.URL, fmt.Sprintf("http://localhost:%d/", port)} {
		_, err := f.Fetch(context.Background(), Request{URL: u})
		if !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("%s: err = %v, want ErrPrivateAddress", u, err)
		}
	}
	if _, err := f.FetchArticle(context.Background(), srv.URL); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("FetchArticle: err = %v, want ErrPrivateAddress", err)
	}
	if _, err := f.Discover(context.Background(), srv.URL); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("Discover: err = %v, want ErrPrivateAddress", err)
	}
}

// TestFetchRedirectToPrivateAddress shows the guard runs on every hop at
// connect time: 127.0.0.1 plays a public host, 127.0.0.2 a private one.
func TestFetchRedirectToPrivateAddress(t *testing.T) {
	private := privateFeedServer(t)
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, private.URL+"/internal", http.StatusFound)
	}))
	defer public.Close()

	f := newFetcher(Options{}, func(ip netip.Addr) bool { return ip != netip.MustParseAddr("127.0.0.1") && isNonPublic(ip) })
	_, err := f.Fetch(context.Background(), Request{URL: public.URL})
	if !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("err = %v, want ErrPrivateAddress on the redirect hop", err)
	}
	// and the same fetcher reaches the "public" host itself
	okSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, sampleFeed) }))
	defer okSrv.Close()
	if _, err := f.Fetch(context.Background(), Request{URL: okSrv.URL}); err != nil {
		t.Fatalf("public host: %v", err)
	}
}

func TestIsNonPublic(t *testing.T) {
	tests := []struct {
		ip   string
		want bool
	}{
		{"127.0.0.1", true}, {"10.1.2.3", true}, {"172.16.0.1", true}, {"192.168.1.1", true},
		{"100.64.0.1", true}, {"100.127.255.254", true}, {"169.254.169.254", true}, {"0.0.0.0", true},
		{"224.0.0.1", true}, {"255.255.255.255", true}, {"::1", true}, {"::", true}, {"fe80::1", true},
		{"fc00::1", true}, {"ff02::1", true}, {"::ffff:127.0.0.1", true}, {"::ffff:10.0.0.1", true},
		{"64:ff9b::7f00:1", true}, {"64:ff9b::808:808", false},
		{"8.8.8.8", false}, {"100.63.255.255", false}, {"100.128.0.0", false}, {"1.1.1.1", false},
		{"2001:4860:4860::8888", false}, {"172.32.0.1", false},
	}
	for _, tt := range tests {
		if got := isNonPublic(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("isNonPublic(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
}

func TestFetchPerHostLimit(t *testing.T) {
	var cur, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		cur.Add(-1)
		fmt.Fprint(w, sampleFeed)
	}))
	defer srv.Close()
	f := testFetcher(Options{PerHost: 2})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Fetch(context.Background(), Request{URL: srv.URL}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if p := peak.Load(); p > 2 || p < 1 {
		t.Errorf("peak concurrent requests = %d, want 1..2", p)
	}
	f.mu.Lock()
	left := len(f.hosts)
	f.mu.Unlock()
	if left != 0 {
		t.Errorf("%d host slots left after all requests finished", left)
	}
}

func TestFetchStatusErrorAndNotAFeed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gone":
			w.WriteHeader(http.StatusGone)
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<!doctype html><html><body><p>not a feed</p></body></html>")
		case "/cached":
			w.Header().Set("Cache-Control", "public, max-age=3600")
			fmt.Fprint(w, strings.Replace(sampleFeed, "<ttl>15</ttl>", "", 1))
		}
	}))
	defer srv.Close()
	f := testFetcher(Options{})
	var se *StatusError
	if _, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/gone"}); !errors.As(err, &se) || se.Code != 410 {
		t.Errorf("410: err = %v", err)
	}
	if _, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/html"}); !errors.Is(err, ErrNotAFeed) {
		t.Errorf("html: err = %v, want ErrNotAFeed", err)
	}
	res, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/cached"})
	if err != nil || res.TTL != time.Hour {
		t.Errorf("max-age: ttl = %s, err = %v", res.TTL, err)
	}
	if _, err := f.Fetch(context.Background(), Request{URL: "ftp://example.org/feed"}); err == nil {
		t.Errorf("ftp URL accepted")
	}
}

func TestRetryAfterAndMaxAgeParsing(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
	}{
		{"0", 0}, {"30", 30 * time.Second}, {" 5 ", 5 * time.Second}, {"-5", 0}, {"1.5", 0},
		{"99999999999999999999", maxRetryAfter},
		{"Thu, 26 Nov 2026 12:10:00 GMT", 10 * time.Minute},
		{"Thu, 26 Nov 2026 11:00:00 GMT", 0}, // in the past
	}
	for _, tt := range tests {
		if got := retryAfter(tt.v, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %s, want %s", tt.v, got, tt.want)
		}
	}
	if got := maxAge("no-cache, max-age=600"); got != 10*time.Minute {
		t.Errorf("maxAge = %s", got)
	}
	if got := maxAge("s-maxage=60"); got != 0 {
		t.Errorf("maxAge(s-maxage) = %s", got)
	}
}

func TestFetchErrorsHidePasswords(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }))
	defer srv.Close()
	u := strings.Replace(srv.URL, "http://", "http://reader:s3cret@", 1)
	f := testFetcher(Options{})
	_, err1 := f.Fetch(context.Background(), Request{URL: u})
	_, err2 := f.Fetch(context.Background(), Request{URL: "http://reader:s3cret@127.0.0.1:1/feed"})
	for _, err := range []error{err1, err2} {
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("err = %v", err)
		}
	}
}

// privateFeedServer serves sampleFeed on 127.0.0.2, which the tests treat as a private address
// (127.0.0.1 plays a public host); it skips the test where that address cannot be listened on.
func privateFeedServer(t *testing.T) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	private := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, sampleFeed) }))
	private.Listener.Close()
	private.Listener = ln
	private.Start()
	t.Cleanup(private.Close)
	return private
}
