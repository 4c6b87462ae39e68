package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// runCmd runs a subcommand in-process and returns its exit code and output.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := runMain(ctx, args, env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func TestDemo(t *testing.T) {
	code, out, errOut := runCmd(t, "", "demo")
	if code != 0 {
		t.Fatalf("demo exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"[#security-desk]",
		"[#yemen-red-sea]",
		"Houthis",
		"demo done:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q\n%s", want, out)
		}
	}
	// The Iraq–Iran memorandum is reported by three outlets: one root post
	// per channel, the other reports threaded under it.
	if n := strings.Count(out, "also reported by"); n < 2 {
		t.Errorf("want at least 2 threaded updates, got %d\n%s", n, out)
	}
	// Sport is not security news: nobody is subscribed to it.
	if strings.Contains(out, "football") || strings.Contains(out, "cup final") {
		t.Errorf("demo posted a sport item to a security channel\n%s", out)
	}
	// Tracking parameters are removed from links.
	if strings.Contains(out, "utm_source") || strings.Contains(out, "fbclid") {
		t.Errorf("demo output keeps tracking parameters\n%s", out)
	}
}

func TestCheckConfig(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("feeds:\n  - url: https://example.org/rss\n    schedule: every now and then\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, "", "check-config", bad)
	if code == 0 {
		t.Fatalf("check-config of a bad file exited 0")
	}
	if !strings.Contains(out, `feeds[0].schedule: not a cron spec or @every: "every now and then"`) {
		t.Errorf("check-config output does not name the field:\n%s", out)
	}
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("feeds:\n  - url: https://example.org/rss\n    schedule: '@every 5m'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCmd(t, "", "check-config", good); code != 0 {
		t.Errorf("check-config of a good file: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runCmd(t, "", "check-config", filepath.Join("..", "..", "sitrep.example.yaml")); code != 0 {
		t.Errorf("the example configuration does not validate: %s%s", out, errOut)
	}
	if code, _, _ := runCmd(t, "", "check-config"); code != 2 {
		t.Errorf("check-config without FILE: exit %d, want 2", code)
	}
}

func TestSummarizeScrapedPage(t *testing.T) {
	pages := []struct{ path, want string }{
		{"testdata/scraped-page.txt", "Al-Qaim"},
		{filepath.Join("..", "..", "..", "shared", "seed", "news-page.txt"), "agreement"},
	}
	for _, p := range pages {
		t.Run(filepath.Base(p.path), func(t *testing.T) {
			if _, err := os.Stat(p.path); err != nil {
				t.Skipf("no %s", p.path)
			}
			code, out, errOut := runCmd(t, "", "summarize", "--json", p.path)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got struct {
				Title     string   `json:"title"`
				Summary   string   `json:"summary"`
				Sentences []string `json:"sentences"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("bad JSON %q: %v", out, err)
			}
			if len(got.Sentences) == 0 || len(got.Sentences) > 3 {
				t.Errorf("got %d sentences, want 1–3", len(got.Sentences))
			}
			if !strings.Contains(got.Summary, p.want) {
				t.Errorf("summary lacks %q: %q", p.want, got.Summary)
			}
			for _, furniture := range []string{"Try Our AI", "No comments", "Related Articles", "Share on", "Comments", "Subscribe", "Football"} {
				if strings.Contains(got.Summary, furniture) {
					t.Errorf("summary keeps page furniture %q: %q", furniture, got.Summary)
				}
			}
		})
	}
}

func TestSummarizeBadInput(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
	}{
		{"empty stdin", "", []string{"summarize", "-"}},
		{"whitespace", "  \n\t\n", []string{"summarize"}},
		{"missing file", "", []string{"summarize", "/nonexistent/file.txt"}},
		{"bad sentences", "x", []string{"summarize", "--sentences", "0", "-"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, tc.stdin, tc.args...)
			if code == 0 {
				t.Fatalf("exit 0, want an error; stdout %q", out)
			}
			if lines := strings.Count(strings.TrimSpace(errOut), "\n") + 1; lines != 1 {
				t.Errorf("want a one-line error, got %d lines: %q", lines, errOut)
			}
		})
	}
}

func TestSummarizeBatch(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	body, err := os.ReadFile("testdata/scraped-page.txt")
	if err != nil {
		t.Fatal(err)
	}
	line1 := mustJSON(t, map[string]any{"id": "a1", "title": "Weapons convoy seized", "text": string(body)})
	line2 := mustJSON(t, map[string]any{"id": 7, "title": "", "text": ""})
	if err := os.WriteFile(in, []byte(string(line1)+"\n"+string(line2)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "", "summarize", "--batch", in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d output lines, want 2:\n%s", len(lines), out)
	}
	var first struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first.ID != "a1" || !strings.Contains(first.Summary, "convoy") {
		t.Errorf("first line = %s (err %v), want id a1 with a summary about the convoy", lines[0], err)
	}
	if !strings.Contains(lines[1], `"id":7`) {
		t.Errorf("second line keeps the id as given: %s", lines[1])
	}
}

const testFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test Outlet</title><link>%[1]s/</link>
<item><title>Turkish drone strike kills three in Duhok province</title><link>%[1]s/a/1?utm_source=rss&amp;utm_campaign=x</link>
<guid isPermaLink="false">test-1</guid><pubDate>%[2]s</pubDate>
<description>A Turkish drone strike killed three people near Amedi in Duhok province of the Kurdistan Region, local officials said. Turkey said it targeted PKK militants.</description></item>
<item><title>Houthis claim attack on cargo ship in Red Sea</title><link>%[1]s/a/2</link>
<guid isPermaLink="false">test-2</guid><pubDate>%[2]s</pubDate>
<description>Yemen's Houthi movement said it attacked a cargo ship in the Red Sea with drones and missiles. Maritime security agencies reported an incident off Hodeidah.</description></item>
<item><title>Rybakina wins title clash in Toronto</title><link>%[1]s/a/3</link>
<guid isPermaLink="false">test-3</guid><pubDate>%[2]s</pubDate>
<description>Elena Rybakina beat the world number one in straight sets to lift the trophy on Sunday.</description></item>
</channel></rss>`

func TestPollOnceJSON(t *testing.T) {
	var conditional atomic.Int32
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, testFeed, srvURL, time.Now().Add(-time.Hour).UTC().Format(time.RFC1123Z))
	}))
	defer srv.Close()
	srvURL = srv.URL
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sitrep.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`database: sqlite:%s
network: {allow_private: true}
defaults: {article: never}
feeds:
  - {url: %q, name: Test Outlet}
subscriptions:
  - {platform: console, channel: desk, regions: [yemen]}
`, filepath.Join(dir, "db.sqlite"), srv.URL+"/feed.xml")), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runCmd(t, "", "poll", "--once", "--json", "--config", cfg)
	if code != 0 {
		t.Fatalf("poll exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d JSON lines, want 3:\n%s", len(lines), out)
	}
	byID := map[string]itemJSON{}
	for _, l := range lines {
		if !strings.Contains(l, `"security":`) || !strings.Contains(l, `"severity":`) {
			t.Errorf("line lacks security or severity: %s", l)
		}
		var it itemJSON
		if err := json.Unmarshal([]byte(l), &it); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		byID[it.ID] = it
	}
	drone := byID["test-1"]
	if drone.URL != srv.URL+"/a/1" {
		t.Errorf("url = %q, want tracking parameters removed", drone.URL)
	}
	if drone.Feed != srv.URL+"/feed.xml" || drone.Title == "" || drone.Summary == "" || drone.Story == "" || drone.Published == "" {
		t.Errorf("incomplete item: %+v", drone)
	}
	if !contains(drone.Regions, "kurdistan-region") && !contains(drone.Regions, "iraq") {
		t.Errorf("drone strike regions = %v, want the Kurdistan Region or Iraq", drone.Regions)
	}
	if !contains(byID["test-2"].Regions, "yemen") {
		t.Errorf("Houthi item regions = %v, want yemen", byID["test-2"].Regions)
	}
	for _, id := range []string{"test-1", "test-2"} {
		if it := byID[id]; !it.Security || it.Severity == "" {
			t.Errorf("%s: security %v severity %q, want security news with a severity", id, it.Security, it.Severity)
		}
	}
	if drone.Severity != "high" {
		t.Errorf("drone strike that killed three: severity %q, want high", drone.Severity)
	}
	if sport := byID["test-3"]; sport.Security || sport.Severity != "" || len(sport.Topics) != 0 {
		t.Errorf("tennis final: security %v severity %q topics %v, want none", sport.Security, sport.Severity, sport.Topics)
	}
	if drone.Story == byID["test-2"].Story {
		t.Errorf("two different events share story %q", drone.Story)
	}
	// The console post for the yemen channel went to stderr (stdout is JSON only).
	if !strings.Contains(errOut, "[#desk]") || strings.Contains(errOut, "Duhok province") && strings.Count(errOut, "[#desk]") > 1 {
		t.Errorf("want exactly the Yemen story posted to #desk; stderr:\n%s", errOut)
	}

	code, out, errOut = runCmd(t, "", "poll", "--once", "--json", "--config", cfg)
	if code != 0 {
		t.Fatalf("second poll exit %d: %s", code, errOut)
	}
	if strings.TrimSpace(out) != "" {
		t.Errorf("second poll printed items again:\n%s", out)
	}
	if conditional.Load() != 1 {
		t.Errorf("second poll sent %d conditional requests, want 1", conditional.Load())
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestFeedsOPMLAndStatus(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sitrep.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("database: sqlite:%s\nnetwork: {allow_private: true}\n", filepath.Join(dir, "db.sqlite"))), 0o600); err != nil {
		t.Fatal(err)
	}
	opml := filepath.Join(dir, "in.opml")
	if err := os.WriteFile(opml, []byte(`<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="Regional"><outline type="rss" text="Outlet One" xmlUrl="https://one.example/rss"/>
<outline type="rss" text="Outlet Two" xmlUrl="https://two.example/feed.xml"/></outline></body></opml>`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCmd(t, "", "feeds", "import", opml, "--config", cfg); code != 0 || !strings.Contains(out, "imported 2") {
		t.Fatalf("import: exit %d %q %q", code, out, errOut)
	}
	code, out, errOut := runCmd(t, "", "feeds", "export", "--config", cfg)
	if code != 0 {
		t.Fatalf("export: exit %d %s", code, errOut)
	}
	for _, want := range []string{`version="2.0"`, "https://one.example/rss", "https://two.example/feed.xml", "Outlet Two"} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = runCmd(t, "", "status", "--config", cfg)
	if code != 0 || !strings.Contains(out, "https://one.example/rss") || !strings.Contains(out, "never") {
		t.Errorf("status: exit %d\n%s%s", code, out, errOut)
	}
}

// mustJSON encodes v and fails the test when it cannot.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode %T: %v", v, err)
	}
	return b
}
