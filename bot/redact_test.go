package bot

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/store"
)

// TestFeedURLSecretsRedactedInChat: feed URLs with userinfo or an API key
// in the query are shown and logged without them (feeds list, feeds add,
// feeds remove), and a stored last error quoting the URL is scrubbed too.
func TestFeedURLSecretsRedactedInChat(t *testing.T) {
	r, db := newTestRouter(t)
	var logs bytes.Buffer
	r.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()
	const cfgURL = "https://reader:hunter2@wire.example/rss?apikey=s3cr3t&lang=en"
	if _, err := db.UpsertFeed(ctx, store.Feed{URL: cfgURL, Name: "Wire", AddedBy: "config"}); err != nil {
		t.Fatal(err)
	}
	f, err := db.Feed(ctx, cfgURL)
	if err != nil {
		t.Fatal(err)
	}
	f.Failures, f.LastError = 2, `feeds: fetch https://wire.example/rss?apikey=s3cr3t&lang=en: status 401`
	if err := db.SaveFeedState(ctx, f); err != nil {
		t.Fatal(err)
	}
	const chatURL = "https://news.example/feed.xml?token=t0k3n"
	r.fetch = &fakeFetcher{DiscoverFn: func(context.Context, string) (string, error) { return chatURL, nil }}

	var replies []string
	for _, text := range []string{"feeds list", "feeds add https://news.example/", "feeds add https://news.example/",
		"feeds remove " + chatURL, "feeds remove " + cfgURL} {
		rep := r.Handle(ctx, slackCmd("C1", text, true))
		replies = append(replies, replyText(rep))
	}
	all := strings.Join(replies, "\n---\n")
	for _, secret := range []string{"hunter2", "s3cr3t", "t0k3n"} {
		if strings.Contains(all, secret) {
			t.Errorf("chat replies show %q:\n%s", secret, all)
		}
		if strings.Contains(logs.String(), secret) {
			t.Errorf("logs show %q:\n%s", secret, logs.String())
		}
	}
	for _, want := range []string{"https://REDACTED@wire.example/rss?apikey=REDACTED&lang=en", "token=REDACTED", "failing (2 in a row"} {
		if !strings.Contains(all, want) {
			t.Errorf("replies lack %q:\n%s", want, all)
		}
	}
	if !strings.Contains(logs.String(), "feed added") {
		t.Errorf("no feed added log line:\n%s", logs.String())
	}
}

// TestDeferEphemeralMatchesReplies: the router's prediction of a private
// answer (used to defer Discord answers privately) agrees with the
// replies its commands give.
func TestDeferEphemeralMatchesReplies(t *testing.T) {
	r, db := newTestRouter(t)
	ctx := context.Background()
	if _, err := db.UpsertFeed(ctx, store.Feed{URL: "https://wire.example/rss", AddedBy: "config"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Subscribe(ctx, store.Subscription{Platform: "slack", Channel: "C1", Targets: []string{"iraq"}}); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"help", "help search", "topics", "subscriptions", "search drone", "feeds list",
		"feeds", "feeds frob", "frobnicate", "latest iraq", "brief 7d", "story st-erbil"} {
		cmd := slackCmd("C1", text, true)
		want := r.Handle(ctx, cmd).Ephemeral
		if got := r.DeferEphemeral(cmd); got != want {
			t.Errorf("%q: DeferEphemeral = %v, but the reply's Ephemeral = %v", text, got, want)
		}
	}
}
