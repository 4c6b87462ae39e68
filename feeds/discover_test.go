package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

func TestDiscover(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, sampleFeed)
	})
	mux.HandleFunc("/atom", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>`)
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>Outlet</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">
<link rel="alternate" type="application/atom+xml" title="Atom" href="/atom">
<link rel="alternate" type="application/rss+xml" title="RSS" href="feed.xml">
</head><body><p>Home page</p></body></html>`)
	})
	mux.HandleFunc("/section/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><base href="/"><link rel="ALTERNATE" type="application/rss+xml; charset=utf-8" href="feed.xml"></head><body></body></html>`)
	})
	mux.HandleFunc("/anchors", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><a href="/about">About</a><a href="/broken/rss">RSS (broken)</a><a href="/feed.xml">RSS</a></body></html>`)
	})
	mux.HandleFunc("/wponly", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/9"></head><body><a href="/feed.xml">Subscribe</a></body></html>`)
	})
	mux.HandleFunc("/nothing", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><p>No feeds here.</p></body></html>`)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feed.xml", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "plain words") })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := testFetcher(Options{})
	tests := []struct {
		path, want string
		wantErr    error
	}{
		{"/feed.xml", "/feed.xml", nil},
		{"/moved", "/feed.xml", nil},
		{"/page", "/feed.xml", nil}, // RSS preferred over Atom
		{"/section/x", "/feed.xml", nil},
		{"/anchors", "/feed.xml", nil},
		{"/wponly", "/feed.xml", nil},
		{"/nothing", "", ErrNotAFeed},
		{"/text", "", ErrNotAFeed},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := f.Discover(context.Background(), srv.URL+tt.path)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Discover: %v", err)
			}
			if got != srv.URL+tt.want {
				t.Errorf("got %q, want %q", got, srv.URL+tt.want)
			}
		})
	}
}

func TestFetchArticle(t *testing.T) {
	page := readFixture(t, "article_ar.html") // windows-1256, declared in <meta>
	mux := http.NewServeMux()
	mux.HandleFunc("/article", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(page)
	})
	mux.HandleFunc("/header-charset", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1256")
		w.Write([]byte(strings.Replace(string(page), `<meta charset="windows-1256">`, "", 1)))
	})
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4 binary"))
	})
	mux.HandleFunc("/missing", http.NotFound)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := testFetcher(Options{})
	for _, path := range []string{"/article", "/header-charset"} {
		a, err := f.FetchArticle(context.Background(), srv.URL+path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if !strings.Contains(a.Text, "قوات الأمن في أربيل") || a.URL != srv.URL+path {
			t.Errorf("%s: article = %+v", path, a)
		}
	}
	if _, err := f.FetchArticle(context.Background(), srv.URL+"/pdf"); !errors.Is(err, ErrNotArticle) {
		t.Errorf("pdf: err = %v, want ErrNotArticle", err)
	}
	var se *StatusError
	if _, err := f.FetchArticle(context.Background(), srv.URL+"/missing"); !errors.As(err, &se) || se.Code != 404 {
		t.Errorf("404: err = %v", err)
	}
}

// TestDiscoverVerifiesAdvertisedLinks: an advertised <link rel=alternate>
// is returned only once it fetches and parses as a feed.
func TestDiscoverVerifiesAdvertisedLinks(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/atom", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>`)
	})
	mux.HandleFunc("/not-a-feed.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body>Welcome to the phishing page</body></html>`)
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head>
<link rel="alternate" type="application/rss+xml" href="/gone.xml">
<link rel="alternate" type="application/rss+xml" href="/not-a-feed.xml">
<link rel="alternate" type="application/atom+xml" href="/atom">
</head><body></body></html>`)
	})
	mux.HandleFunc("/liar", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><link rel="alternate" type="application/rss+xml" href="/not-a-feed.xml"></head></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := testFetcher(Options{})
	got, err := f.Discover(context.Background(), srv.URL+"/page")
	if err != nil || got != srv.URL+"/atom" {
		t.Errorf("Discover(/page) = %q, %v; want the first advertised link that parses, %s/atom", got, err, srv.URL)
	}
	if got, err := f.Discover(context.Background(), srv.URL+"/liar"); !errors.Is(err, ErrNotAFeed) {
		t.Errorf("Discover(/liar) = %q, %v; want ErrNotAFeed (the advertised link is no feed)", got, err)
	}
}

// TestDiscoverRefusesPrivateAdvertisedLink: a public page advertising a
// feed on a private address is refused with ErrPrivateAddress and one audit
// line naming the refused address (127.0.0.1 plays a public host, 127.0.0.2
// a private one).
func TestDiscoverRefusesPrivateAdvertisedLink(t *testing.T) {
	private := privateFeedServer(t)
	u, err := url.Parse(private.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword("admin", "hunter2")
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<html><head><link rel="alternate" type="application/rss+xml" href="%s/internal.xml"></head></html>`, u)
	}))
	defer public.Close()
	var logs bytes.Buffer
	f := newFetcher(Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))},
		func(ip netip.Addr) bool { return ip != netip.MustParseAddr("127.0.0.1") && isNonPublic(ip) })
	if got, err := f.Discover(context.Background(), public.URL); !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("Discover = %q, %v; want ErrPrivateAddress", got, err)
	}
	out := logs.String()
	if strings.Count(out, `"msg":"feeds: fetch refused"`) != 1 || !strings.Contains(out, `"address":"127.0.0.2"`) {
		t.Errorf("want one audit line naming 127.0.0.2; log:\n%s", out)
	}
	if strings.Contains(out, "hunter2") {
		t.Errorf("audit line leaks the URL's password:\n%s", out)
	}
}

func TestIsPrivateHost(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost": true, "LOCALHOST.": true, "api.localhost": true, "[::1]:80": true,
		"10.0.0.7": true, "169.254.169.254": true, "[fd00::1]": true,
		"news.example": false, "8.8.8.8": false, "localhost.example": false, "[2001:4860:4860::8888]:443": false,
	} {
		if got := IsPrivateHost(host); got != want {
			t.Errorf("IsPrivateHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestResolveSiteName(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, sampleFeed)
	})
	page := func(head string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html><head><title>Home | Breaking news</title>%s
<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>
<body><meta property="og:site_name" content="Not in the head"></body></html>`, head)
		}
	}
	mux.HandleFunc("/og", page(`<meta property="og:site_name" content=" Shafaq  News ">`))
	mux.HandleFunc("/app", page(`<meta name="application-name" content="Rudaw">`))
	mux.HandleFunc("/none", page(``))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := testFetcher(Options{})
	for _, tt := range []struct{ path, want string }{
		{"/og", "Shafaq News"},
		{"/app", "Rudaw"},
		{"/none", ""},
		{"/feed.xml", ""}, // a feed names no page
	} {
		d, err := f.Resolve(context.Background(), srv.URL+tt.path)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if d.FeedURL != srv.URL+"/feed.xml" || d.SiteName != tt.want {
			t.Errorf("%s: Resolve = %+v, want feed /feed.xml named %q", tt.path, d, tt.want)
		}
	}
}
