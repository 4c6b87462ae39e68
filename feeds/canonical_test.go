package feeds

import (
	"context"
	"net"
	"strings"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.org/a?utm_source=rss&utm_medium=feed&id=3", "https://example.org/a?id=3"},
		{"https://example.org/a?id=3&UTM_Campaign=x#section", "https://example.org/a?id=3"},
		{"https://www.aljazeera.com/news/2026/8/13/x?traffic_source=rss", "https://www.aljazeera.com/news/2026/8/13/x"},
		{"http://www.reuters.com/article/x-idUSKBN1FJ23Z?feedType=RSS&feedName=worldNews", "http://www.reuters.com/article/x-idUSKBN1FJ23Z"},
		{"https://example.org/p?fbclid=IwAR0&gclid=1&mc_cid=2&mc_eid=3&ref_src=twsrc&b=2&a=1", "https://example.org/p?b=2&a=1"},
		{"HTTPS://Example.ORG:443/Path/Case", "https://example.org/Path/Case"},
		{"http://example.org:80", "http://example.org/"},
		{"http://example.org:8080/x", "http://example.org:8080/x"},
		{"https://example.org/x?", "https://example.org/x"},
		{"https://example.org/q?a=%20b&utm_term=x", "https://example.org/q?a=%20b"},
		{"https://www.google.com/url?rct=j&sa=t&url=https://www.rudaw.net/english/middleeast/iraq/241120262%3Futm_source%3Dx&ct=ga&cd=CAEYACoTNjk&usg=AOv", "https://www.rudaw.net/english/middleeast/iraq/241120262"},
		{"https://www.google.co.uk/url?q=https://example.org/story&sa=U", "https://example.org/story"},
		{"https://www.google.com/search?q=erbil", "https://www.google.com/search?q=erbil"},
		{"https://www.google.com/url?url=javascript:alert(1)", "https://www.google.com/url?url=javascript:alert(1)"},
		{"https://notgoogle.example/url?url=https://evil.example/", "https://notgoogle.example/url?url=https://evil.example/"},
		{"https://www.bbc.co.uk/news/videos/cj3672ljgzro#0", "https://www.bbc.co.uk/news/videos/cj3672ljgzro"},
		{"  https://example.org/x  ", "https://example.org/x"},
		{"https://www.heise.de/newsticker/meldung/x-4204655.html?wt_mc=rss.ho.beitrag.rdf", "https://www.heise.de/newsticker/meldung/x-4204655.html"},
		{"", ""},
		{"https://example.org/p?id=5;x&utm_source=a", "https://example.org/p?id=5;x"},
		{"https://example.org/p?a=1&&b=2", "https://example.org/p?a=1&&b=2"},
		{"https://example.org/p?utm_source=a", "https://example.org/p"},
		{"not a url", "not a url"},
		{"http://[::1", "http://[::1"},
		{"https://ar.example.org/%D8%A7%D9%84%D8%B9%D8%B1%D8%A7%D9%82?utm_source=tg", "https://ar.example.org/%D8%A7%D9%84%D8%B9%D8%B1%D8%A7%D9%82"},
	}
	for _, tt := range tests {
		if got := CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestCanonicalURLIdempotent(t *testing.T) {
	for _, in := range []string{
		"https://www.google.com/url?url=https://www.google.com/url?url%3Dhttps://example.org/deep%253Futm_source%253Dx",
		"https://example.org/a?utm_source=x&id=1#f",
	} {
		once := CanonicalURL(in)
		if twice := CanonicalURL(once); twice != once {
			t.Errorf("not idempotent: %q -> %q -> %q", in, once, twice)
		}
	}
}

// TestFetchErrorRedactsCredentials: a failed fetch's error (which goes to
// logs, the store's last error and chat) never carries the feed URL's
// password or API key, neither in sitrep's words nor in the HTTP client's.
func TestFetchErrorRedactsCredentials(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: the dial fails
	f := testFetcher(Options{})
	_, err = f.Fetch(context.Background(), Request{URL: "http://user:s3cret@" + addr + "/rss?apikey=k3y&lang=en"})
	if err == nil {
		t.Fatal("fetch of a closed port succeeded")
	}
	for _, secret := range []string{"s3cret", "k3y"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error keeps %q: %v", secret, err)
		}
	}
	if !strings.Contains(err.Error(), "lang=en") {
		t.Errorf("error lost the harmless part of the URL: %v", err)
	}
}
