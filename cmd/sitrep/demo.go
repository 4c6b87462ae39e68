package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"
	"text/template"
	"time"

	"github.com/sitrep-bot/sitrep/config"
	"github.com/sitrep-bot/sitrep/store"
)

//go:embed demo/*
var demoFeeds embed.FS

// demoServer serves the bundled sample feeds on loopback, with publication
// times relative to now so the backfill window lets them through.
// Round 1 serves part of each feed; round 2 adds later reports of the same
// stories, which thread under the first posts.
func demoServer(round *atomic.Int32) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("demo: listen: %w", err)
	}
	base := "http://" + ln.Addr().String()
	now := time.Now().UTC()
	funcs := template.FuncMap{
		"ago": func(d string) string {
			v, _ := time.ParseDuration(d)
			return now.Add(-v).Format(time.RFC1123Z)
		},
		"ago3339": func(d string) string {
			v, _ := time.ParseDuration(d)
			return now.Add(-v).Format(time.RFC3339)
		},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{file}", func(w http.ResponseWriter, r *http.Request) {
		name := path.Join("demo", r.PathValue("file"))
		raw, err := demoFeeds.ReadFile(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		t, err := template.New(name).Funcs(funcs).Parse(string(raw))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, map[string]any{"Base": base, "Round": int(round.Load())}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if strings.HasSuffix(name, ".json") {
			w.Header().Set("Content-Type", "application/feed+json")
		} else {
			w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		}
		w.Write(buf.Bytes())
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return srv, base, nil
}

// demoConfig subscribes two terminal channels to the sample feeds.
func demoConfig(base, dbPath string) (config.Config, error) {
	cfg := config.Default()
	cfg.Database = "sqlite:" + dbPath
	cfg.Network.AllowPrivate = true // the sample feeds are served on loopback
	cfg.Defaults.Article = "never"
	off := 0
	cfg.Delivery.RollupAfter = &off
	names, err := fs.Glob(demoFeeds, "demo/*")
	if err != nil {
		return cfg, err
	}
	for _, n := range names {
		cfg.Feeds = append(cfg.Feeds, config.Feed{URL: base + "/" + path.Base(n)})
	}
	cfg.Subscriptions = []config.Subscription{
		{Platform: "console", Channel: "security-desk", Topics: []string{"border-security", "armed-conflict", "terrorism", "maritime-security"}},
		{Platform: "console", Channel: "yemen-red-sea", Regions: []string{"yemen"}},
	}
	return cfg, cfg.Validate()
}

func cmdDemo(ctx context.Context, args []string, e env) error {
	fs := newFlags("demo", e)
	verbose := fs.Bool("v", false, "log the pipeline's steps to stderr")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	var round atomic.Int32
	round.Store(1)
	srv, base, err := demoServer(&round)
	if err != nil {
		return err
	}
	defer srv.Close()
	dir, err := os.MkdirTemp("", "sitrep-demo-")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer os.RemoveAll(dir)
	cfg, err := demoConfig(base, filepath.Join(dir, "demo.db"))
	if err != nil {
		return fmt.Errorf("demo: config: %w", err)
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	a, err := newApp(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer a.close()
	fmt.Fprintf(e.stdout, "sitrep demo: %d sample feeds (written for this demo) served on %s\n", len(cfg.Feeds), base)
	fmt.Fprintln(e.stdout, "channels: #security-desk (border-security, armed-conflict, terrorism, maritime-security), #yemen-red-sea (yemen)")
	platforms, err := buildPlatforms(ctx, a, e.stdout, nil)
	if err != nil {
		return err
	}
	n, failed, err := pollOnce(ctx, a, platforms, e.stdout, false)
	if err != nil {
		return err
	}
	round.Store(2)
	fmt.Fprintf(e.stdout, "%s\nA later poll: more outlets report the same events. Their reports thread under the first posts.\n", strings.Repeat("═", 72))
	n2, failed2, err := pollOnce(ctx, a, platforms, e.stdout, false)
	if err != nil {
		return err
	}
	n += n2
	if failed+failed2 > 0 {
		return errors.New("demo: some sample feeds failed; rerun with -v to see why")
	}
	stories, err := a.store.Stories(ctx, store.StoryFilter{Limit: 1000})
	if err != nil {
		return err
	}
	sent, err := a.store.Deliveries(ctx, store.StatusSent, 1000)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s\ndemo done: %d items → %d stories → %d messages delivered.\n", strings.Repeat("─", 72), n, len(stories), len(sent))
	return nil
}
