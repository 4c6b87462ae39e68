package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
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
