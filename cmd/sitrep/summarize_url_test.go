package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestSummarizeURLArticleOnly serves a page whose article is surrounded by
// an ad block (before <article>), navigation, related links, comments and
// a footer, and checks that `summarize <url>` returns sentences of the
// article only: every sentence is found in the <article> element.
func TestSummarizeURLArticleOnly(t *testing.T) {
	page, err := os.ReadFile("testdata/article-with-ads.html")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer srv.Close()
	article := articleSentencesText(t, string(page))
	for _, args := range [][]string{
		{"summarize", "--json", "--allow-private", srv.URL + "/story"},
		{"summarize", "--json", "--allow-private", "--sentences", "20", srv.URL + "/story"},
	} {
		code, out, errOut := runCmd(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var got struct {
			Title     string   `json:"title"`
			Sentences []string `json:"sentences"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		if len(got.Sentences) == 0 || !strings.HasPrefix(got.Sentences[0], "Iraq and Iran signed a security agreement") {
			t.Errorf("%v: summary does not open with the article's lead: %q", args, got.Sentences)
		}
		for _, s := range got.Sentences {
			if !strings.Contains(article, s) {
				t.Errorf("%v: sentence not from the article: %q", args, s)
			}
		}
	}
}

// articleSentencesText returns the text of the page's <article> element,
// tags dropped and spaces folded: what the summary may quote.
func articleSentencesText(t *testing.T, page string) string {
	t.Helper()
	i, j := strings.Index(page, "<article"), strings.Index(page, "</article>")
	if i < 0 || j < i {
		t.Fatal("fixture has no <article>")
	}
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page[i:j], " ")
	return strings.Join(strings.Fields(text), " ")
}

// TestSummarizeHTMLFragment: markup that is not a whole page goes through
// the feed converter, so no tag, script or entity reaches the summary.
func TestSummarizeHTMLFragment(t *testing.T) {
	in := `<div class="story"><p>Iraq closed its border crossing with Iran on Monday, officials said.</p>` +
		`<script>track('x');</script><p>Trucks queued for miles &amp; drivers waited overnight.</p></div>`
	code, out, errOut := runCmd(t, in, "summarize", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.ContainsAny(out, "<>") || strings.Contains(out, "track") || strings.Contains(out, "&amp;") {
		t.Errorf("markup left in summary: %q", out)
	}
	if !strings.Contains(out, "Iraq closed its border") || !strings.Contains(out, "Trucks queued for miles & drivers") {
		t.Errorf("summary = %q", out)
	}
}
