package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/internal/logtest"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/store/sqlite"
	"github.com/sitrep-bot/sitrep/topics"
)

// routerNow is the fixed clock of the router and digest tests.
var routerNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// fakeFetcher is a func-field fake of the Router's fetcher.
type fakeFetcher struct {
	FetchArticleFn func(ctx context.Context, url string) (feeds.Article, error)
	DiscoverFn     func(ctx context.Context, url string) (string, error)
}

func (f *fakeFetcher) FetchArticle(ctx context.Context, url string) (feeds.Article, error) {
	return f.FetchArticleFn(ctx, url)
}

func (f *fakeFetcher) Discover(ctx context.Context, url string) (string, error) {
	return f.DiscoverFn(ctx, url)
}

// seedStory is one story of the test corpus with its reports.
type seedStory struct {
	id, title, summary string
	regions, topics    []string
	age                time.Duration
	reports            []seedReport
}

type seedReport struct{ feed, title, text, url string }

// routerCorpus: two Iraq stories (one 3 days old), one Iran, one Yemen
// (30 hours old), one Syria (10 days old). "drone" occurs in the Iraq
// and Yemen stories only.
var routerCorpus = []seedStory{
	{id: "st-erbil", title: "Drone strike hits Erbil airport", regions: []string{"iraq", "kurdistan-region"},
		topics: []string{"armed-conflict"}, age: 2 * time.Hour,
		summary: "A drone struck near Erbil international airport late on Monday, officials said. No casualties were reported.",
		reports: []seedReport{
			{"Rudaw", "Drone attack targets Erbil airport", "A drone struck near Erbil international airport late on Monday, the Kurdistan Region's counter-terrorism service said. No casualties were reported.", "https://rudaw.example/erbil-drone"},
			{"Reuters", "Explosive drone hits near Erbil airport in northern Iraq", "An explosive-laden drone hit near the airport in Erbil, capital of Iraq's Kurdistan Region, security sources said on Monday.", "https://reuters.example/iraq-erbil"},
		}},
	{id: "st-iran", title: "Iran closes eastern border crossing", regions: []string{"iran"}, topics: []string{"border-security"},
		age: 5 * time.Hour, summary: "Iran closed a border crossing in its east after clashes between guards and smugglers.",
		reports: []seedReport{{"IRNA", "Iran shuts eastern crossing", "Iran closed a border crossing in its east after clashes between border guards and fuel smugglers.", "https://irna.example/crossing"}}},
	{id: "st-yemen", title: "Houthi drone boat targets tanker in Red Sea", regions: []string{"red-sea", "yemen"},
		topics: []string{"maritime-security"}, age: 30 * time.Hour,
		summary: "A Houthi drone boat struck a tanker off Hodeidah, the maritime agency said.",
		reports: []seedReport{{"UKMTO", "Tanker hit by drone boat off Hodeidah", "A Houthi drone boat struck a tanker off the Yemeni port of Hodeidah, the maritime agency said. The crew were safe.", "https://ukmto.example/hodeidah"}}},
	{id: "st-budget", title: "Iraq parliament passes federal budget", regions: []string{"iraq"}, topics: []string{"politics"},
		age: 72 * time.Hour, summary: "Iraq's parliament passed the federal budget after months of wrangling over oil revenue.",
		reports: []seedReport{{"Shafaq", "Parliament approves budget law", "Iraq's parliament passed the federal budget after months of wrangling between Baghdad and Erbil over oil revenue.", "https://shafaq.example/budget"}}},
	{id: "st-damascus", title: "Protests in Damascus over fuel prices", regions: []string{"syria"}, topics: []string{"protests"},
		age: 10 * 24 * time.Hour, summary: "Hundreds protested in Damascus over fuel prices.",
		reports: []seedReport{{"Enab", "Fuel price protests in Damascus", "Hundreds of people protested in Damascus over a rise in fuel prices, witnesses said.", "https://enab.example/fuel"}}},
}

// openSeeded opens a temporary SQLite store holding routerCorpus.
func openSeeded(t *testing.T) *sqlite.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	feedIDs := map[string]int64{}
	for _, s := range routerCorpus {
		var items []store.Item
		for i, rep := range s.reports {
			id, ok := feedIDs[rep.feed]
			if !ok {
				f, err := db.UpsertFeed(ctx, store.Feed{URL: "https://" + strings.ToLower(rep.feed) + ".example/rss", Name: rep.feed, AddedBy: "config"})
				if err != nil {
					t.Fatalf("UpsertFeed: %v", err)
				}
				id, feedIDs[rep.feed] = f.ID, f.ID
			}
			pub := routerNow.Add(-s.age).Add(time.Duration(i) * time.Minute)
			items = append(items, store.Item{FeedID: id, FeedName: rep.feed, Key: rep.url, GUID: rep.url, URL: rep.url,
				Title: rep.title, Text: rep.text, Summary: rep.text, Published: pub, Fetched: pub,
				Regions: s.regions, Topics: s.topics, StoryID: s.id})
		}
		last := routerNow.Add(-s.age).Add(time.Duration(len(s.reports)-1) * time.Minute)
		st := store.Story{ID: s.id, Title: s.title, Summary: s.summary, Regions: s.regions, Topics: s.topics,
			Severity: "medium", FirstSeen: routerNow.Add(-s.age), LastSeen: last}
		if _, err := db.InsertItems(ctx, items, []store.Story{st}); err != nil {
			t.Fatalf("InsertItems: %v", err)
		}
	}
	return db
}

// clutteredFetcher serves testdata/cluttered_article.html for any URL,
// extracted by the real article extractor, and resolves pages to /feed.xml.
func clutteredFetcher(t *testing.T) *fakeFetcher {
	t.Helper()
	page, err := os.ReadFile(filepath.Join("testdata", "cluttered_article.html"))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	inline, err := os.ReadFile(filepath.Join("testdata", "cluttered_inline.html"))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return &fakeFetcher{
		FetchArticleFn: func(_ context.Context, u string) (feeds.Article, error) {
			switch {
			case strings.Contains(u, "10.0.0.1"):
				return feeds.Article{}, fmt.Errorf("feeds: get %s: %w", u, feeds.ErrPrivateAddress)
			case strings.Contains(u, "missing"):
				return feeds.Article{}, &feeds.StatusError{Code: 404}
			}
			if strings.HasSuffix(u, "/inline") {
				return feeds.ExtractArticle(bytes.NewReader(inline), u)
			}
			return feeds.ExtractArticle(bytes.NewReader(page), u)
		},
		DiscoverFn: func(_ context.Context, u string) (string, error) {
			if strings.Contains(u, "10.0.0.1") {
				return "", feeds.ErrPrivateAddress
			}
			if strings.Contains(u, "nofeed") {
				return "", feeds.ErrNotAFeed
			}
			if strings.HasSuffix(u, ".xml") || strings.HasSuffix(u, "/rss") {
				return u, nil
			}
			return strings.TrimSuffix(u, "/") + "/feed.xml", nil
		},
	}
}

func newTestRouter(t *testing.T) (*Router, *sqlite.DB) {
	t.Helper()
	user := []topics.UserTopic{{Name: "pkk", Query: `PKK OR "Kurdistan Workers"`}}
	tagger, err := topics.NewTagger(user)
	if err != nil {
		t.Fatalf("NewTagger: %v", err)
	}
	db := openSeeded(t)
	r := NewRouter(db, RouterOptions{Tagger: tagger, UserTopics: user, Fetcher: clutteredFetcher(t),
		Now: func() time.Time { return routerNow }, DefaultSchedule: "@every 15m"})
	return r, db
}

func slackCmd(channel, text string, admin bool) Command {
	words := strings.Fields(text)
	cmd := Command{Platform: "slack", Channel: channel, User: "U1", Text: text,
		IsAdmin: func(context.Context) (bool, error) { return admin, nil }}
	if len(words) > 0 {
		cmd.Name, cmd.Args = words[0], words[1:]
	}
	return cmd
}

// replyText flattens a reply the way a plain-text renderer would.
func replyText(r Reply) string {
	var b strings.Builder
	b.WriteString(r.Title + "\n" + r.Text + "\n")
	for _, s := range r.Sections {
		b.WriteString(s.Heading + "\n" + s.Text + "\n")
		for _, l := range s.Stories {
			b.WriteString(l.StoryID + " " + l.Title + " " + l.URL + "\n")
		}
	}
	for _, l := range r.Stories {
		b.WriteString(l.StoryID + " " + l.Title + " " + l.URL + "\n")
	}
	return b.String()
}

// storyIDs lists the story ids a reply mentions, in order, each once.
func storyIDs(r Reply) []string {
	var out []string
	text := replyText(r)
	for _, s := range routerCorpus {
		if strings.Contains(text, s.id) {
			out = append(out, s.id)
		}
	}
	return out
}

func TestRouterCommands(t *testing.T) {
	r, _ := newTestRouter(t)
	ctx := context.Background()
	tests := []struct {
		name      string
		cmd       Command
		ephemeral bool
		contains  []string
		absent    []string
		ids       []string // exactly these corpus stories, when non-nil
	}{
		{name: "help", cmd: slackCmd("C1", "help", false), ephemeral: true,
			contains: []string{"subscribe [daily|weekly|live] [security|all-news] <target>", "feeds add <url>", "search <words>", "digest"}},
		{name: "nothing typed", cmd: slackCmd("C1", "", false), ephemeral: true, contains: []string{"latest [target] [n]"}},
		{name: "nonsense", cmd: slackCmd("C1", "frobnicate the widgets", false), ephemeral: true,
			contains: []string{`I don't know "frobnicate"`, "brief [24h|7d] [target]"}},
		{name: "help for one command", cmd: slackCmd("C1", "help latest", false), ephemeral: true,
			contains: []string{"latest [target] [n]"}, absent: []string{"summarize <url>"}},
		{name: "topics", cmd: slackCmd("C1", "topics", false), ephemeral: true,
			contains: []string{"border-security", "maritime-security", "kurdistan-region", "yemen", "pkk"}},
		{name: "latest", cmd: slackCmd("C1", "latest", false), ids: []string{"st-erbil", "st-iran", "st-yemen", "st-budget", "st-damascus"}},
		{name: "latest region", cmd: slackCmd("C1", "latest iraq", false), ids: []string{"st-erbil", "st-budget"},
			contains: []string{"https://rudaw.example/erbil-drone", "https://reuters.example/iraq-erbil", "Rudaw", "Reuters"}},
		{name: "latest region count", cmd: slackCmd("C1", "latest iraq 1", false), ids: []string{"st-erbil"}},
		{name: "latest count first", cmd: slackCmd("C1", "latest 2", false), ids: []string{"st-erbil", "st-iran"}},
		{name: "latest topic", cmd: slackCmd("C1", "latest maritime-security", false), ids: []string{"st-yemen"}},
		{name: "latest discord options", cmd: Command{Platform: "discord", Channel: "D1", Name: "latest", Args: []string{"iran", "3"},
			Options: map[string]string{"target": "iran", "count": "3"}}, ids: []string{"st-iran"}},
		{name: "latest region name", cmd: Command{Platform: "discord", Channel: "D1", Name: "latest",
			Options: map[string]string{"target": "Kurdistan Region"}}, ids: []string{"st-erbil"}},
		{name: "latest multiword region", cmd: slackCmd("C1", "latest kurdistan region 3", false), ids: []string{"st-erbil"}},
		{name: "latest two targets", cmd: slackCmd("C1", "latest iraq yemen", false), ephemeral: true, contains: []string{"Usage: /sitrep latest"}},
		{name: "subscribe too many words", cmd: slackCmd("C1", "subscribe "+strings.Repeat("iraq ", 80), false), ephemeral: true,
			contains: []string{"too many words"}},
		{name: "latest typo", cmd: slackCmd("C1", "latest iraqq", false), ephemeral: true, contains: []string{"Did you mean", "`iraq`"}},
		{name: "latest zero", cmd: slackCmd("C1", "latest 0", false), ephemeral: true, contains: []string{"between 1 and 20"}},
		{name: "latest nothing there", cmd: slackCmd("C1", "latest cyber", false), ephemeral: true, contains: []string{"No stories on cyber"}},
		{name: "search keyword", cmd: slackCmd("C1", "search drone", false), ephemeral: true, ids: []string{"st-erbil", "st-yemen"}},
		{name: "search region qualifier", cmd: slackCmd("C1", "search region:iraq drone", false), ephemeral: true, ids: []string{"st-erbil"}},
		{name: "search qualifier only", cmd: slackCmd("C1", "search region:yemen", false), ephemeral: true, ids: []string{"st-yemen"}},
		{name: "search source qualifier", cmd: slackCmd("C1", "search source:reuters erbil", false), ephemeral: true, ids: []string{"st-erbil"}},
		{name: "search NOT", cmd: slackCmd("C1", "search NOT drone AND NOT protested", false), ephemeral: true, ids: []string{"st-iran", "st-budget"}},
		{name: "search OR", cmd: slackCmd("C1", "search budget OR smugglers", false), ephemeral: true, ids: []string{"st-iran", "st-budget"}},
		{name: "search discord query", cmd: Command{Platform: "discord", Channel: "D1", Name: "search",
			Options: map[string]string{"query": "topic:maritime-security tanker"}}, ephemeral: true, ids: []string{"st-yemen"}},
		{name: "search no hits", cmd: slackCmd("C1", "search zeppelin", false), ephemeral: true, contains: []string{"No reports match"}},
		{name: "search empty", cmd: slackCmd("C1", "search", false), ephemeral: true, contains: []string{"Usage: /sitrep search"}},
		{name: "search bad region", cmd: slackCmd("C1", "search region:irak drone", false), ephemeral: true,
			contains: []string{"couldn't read that search", "iraq"}},
		{name: "search unbalanced", cmd: slackCmd("C1", "search (drone", false), ephemeral: true, contains: []string{"couldn't read that search"}},
		{name: "story", cmd: slackCmd("C1", "story st-erbil", false),
			contains: []string{"Drone strike hits Erbil airport", "2 reports", "Rudaw", "Reuters",
				"https://rudaw.example/erbil-drone", "https://reuters.example/iraq-erbil"}},
		{name: "story discord", cmd: Command{Platform: "discord", Channel: "D1", Name: "story", Options: map[string]string{"id": "st-iran"}},
			contains: []string{"Iran closes eastern border crossing", "https://irna.example/crossing", "1 report"}},
		{name: "story unknown", cmd: slackCmd("C1", "story nope", false), ephemeral: true, contains: []string{`No story with id "nope"`}},
		{name: "story missing id", cmd: slackCmd("C1", "story", false), ephemeral: true, contains: []string{"Usage: /sitrep story <id>"}},
		{name: "brief 7d region", cmd: slackCmd("C1", "brief 7d iraq", false), ids: []string{"st-erbil", "st-budget"},
			contains: []string{"Brief on iraq: the last 7 days", "Armed conflict", "Politics"}},
		{name: "brief default 24h", cmd: slackCmd("C1", "brief", false), ids: []string{"st-erbil", "st-iran"},
			contains: []string{"the last 24 hours", "Iraq", "Iran"}},
		{name: "brief target then period", cmd: slackCmd("C1", "brief yemen 7d", false), ids: []string{"st-yemen"}},
		{name: "brief discord", cmd: Command{Platform: "discord", Channel: "D1", Name: "brief",
			Options: map[string]string{"period": "7d", "target": "border-security"}}, ids: []string{"st-iran"}},
		{name: "brief multiword target", cmd: slackCmd("C1", "brief red sea 7d", false), ids: []string{"st-yemen"}},
		{name: "brief too long", cmd: slackCmd("C1", "brief 30d", false), ephemeral: true, contains: []string{"at most 7 days"}},
		{name: "brief empty", cmd: slackCmd("C1", "brief 24h yemen", false), ephemeral: true, contains: []string{"No stories on yemen in the last 24 hours"}},
		{name: "brief two targets", cmd: slackCmd("C1", "brief iraq iran", false), ephemeral: true, contains: []string{"Usage: /sitrep brief"}},
		{name: "summarize cluttered page", cmd: slackCmd("C1", "summarize https://herald.example/news/crossing", false),
			contains: []string{"Border crossing reopens", "https://herald.example/news/crossing", "lorries stranded", "border guards were wounded"},
			absent:   []string{"cookie", "Subscribe to our newsletter", "ADVERTISEMENT", "First!", "celebrity", "All rights reserved"}},
		{name: "summarize page with inline clutter", cmd: slackCmd("C1", "summarize https://dispatch.example/inline", false),
			contains: []string{"Militants attack checkpoint near Sinjar", "killing three soldiers", "https://dispatch.example/inline"},
			absent: []string{"cookie", "Share on", "Most read", "Log in", "comment", "Shameful", "Advertis", "Read more",
				"Photo:", "Careers", "Tags:"}},
		{name: "summarize slack link", cmd: slackCmd("C1", "summarize <https://herald.example/a|herald.example/a>", false),
			contains: []string{"https://herald.example/a"}},
		{name: "summarize private", cmd: slackCmd("C1", "summarize http://10.0.0.1/admin", false), ephemeral: true,
			contains: []string{"only reaches public web sites"}},
		{name: "summarize http error", cmd: slackCmd("C1", "summarize https://herald.example/missing", false), ephemeral: true,
			contains: []string{"HTTP status 404"}},
		{name: "summarize not a url", cmd: slackCmd("C1", "summarize ftp://x.example/a", false), ephemeral: true,
			contains: []string{"not a web address"}},
		{name: "summarize nothing", cmd: slackCmd("C1", "summarize", false), ephemeral: true, contains: []string{"Please give a web address"}},
		{name: "feeds add by non-admin", cmd: slackCmd("C1", "feeds add https://news.example/", false), ephemeral: true,
			contains: []string{"Only channel admins can manage feeds."}},
		{name: "feeds add without admin check", cmd: Command{Platform: "slack", Channel: "C1", Name: "feeds",
			Args: []string{"add", "https://news.example/"}}, ephemeral: true, contains: []string{"Only channel admins"}},
		{name: "feeds add admin check fails", cmd: Command{Platform: "slack", Channel: "C1", Name: "feeds",
			Args: []string{"add", "https://news.example/"}, IsAdmin: func(context.Context) (bool, error) { return true, errors.New("users.info: ratelimited") }},
			ephemeral: true, contains: []string{"Only channel admins"}},
		{name: "feeds list by non-admin", cmd: slackCmd("C1", "feeds list", false), ephemeral: true, contains: []string{"Only channel admins"}},
		{name: "feeds list", cmd: slackCmd("C1", "feeds list", true), ephemeral: true,
			contains: []string{"https://rudaw.example/rss", "Feeds (", "not fetched yet"}},
		{name: "feeds no child", cmd: slackCmd("C1", "feeds", true), ephemeral: true, contains: []string{"feeds add <url>", "feeds list"}},
		{name: "feeds unknown child", cmd: slackCmd("C1", "feeds frob", true), ephemeral: true, contains: []string{`"frob"`, "feeds remove <url>"}},
		{name: "feeds add private", cmd: slackCmd("C1", "feeds add http://10.0.0.1/", true), ephemeral: true, contains: []string{"public web sites"}},
		{name: "feeds add no feed", cmd: slackCmd("C1", "feeds add https://nofeed.example/", true), ephemeral: true, contains: []string{"couldn't find a feed"}},
		{name: "feeds add known", cmd: slackCmd("C1", "feeds add https://rudaw.example/rss", true), ephemeral: true,
			contains: []string{"already follows https://rudaw.example/rss", "configured by the operator"}},
		{name: "feeds remove config feed", cmd: slackCmd("C1", "feeds remove https://rudaw.example/rss", true), ephemeral: true,
			contains: []string{"configuration"}},
		{name: "feeds remove unknown", cmd: slackCmd("C1", "feeds remove https://nowhere.example/rss", true), ephemeral: true,
			contains: []string{"doesn't follow"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := r.Handle(ctx, tc.cmd)
			text := replyText(rep)
			if rep.Ephemeral != tc.ephemeral {
				t.Errorf("Ephemeral = %v, want %v; reply:\n%s", rep.Ephemeral, tc.ephemeral, text)
			}
			for _, want := range tc.contains {
				if !strings.Contains(text, want) {
					t.Errorf("reply lacks %q; reply:\n%s", want, text)
				}
			}
			for _, bad := range tc.absent {
				if strings.Contains(strings.ToLower(text), strings.ToLower(bad)) {
					t.Errorf("reply has %q; reply:\n%s", bad, text)
				}
			}
			if tc.ids != nil {
				if got := storyIDs(rep); !slices.Equal(sortedCopy(got), sortedCopy(tc.ids)) {
					t.Errorf("stories = %v, want %v; reply:\n%s", got, tc.ids, text)
				}
			}
			if strings.Contains(text, "Something went wrong") {
				t.Errorf("internal error; reply:\n%s", text)
			}
		})
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func TestRouterLatestOrderAndLimit(t *testing.T) {
	r, _ := newTestRouter(t)
	rep := r.Handle(context.Background(), slackCmd("C1", "latest 99", false))
	if len(rep.Sections) != len(routerCorpus) {
		t.Fatalf("latest 99: %d sections, want %d (all stories, capped at %d)", len(rep.Sections), len(routerCorpus), latestMax)
	}
	if !strings.Contains(rep.Sections[0].Heading, "Erbil") || !strings.Contains(rep.Sections[len(rep.Sections)-1].Heading, "Damascus") {
		t.Errorf("latest not newest first: first %q, last %q", rep.Sections[0].Heading, rep.Sections[len(rep.Sections)-1].Heading)
	}
}

func TestRouterSubscribeFlow(t *testing.T) {
	r, db := newTestRouter(t)
	ctx := context.Background()
	sub := func(platform, channel string) (store.Subscription, bool) {
		t.Helper()
		return channelSub(t, db, platform, channel)
	}
	steps := []struct {
		name        string
		cmd         Command
		ephemeral   bool
		contains    []string
		wantTargets []string // nil: no subscription expected
		wantDigest  string
	}{
		{name: "unknown target suggests", cmd: slackCmd("C9", "subscribe iraqq", false), ephemeral: true,
			contains: []string{`"iraqq"`, "Did you mean", "`iraq`", "Nothing was changed"}},
		{name: "no targets", cmd: slackCmd("C9", "subscribe", false), ephemeral: true, contains: []string{"Usage: /sitrep subscribe"}},
		{name: "subscriptions none", cmd: slackCmd("C9", "subscriptions", false), ephemeral: true, contains: []string{"no subscription"}},
		{name: "unsubscribe none", cmd: slackCmd("C9", "unsubscribe", false), ephemeral: true, contains: []string{"no subscription"}},
		{name: "subscribe two", cmd: slackCmd("C9", "subscribe iraq border-security", false),
			contains: []string{"iraq, border-security", "posted as it comes in"}, wantTargets: []string{"iraq", "border-security"}},
		{name: "one bad one good changes nothing", cmd: slackCmd("C9", "subscribe yemen narnia", false), ephemeral: true,
			contains: []string{`"narnia"`}, wantTargets: []string{"iraq", "border-security"}},
		{name: "other spelling", cmd: slackCmd("C9", "subscribe Türkiye", false),
			wantTargets: []string{"iraq", "border-security", "turkey"}},
		{name: "user topic and commas", cmd: slackCmd("C9", "subscribe PKK,iraq", false),
			wantTargets: []string{"iraq", "border-security", "turkey", "pkk"}},
		{name: "subscriptions", cmd: slackCmd("C9", "subscriptions", false), ephemeral: true,
			contains: []string{"iraq, border-security, turkey, pkk"}, wantTargets: []string{"iraq", "border-security", "turkey", "pkk"}},
		{name: "daily digest", cmd: slackCmd("C9", "subscribe daily yemen", false), contains: []string{"daily digest"},
			wantTargets: []string{"iraq", "border-security", "turkey", "pkk", "yemen"}, wantDigest: DigestDaily},
		{name: "mode only", cmd: slackCmd("C9", "subscribe live", false), contains: []string{"posted as it comes in"},
			wantTargets: []string{"iraq", "border-security", "turkey", "pkk", "yemen"}},
		{name: "unsubscribe one", cmd: slackCmd("C9", "unsubscribe iraq", false),
			wantTargets: []string{"border-security", "turkey", "pkk", "yemen"}},
		{name: "unsubscribe not followed", cmd: slackCmd("C9", "unsubscribe syria", false), ephemeral: true,
			contains: []string{"doesn't follow `syria`"}, wantTargets: []string{"border-security", "turkey", "pkk", "yemen"}},
		{name: "unsubscribe all", cmd: slackCmd("C9", "unsubscribe", false), contains: []string{"no more sitrep posts"}},
		{name: "discord option target and digest", cmd: Command{Platform: "discord", Channel: "C9", Name: "subscribe",
			Args: []string{"Kurdistan", "Region", "weekly"}, Options: map[string]string{"target": "Kurdistan Region", "digest": "weekly"}},
			contains: []string{"weekly digest"}, wantTargets: []string{"kurdistan-region"}, wantDigest: DigestWeekly},
		{name: "subscribe everything", cmd: Command{Platform: "discord", Channel: "C9", Name: "subscribe", Options: map[string]string{"target": "all"}},
			contains: []string{"follows everything"}, wantTargets: []string{}, wantDigest: DigestWeekly},
		{name: "unsubscribe target when following everything", cmd: Command{Platform: "discord", Channel: "C9", Name: "unsubscribe",
			Options: map[string]string{"target": "iraq"}}, ephemeral: true, contains: []string{"follows everything"},
			wantTargets: []string{}, wantDigest: DigestWeekly},
		{name: "last target removed unsubscribes", cmd: Command{Platform: "discord", Channel: "C9", Name: "unsubscribe",
			Options: map[string]string{"target": "all"}}},
	}
	for _, st := range steps {
		rep := r.Handle(ctx, st.cmd)
		text := replyText(rep)
		if rep.Ephemeral != st.ephemeral {
			t.Errorf("%s: Ephemeral = %v, want %v; reply:\n%s", st.name, rep.Ephemeral, st.ephemeral, text)
		}
		for _, want := range st.contains {
			if !strings.Contains(text, want) {
				t.Errorf("%s: reply lacks %q; reply:\n%s", st.name, want, text)
			}
		}
		got, ok := sub(st.cmd.Platform, st.cmd.Channel)
		switch {
		case st.wantTargets == nil && ok:
			t.Errorf("%s: subscription %+v, want none", st.name, got)
		case st.wantTargets != nil && !ok:
			t.Errorf("%s: no subscription, want targets %v", st.name, st.wantTargets)
		case ok && (!slices.Equal(got.Targets, st.wantTargets) && !(len(got.Targets) == 0 && len(st.wantTargets) == 0) || got.Digest != st.wantDigest):
			t.Errorf("%s: subscription targets %v digest %q, want %v %q", st.name, got.Targets, got.Digest, st.wantTargets, st.wantDigest)
		}
	}
	// Channels are independent.
	r.Handle(ctx, slackCmd("C10", "subscribe syria", false))
	if s, ok := sub("slack", "C10"); !ok || !slices.Equal(s.Targets, []string{"syria"}) {
		t.Errorf("C10 subscription = %+v, %v; want [syria]", s, ok)
	}
	if _, ok := sub("slack", "C9"); ok {
		t.Errorf("C9 subscribed again by C10's command")
	}
}

func TestRouterSubscribeWords(t *testing.T) {
	r, db := newTestRouter(t)
	ctx := context.Background()
	tests := []struct {
		channel, text string
		targets       []string
		digest        string
	}{
		{"C20", "subscribe saudi arabia border security weekly", []string{"saudi-arabia", "border-security"}, DigestWeekly},
		{"C21", "subscribe iraq daily", []string{"iraq"}, DigestDaily},
		{"C22", "subscribe Kurdistan Region, red sea", []string{"kurdistan-region", "red-sea"}, ""},
		{"C23", "subscribe everything daily", nil, DigestDaily},
	}
	for _, tc := range tests {
		rep := r.Handle(ctx, slackCmd(tc.channel, tc.text, false))
		subs, err := db.Subscriptions(ctx, "slack")
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(subs, func(s store.Subscription) bool { return s.Channel == tc.channel })
		if i < 0 {
			t.Errorf("%q: no subscription; reply %q", tc.text, rep.Text)
			continue
		}
		if got := subs[i]; !slices.Equal(got.Targets, tc.targets) || got.Digest != tc.digest {
			t.Errorf("%q: targets %v digest %q, want %v %q", tc.text, got.Targets, got.Digest, tc.targets, tc.digest)
		}
	}
	if rep := r.Handle(ctx, slackCmd("C20", "unsubscribe saudi arabia", false)); !strings.Contains(rep.Text, "border-security") ||
		strings.Contains(rep.Text, "saudi-arabia") {
		t.Errorf("unsubscribe saudi arabia: %q", rep.Text)
	}
}

func TestRouterFeedsAdmin(t *testing.T) {
	r, db := newTestRouter(t)
	ctx := context.Background()
	rep := r.Handle(ctx, slackCmd("C1", "feeds add https://news.example/", false))
	if _, err := db.Feed(ctx, "https://news.example/feed.xml"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("non-admin feeds add stored a feed (err %v); reply %q", err, rep.Text)
	}
	rep = r.Handle(ctx, slackCmd("C1", "feeds add https://news.example/", true))
	f, err := db.Feed(ctx, "https://news.example/feed.xml")
	if err != nil {
		t.Fatalf("admin feeds add: Feed: %v; reply:\n%s", err, replyText(rep))
	}
	if f.AddedBy != "slack:C1" || f.Schedule != "@every 15m" {
		t.Errorf("feed AddedBy %q Schedule %q, want slack:C1 and @every 15m", f.AddedBy, f.Schedule)
	}
	if rep.Ephemeral || !strings.Contains(rep.Text, "https://news.example/feed.xml") {
		t.Errorf("feeds add reply = %+v", rep)
	}
	// Adding again says so; another channel may not remove it; this one may.
	if rep := r.Handle(ctx, slackCmd("C1", "feeds add https://news.example/", true)); !strings.Contains(rep.Text, "already follows") {
		t.Errorf("second add: %q", rep.Text)
	}
	discordRemove := Command{Platform: "discord", Channel: "D7", Name: "feeds", Args: []string{"remove", "https://news.example/feed.xml"},
		Options: map[string]string{"url": "https://news.example/feed.xml"}, IsAdmin: func(context.Context) (bool, error) { return true, nil }}
	if rep := r.Handle(ctx, discordRemove); !strings.Contains(rep.Text, "another channel") {
		t.Errorf("remove from another channel: %q", rep.Text)
	}
	if rep := r.Handle(ctx, slackCmd("C1", "feeds list", true)); !strings.Contains(rep.Text, "https://news.example/feed.xml — not fetched yet — added here") {
		t.Errorf("feeds list: %q", rep.Text)
	}
	if rep := r.Handle(ctx, slackCmd("C1", "feeds remove <https://news.example/feed.xml>", true)); rep.Title != "Feed removed" {
		t.Errorf("remove: %+v", rep)
	}
	if _, err := db.Feed(ctx, "https://news.example/feed.xml"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("feed still stored after remove: %v", err)
	}
	// Discord: group name in Name, child in Args[0], url option.
	discordAdd := Command{Platform: "discord", Channel: "D7", Name: "feeds", Args: []string{"add", "https://other.example/news"},
		Options: map[string]string{"url": "https://other.example/news"}, IsAdmin: func(context.Context) (bool, error) { return true, nil }}
	r.Handle(ctx, discordAdd)
	if f, err := db.Feed(ctx, "https://other.example/news/feed.xml"); err != nil || f.AddedBy != "discord:D7" {
		t.Errorf("discord feeds add: %+v, %v", f, err)
	}
}

func TestRouterRecoversAndHidesErrors(t *testing.T) {
	r, db := newTestRouter(t)
	ctx := context.Background()
	r.subs = append(r.subs, Subcommand{Name: "boom", Usage: "boom", Handler: func(context.Context, Command) (Reply, error) {
		panic("handler bug")
	}})
	if rep := r.Handle(ctx, slackCmd("C1", "boom", false)); rep.Text != "Something went wrong." || !rep.Ephemeral {
		t.Errorf("panicking handler: %+v", rep)
	}
	// A store failure is logged, not shown.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if rep := r.Handle(ctx, slackCmd("C1", "latest iraq", false)); rep.Text != "Something went wrong." {
		t.Errorf("store failure: %+v", rep)
	}
}

func TestRouterCommandTable(t *testing.T) {
	r, _ := newTestRouter(t)
	seen := map[string]bool{}
	var check func(prefix string, subs []Subcommand)
	check = func(prefix string, subs []Subcommand) {
		for _, s := range subs {
			name := prefix + s.Name
			if seen[name] {
				t.Errorf("%s: duplicate", name)
			}
			seen[name] = true
			if s.Usage == "" || s.Description == "" || len(s.Description) > 100 {
				t.Errorf("%s: usage %q, description %q (want both, description ≤ 100)", name, s.Usage, s.Description)
			}
			if (s.Handler == nil) == (len(s.Group) == 0) {
				t.Errorf("%s: want a handler or a group, not both or neither", name)
			}
			for _, o := range s.Options {
				if o.Autocomplete && len(o.Choices) > 0 {
					t.Errorf("%s: option %s has choices and autocomplete", name, o.Name)
				}
			}
			check(name+" ", s.Group)
		}
	}
	cmds := r.Commands()
	check("", cmds)
	for _, want := range []string{"subscribe", "unsubscribe", "subscriptions", "topics", "latest", "search", "summarize",
		"brief", "story", "feeds add", "feeds remove", "feeds list", "help"} {
		if !seen[want] {
			t.Errorf("command table lacks %q", want)
		}
	}
	// Commands returns a copy.
	cmds[0].Name = "changed"
	if r.Commands()[0].Name == "changed" {
		t.Error("Commands exposes the router's table")
	}
	// Help lists every command of the table.
	help := r.Handle(context.Background(), slackCmd("C1", "help", false)).Text
	for _, s := range r.Commands() {
		for _, c := range append([]Subcommand{s}, s.Group...) {
			if c.Handler != nil && !strings.Contains(help, c.Usage) {
				t.Errorf("help lacks %q", c.Usage)
			}
		}
	}
}

func TestRouterComplete(t *testing.T) {
	r, db := newTestRouter(t)
	ctx := context.Background()
	tests := []struct {
		name           string
		cmd            Command
		option, prefix string
		want           []string // must be present
		exactly        bool
	}{
		{name: "region prefix", cmd: Command{Name: "latest"}, option: "target", prefix: "kur", want: []string{"kurdistan-region"}},
		{name: "topic inner word", cmd: Command{Name: "subscribe"}, option: "target", prefix: "secur", want: []string{"border-security", "maritime-security"}},
		{name: "user topic", cmd: Command{Name: "subscribe"}, option: "target", prefix: "pk", want: []string{"pkk"}},
		{name: "period", cmd: Command{Name: "brief"}, option: "period", prefix: "7", want: []string{"7d"}, exactly: true},
		{name: "unsubscribe offers own targets", cmd: Command{Platform: "slack", Channel: "C5", Name: "unsubscribe"},
			option: "target", prefix: "", want: []string{"yemen", "cyber"}, exactly: true},
		{name: "unknown option", cmd: Command{Name: "search"}, option: "query", prefix: "x"},
	}
	if _, err := db.Subscribe(ctx, store.Subscription{Platform: "slack", Channel: "C5", Targets: []string{"yemen", "cyber"}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Complete(ctx, tc.cmd, tc.option, tc.prefix)
			if len(got) > 25 {
				t.Errorf("%d choices, want ≤ 25", len(got))
			}
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("Complete(%q, %q) = %v, lacks %q", tc.option, tc.prefix, got, w)
				}
			}
			if tc.exactly && len(got) != len(tc.want) {
				t.Errorf("Complete(%q, %q) = %v, want exactly %v", tc.option, tc.prefix, got, tc.want)
			}
			if tc.want == nil && len(got) != 0 {
				t.Errorf("Complete(%q, %q) = %v, want none", tc.option, tc.prefix, got)
			}
		})
	}
	if got := r.Complete(ctx, Command{Name: "latest"}, "target", ""); len(got) != 25 {
		t.Errorf("empty prefix: %d choices, want 25", len(got))
	}
}

// FuzzRouterHandle types arbitrary text after /sitrep: every answer must be
// a non-empty reply, with no panic and no internal error behind it.
func FuzzRouterHandle(f *testing.F) {
	for _, seed := range []string{"", "help", "latest iraq 3", "search region:iraq drone", `search "unterminated`,
		"search ((((", "search NOT", "search AND", "search region:", "brief 7d kurdistan region", "brief 0d",
		"subscribe daily saudi arabia", "unsubscribe all", "story ' OR 1=1 --", "summarize <https://a.example|a>",
		"feeds add http://10.0.0.1/", "feeds remove x", "latest -1", "latest 99999999999999999999", "topics extra words",
		"subscribe العراق", "search تفجير region:iraq", "brief 1000000d", "latest \x00\xff"} {
		f.Add(seed, true)
	}
	user := []topics.UserTopic{{Name: "pkk", Query: `PKK OR "Kurdistan Workers"`}}
	tagger, err := topics.NewTagger(user)
	if err != nil {
		f.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	var logs logtest.Buffer
	r := NewRouter(db, RouterOptions{Tagger: tagger, UserTopics: user, Now: func() time.Time { return routerNow },
		Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError})),
		Fetcher: &fakeFetcher{
			FetchArticleFn: func(context.Context, string) (feeds.Article, error) { return feeds.Article{}, feeds.ErrNotArticle },
			DiscoverFn:     func(context.Context, string) (string, error) { return "", feeds.ErrNotAFeed },
		}})
	f.Fuzz(func(t *testing.T, text string, admin bool) {
		rep := r.Handle(context.Background(), slackCmd("CF", text, admin))
		if strings.TrimSpace(rep.Text) == "" && len(rep.Sections) == 0 && len(rep.Stories) == 0 {
			t.Errorf("Handle(%q): empty reply", text)
		}
		if l := logs.String(); l != "" {
			t.Fatalf("Handle(%q) logged an error: %s", text, l)
		}
	})
}

// seedBulk stores n synthetic stories of three reports each, spread over
// the last week across a few regions and topics.
func seedBulk(tb testing.TB, n int) *sqlite.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "bulk.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	regions := []string{"iraq", "iran", "syria", "yemen", "turkey", "lebanon"}
	tops := []string{"armed-conflict", "border-security", "politics", "energy", "protests"}
	var feedIDs []int64
	for i := range 3 {
		f, err := db.UpsertFeed(ctx, store.Feed{URL: fmt.Sprintf("https://f%d.example/rss", i), Name: fmt.Sprintf("Outlet %d", i)})
		if err != nil {
			tb.Fatal(err)
		}
		feedIDs = append(feedIDs, f.ID)
	}
	for s := range n {
		reg, top := regions[s%len(regions)], tops[(s/2)%len(tops)]
		at := routerNow.Add(-time.Duration(s) * 7 * 24 * time.Hour / time.Duration(n+1))
		id := fmt.Sprintf("bulk-%d", s)
		var items []store.Item
		for i, fid := range feedIDs {
			text := fmt.Sprintf("Officials in %s said on Monday that event %d involved %s. Witnesses described the scene in detail. "+
				"Report %d adds that talks would continue next week.", reg, s, strings.ReplaceAll(top, "-", " "), i)
			items = append(items, store.Item{FeedID: fid, FeedName: fmt.Sprintf("Outlet %d", i), Key: fmt.Sprintf("%s-%d", id, i),
				URL: fmt.Sprintf("https://f%d.example/%s", i, id), Title: fmt.Sprintf("Event %d in %s", s, reg), Text: text, Summary: text,
				Published: at, Fetched: at, Regions: []string{reg}, Topics: []string{top}, StoryID: id})
		}
		st := store.Story{ID: id, Title: fmt.Sprintf("Event %d in %s", s, reg), Summary: items[0].Summary, Regions: []string{reg},
			Topics: []string{top}, FirstSeen: at, LastSeen: at}
		if _, err := db.InsertItems(ctx, items, []store.Story{st}); err != nil {
			tb.Fatal(err)
		}
	}
	return db
}

// BenchmarkRouterBrief measures "brief 7d" and "latest 20" over 500 stories of 3 reports.
func BenchmarkRouterBrief(b *testing.B) {
	db := seedBulk(b, 500)
	r := NewRouter(db, RouterOptions{Now: func() time.Time { return routerNow }})
	ctx := context.Background()
	for _, text := range []string{"brief 7d", "brief 7d iraq", "latest 20", "search event officials"} {
		b.Run(strings.ReplaceAll(text, " ", "_"), func(b *testing.B) {
			for b.Loop() {
				if rep := r.Handle(ctx, slackCmd("C1", text, false)); rep.Title == "" {
					b.Fatalf("%s: %+v", text, rep)
				}
			}
		})
	}
}

// channelSub returns the stored subscription of one channel, failing the test when the store cannot list them.
func channelSub(t *testing.T, db store.Store, platform, channel string) (store.Subscription, bool) {
	t.Helper()
	subs, err := db.Subscriptions(context.Background(), platform)
	if err != nil {
		t.Fatalf("Subscriptions: %v", err)
	}
	for _, s := range subs {
		if s.Channel == channel {
			return s, true
		}
	}
	return store.Subscription{}, false
}
