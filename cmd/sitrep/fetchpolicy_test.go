package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/config"
	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store"
)

// internalServer stands in for an internal host on loopback: an internal
// page, an internal feed and a page advertising that feed. It counts the
// requests that reach it.
func internalServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	var base string
	mux := http.NewServeMux()
	mux.HandleFunc("/internal", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>Internal</title></head><body><article><p>`+
			strings.Repeat("The internal payroll system holds every salary and bank account of the staff. ", 8)+
			`</p></article></body></html>`)
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, testFeed, base, time.Now().Add(-time.Hour).UTC().Format(time.RFC1123Z))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head></html>`)
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	base = srv.URL
	return srv, &hits
}

// policyApp wires the app for cfg on a fresh database, logging to logs.
func policyApp(t *testing.T, cfg config.Config, logs *bytes.Buffer) *app {
	t.Helper()
	cfg.Database = "sqlite:" + filepath.Join(t.TempDir(), "db.sqlite")
	cfg.Defaults.Article = "never"
	if err := cfg.Validate(); err != nil {
		t.Fatalf("config: %v", err)
	}
	a, err := newApp(context.Background(), cfg, slog.New(slog.NewJSONHandler(logs, nil)), false)
	if err != nil {
		t.Fatalf("newApp: %v", err)
	}
	t.Cleanup(a.close)
	return a
}

func chatCmd(text string) bot.Command {
	w := strings.Fields(text)
	return bot.Command{Platform: "slack", Team: "T1", Channel: "C1", User: "U1", Name: w[0], Args: w[1:], Text: text,
		IsAdmin: func(context.Context) (bool, error) { return true, nil }}
}

// TestChatFetchesIgnoreAllowPrivate reproduces the chat SSRF: with
// network.allow_private set for an internal config feed, chat's summarize
// and feeds add of loopback URLs are refused and never reach the host,
// a chat-added loopback feed is not polled, and the config feed is.
func TestChatFetchesIgnoreAllowPrivate(t *testing.T) {
	srv, hits := internalServer(t)
	cfg := config.Default()
	cfg.Network.AllowPrivate = true
	cfg.Feeds = []config.Feed{{URL: srv.URL + "/feed.xml", Name: "Intranet"}}
	var logs bytes.Buffer
	a := policyApp(t, cfg, &logs)
	ctx := context.Background()
	r := newRouter(a)

	for _, text := range []string{
		"summarize " + srv.URL + "/internal",
		"feeds add " + srv.URL + "/",
		"feeds add " + srv.URL + "/feed.xml",
	} {
		rep := r.Handle(ctx, chatCmd(text))
		if !strings.Contains(rep.Text, "only reaches public web sites") || strings.Contains(rep.Text, "payroll") {
			t.Errorf("%s: reply %q, want a refusal", text, rep.Text)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("chat commands reached the internal host %d times", n)
	}
	if list, err := a.store.Feeds(ctx); err != nil {
		t.Fatal(err)
	} else if len(list) != 1 {
		t.Errorf("feeds after refused adds = %+v, want the config feed only", list)
	}
	if !strings.Contains(logs.String(), `"msg":"feeds: fetch refused"`) {
		t.Errorf("no audit line for the refused fetches:\n%s", logs.String())
	}

	// A feed added from chat earlier (or by another route) is polled
	// through the guard too.
	chatFeed, err := a.store.UpsertFeed(ctx, store.Feed{URL: srv.URL + "/feed.xml?chat", AddedBy: "discord:D1"})
	if err != nil {
		t.Fatal(err)
	}
	if res := a.pipeline.Poll(ctx, chatFeed, true); !errors.Is(res.Err, feeds.ErrPrivateAddress) {
		t.Errorf("poll of a chat-added loopback feed: err %v, want ErrPrivateAddress", res.Err)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the chat-added feed's poll reached the internal host")
	}

	// The configured feed is polled.
	cf, err := a.store.Feed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	res := a.pipeline.Poll(ctx, cf, true)
	if res.Err != nil || len(res.New) == 0 {
		t.Fatalf("poll of the config feed: %d new, err %v", len(res.New), res.Err)
	}
}

// TestPerFeedAllowPrivate: allow_private on one configured feed lets that
// feed reach loopback while network.allow_private stays off for the rest.
func TestPerFeedAllowPrivate(t *testing.T) {
	srv, _ := internalServer(t)
	yes := true
	cfg := config.Default()
	cfg.Feeds = []config.Feed{{URL: srv.URL + "/feed.xml", AllowPrivate: &yes}}
	var logs bytes.Buffer
	a := policyApp(t, cfg, &logs)
	ctx := context.Background()
	opml, err := a.store.UpsertFeed(ctx, store.Feed{URL: srv.URL + "/feed.xml?opml", AddedBy: "opml"})
	if err != nil {
		t.Fatal(err)
	}
	if res := a.pipeline.Poll(ctx, opml, true); !errors.Is(res.Err, feeds.ErrPrivateAddress) {
		t.Errorf("OPML feed without network.allow_private: err %v, want ErrPrivateAddress", res.Err)
	}
	cf, err := a.store.Feed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	if res := a.pipeline.Poll(ctx, cf, true); res.Err != nil || len(res.New) == 0 {
		t.Fatalf("poll of the allow_private feed: %d new, err %v", len(res.New), res.Err)
	}
}

// TestChatSSRFFormsRefused: with allow_private false, every spelling of a
// loopback address typed in chat is refused without reaching the host.
func TestChatSSRFFormsRefused(t *testing.T) {
	srv, hits := internalServer(t)
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	a := policyApp(t, config.Default(), &logs)
	r := newRouter(a)
	forms := []string{
		srv.URL + "/internal",
		"http://localhost:" + port + "/internal",
		"http://[::1]:" + port + "/internal",
		"http://[::ffff:127.0.0.1]:" + port + "/internal",
		"http://0.0.0.0:" + port + "/internal",
		"http://127.1:" + port + "/internal",
		"http://2130706433:" + port + "/internal",
		"http://0x7f000001:" + port + "/internal",
		"http://user:pass@127.0.0.1:" + port + "/internal",
		"127.0.0.1:" + port + "/internal",
	}
	for _, u := range forms {
		for _, cmd := range []string{"summarize ", "feeds add "} {
			rep := r.Handle(context.Background(), chatCmd(cmd+u))
			if strings.Contains(rep.Text, "payroll") || strings.HasPrefix(rep.Title, "Feed added") {
				t.Errorf("%s%s: fetched: %+v", cmd, u, rep)
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("SSRF forms reached the host %d times", n)
	}
}
