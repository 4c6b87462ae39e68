package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPollJSONSourceAndUndated: `poll --json` names each item's outlet in
// "source" (the configured name, else the site's, never the feed's title
// line) and leaves "published" empty for an item its feed gave no date;
// the undated item is posted like a dated one.
func TestPollJSONSourceAndUndated(t *testing.T) {
	now := time.Now().UTC()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel>
<title>Al Jazeera – Breaking News, World News and Video from Al Jazeera</title><link>https://www.aljazeera.com</link>
<item><title>Houthis attack ship off Hodeidah</title><link>https://www.aljazeera.com/news/1</link><guid>aj-1</guid>
<pubDate>%s</pubDate><description>Yemen's Houthis attacked a cargo ship off Hodeidah in the Red Sea, the UKMTO agency said.</description></item>
<item><title>Drone strike near Erbil airport</title><link>https://www.aljazeera.com/news/2</link><guid>aj-2</guid>
<description>A drone struck near Erbil airport in the Kurdistan Region of Iraq, officials said.</description></item>
</channel></rss>`, now.Add(-time.Hour).Format(time.RFC1123Z))
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sitrep.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`database: sqlite:%s
network: {allow_private: true}
defaults: {article: never}
feeds:
  - {url: %q}
  - {url: %q, name: Desk Copy}
subscriptions:
  - {platform: console, channel: desk}
`, filepath.Join(dir, "db.sqlite"), srv.URL+"/feed.xml", srv.URL+"/copy.xml")), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "", "poll", "--once", "--json", "--config", cfg)
	if code != 0 {
		t.Fatalf("poll exit %d: %s", code, errOut)
	}
	type key struct{ feed, id string }
	got := map[key]itemJSON{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var it itemJSON
		if err := json.Unmarshal([]byte(l), &it); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		got[key{strings.TrimPrefix(it.Feed, srv.URL), it.ID}] = it
	}
	for _, tc := range []struct {
		feed, id, source string
		dated            bool
	}{
		{"/feed.xml", "aj-1", "Al Jazeera", true},
		{"/feed.xml", "aj-2", "Al Jazeera", false},
		{"/copy.xml", "aj-1", "Desk Copy", true},
		{"/copy.xml", "aj-2", "Desk Copy", false},
	} {
		it, ok := got[key{tc.feed, tc.id}]
		if !ok {
			t.Errorf("%s %s: not in the output:\n%s", tc.feed, tc.id, out)
			continue
		}
		if it.Source != tc.source {
			t.Errorf("%s %s: source %q, want %q", tc.feed, tc.id, it.Source, tc.source)
		}
		if dated := it.Published != ""; dated != tc.dated {
			t.Errorf("%s %s: published %q, want dated=%v", tc.feed, tc.id, it.Published, tc.dated)
		}
		if tc.dated {
			if _, err := time.Parse(time.RFC3339, it.Published); err != nil {
				t.Errorf("%s %s: published %q: %v", tc.feed, tc.id, it.Published, err)
			}
		}
	}
	if !strings.Contains(errOut, "Drone strike near Erbil airport") {
		t.Errorf("the undated item was not posted to #desk; stderr:\n%s", errOut)
	}
}
