package main

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/internal/chatfake"
)

// seedReport is one report of the shared seed page.
type seedReport struct {
	outlet, title, text string
	ago                 time.Duration
}

// seedReports splits ../shared/seed/news-page.txt into its reports: the
// page's own article (top to "Hashtags") and each "Outlet / N ago /
// - Outlet / title / body" block after it.
func seedReports(t *testing.T) []seedReport {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "seed", "news-page.txt"))
	if err != nil {
		t.Skipf("seed page not available: %v", err)
	}
	lines := strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
	var out []seedReport
	var first []string
	i := 0
	for ; i < len(lines) && strings.TrimSpace(lines[i]) != "Hashtags"; i++ {
		if l := strings.TrimSpace(lines[i]); l != "" {
			first = append(first, l)
		}
	}
	if len(first) > 1 {
		out = append(out, seedReport{outlet: "Daily8", title: first[0], text: strings.Join(first[1:], " "), ago: 10 * time.Minute})
	}
	for ; i+4 < len(lines); i++ {
		src, ago := strings.TrimSpace(lines[i]), strings.TrimSpace(lines[i+1])
		if src == "" || !strings.HasSuffix(ago, " ago") || strings.TrimSpace(lines[i+2]) != "- "+src {
			continue
		}
		var n int
		var unit string
		if k, err := fmt.Sscanf(ago, "%d %s", &n, &unit); k != 2 {
			t.Fatalf("seed page: %q: %v", ago, err)
		}
		d := time.Duration(n) * time.Minute
		if strings.HasPrefix(unit, "hour") {
			d = time.Duration(n) * time.Hour
		}
		out = append(out, seedReport{outlet: src, title: strings.TrimSpace(lines[i+3]), text: strings.TrimSpace(lines[i+4]), ago: d})
		i += 4
	}
	return out
}

// seedOutlets are the sites the seed reports are served as: the feed's
// title carries a tagline, as real feeds' do, and its link the site.
var seedOutlets = map[string]struct{ path, feedTitle, site, name string }{
	"Daily8":      {"daily8.xml", "Daily8 - Latest news and headlines", "https://www.daily8.example/", "Daily8"},
	"Rudaw Net":   {"rudaw.xml", "Rudaw Net – Kurdistan, Iraq and world news", "https://www.rudaw.example/english", "Rudaw Net"},
	"Shafaq News": {"shafaq.xml", "Iraq news | Shafaq News", "https://shafaq.example/en", "Shafaq News"},
}

// seedFeeds serves each outlet's reports of the seed page as an RSS feed;
// an outlet's feed is empty until live reports it true.
func seedFeeds(t *testing.T, reports []seedReport, live func(outlet string) bool) *httptest.Server {
	t.Helper()
	now := time.Now().UTC()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for outlet, o := range seedOutlets {
			if r.URL.Path != "/"+o.path {
				continue
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>%s</link>`,
				html.EscapeString(o.feedTitle), o.site)
			for i, rep := range reports {
				if rep.outlet != outlet || !live(outlet) {
					continue
				}
				fmt.Fprintf(w, `<item><title>%s</title><link>%sstory/%d</link><guid>%s-%d</guid><pubDate>%s</pubDate><description>%s</description></item>`,
					html.EscapeString(rep.title), o.site, i, o.path, i, now.Add(-rep.ago).Format(time.RFC1123Z), html.EscapeString(rep.text))
			}
			fmt.Fprint(w, `</channel></rss>`)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestSeedStoryReachesSlack polls the seed page's three reports of the
// Iraq–Iran border agreement, served as three outlets' feeds configured
// without names, and delivers them to a fake Slack: the channel gets one
// root post that names and links all three outlets, whether the reports
// arrive in one poll or the later ones after the root is posted (then
// they are threaded under it and the root is edited to list them).
func TestSeedStoryReachesSlack(t *testing.T) {
	all := seedReports(t)
	var reports []seedReport
	for _, r := range all {
		if strings.Contains(r.title, "Iran") { // the agreement, not the de-Baathification report
			reports = append(reports, r)
		}
	}
	if len(reports) != 3 {
		t.Fatalf("seed page gave %d reports of the agreement, want 3: %+v", len(reports), reports)
	}
	for _, tc := range []struct {
		name      string
		staggered bool
	}{
		{"one poll", false},
		{"later reports after the root", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var second atomic.Bool
			srv := seedFeeds(t, reports, func(outlet string) bool { return !tc.staggered || outlet == "Daily8" || second.Load() })
			slack := chatfake.NewSlack()
			t.Cleanup(slack.Close)
			dir := t.TempDir()
			cfg := filepath.Join(dir, "sitrep.yaml")
			var feeds strings.Builder
			for _, o := range []string{"Daily8", "Rudaw Net", "Shafaq News"} {
				fmt.Fprintf(&feeds, "  - {url: %q}\n", srv.URL+"/"+seedOutlets[o].path)
			}
			if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`database: sqlite:%s
network: {allow_private: true}
defaults: {article: never, backfill: 48h}
delivery: {rollup_after: 0}
feeds:
%ssubscriptions:
  - {platform: slack, channel: C0IRAQ, regions: [iraq]}
slack: {bot_token: "xoxb-seed-test", signing_secret: "seed-signing-secret", api_url: %q}
`, filepath.Join(dir, "db.sqlite"), feeds.String(), slack.URL())), 0o600); err != nil {
				t.Fatal(err)
			}
			polls := 1
			if tc.staggered {
				polls = 2
			}
			for i := range polls {
				if i == 1 {
					second.Store(true)
				}
				if code, _, errOut := runCmd(t, "", "poll", "--once", "--config", cfg); code != 0 {
					t.Fatalf("poll %d: exit %d: %s", i+1, code, errOut)
				}
			}
			var roots, replies []chatfake.SlackMessage
			for _, m := range slack.Messages() {
				if m.Channel != "C0IRAQ" {
					continue
				}
				if m.ThreadTS == "" {
					roots = append(roots, m)
				} else {
					replies = append(replies, m)
				}
			}
			if len(roots) != 1 {
				for _, m := range roots {
					t.Logf("root: %s", m.Text)
				}
				t.Fatalf("channel got %d root posts, want one for the story", len(roots))
			}
			root := string(roots[0].Blocks)
			for i, rep := range reports {
				o := seedOutlets[rep.outlet]
				link := fmt.Sprintf("%sstory/%d", o.site, indexOf(all, rep))
				if !strings.Contains(root, link) {
					t.Errorf("root post lacks the link to %s's report %d (%s):\n%s", rep.outlet, i, link, root)
				}
				if !strings.Contains(root, o.name) {
					t.Errorf("root post does not name %q:\n%s", o.name, root)
				}
			}
			for _, tagline := range []string{"Latest news", "Kurdistan, Iraq and world news", "Iraq news |"} {
				if strings.Contains(root, tagline) {
					t.Errorf("root post names an outlet by its feed title's tagline %q", tagline)
				}
			}
			if tc.staggered {
				if roots[0].Updates == 0 || len(replies) != 2 {
					t.Errorf("later reports: %d root edits and %d thread replies, want the root edited and 2 replies", roots[0].Updates, len(replies))
				}
			} else if len(replies) != 0 {
				t.Errorf("one poll: %d thread replies, want none (the root lists every report)", len(replies))
			}
		})
	}
}

func indexOf(list []seedReport, r seedReport) int {
	for i, x := range list {
		if x == r {
			return i
		}
	}
	return -1
}
