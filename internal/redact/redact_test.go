package redact

import (
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{"https://news.example/feed.xml", "https://news.example/feed.xml"},
		{"https://news.example/feed.xml?page=2&lang=en", "https://news.example/feed.xml?page=2&lang=en"},
		{"https://user:hunter2@news.example/feed", "https://REDACTED@news.example/feed"},
		{"https://tok3n@news.example/feed", "https://REDACTED@news.example/feed"},
		{"https://news.example/rss?apikey=abc123&lang=en", "https://news.example/rss?apikey=REDACTED&lang=en"},
		{"https://news.example/rss?lang=en&API_KEY=abc", "https://news.example/rss?lang=en&API_KEY=REDACTED"},
		{"https://news.example/rss?access_token=x&sig=y&signature=z&key=k&auth=a&password=p&secret=s&token=t",
			"https://news.example/rss?access_token=REDACTED&sig=REDACTED&signature=REDACTED&key=REDACTED&auth=REDACTED&password=REDACTED&secret=REDACTED&token=REDACTED"},
		{"https://news.example/rss?feed_token=abc&author=jane", "https://news.example/rss?feed_token=REDACTED&author=jane"},
		{"https://news.example/rss?api%5Fkey=abc", "https://news.example/rss?api%5Fkey=REDACTED"},
		{"https://u:p@news.example/rss?token=t#frag", "https://REDACTED@news.example/rss?token=REDACTED#frag"},
		{"not a url", "not a url"},
		{"news.example/rss?apikey=abc", "news.example/rss?apikey=REDACTED"},
	}
	for _, tc := range cases {
		if got := URL(tc.in); got != tc.want {
			t.Errorf("URL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestText(t *testing.T) {
	in := `feeds: fetch https://u:pw@news.example/rss?apikey=s3cr3t: Get "https://news.example/rss?apikey=s3cr3t&x=1": dial tcp: refused`
	got := Text(in)
	for _, secret := range []string{"s3cr3t", "pw@"} {
		if strings.Contains(got, secret) {
			t.Errorf("Text kept %q: %s", secret, got)
		}
	}
	if !strings.Contains(got, "dial tcp: refused") || !strings.Contains(got, "x=1") {
		t.Errorf("Text lost the message: %s", got)
	}
	if plain := "no urls here"; Text(plain) != plain {
		t.Errorf("Text changed plain text")
	}
}

func TestOrigin(t *testing.T) {
	if got := Origin("https://hooks.slack.com/commands/T1/397700885554/96rGlfmibIGlgcZRskXaIFfN"); got != "https://hooks.slack.com" {
		t.Errorf("Origin = %q", got)
	}
	if got := Origin("::"); got != "" {
		t.Errorf("Origin of junk = %q", got)
	}
}
