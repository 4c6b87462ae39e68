package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sitrep-bot/sitrep/internal/chatfake"
	"github.com/sitrep-bot/sitrep/store/postgres"
)

// freshDatabase creates an empty PostgreSQL database for one test and
// returns its URL; it skips without SITREP_TEST_POSTGRES.
func freshDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv("SITREP_TEST_POSTGRES")
	if base == "" {
		t.Skip("SITREP_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect %s: %v", base, err)
	}
	name := fmt.Sprintf("sitrep_e2e_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		if err := conn.Close(ctx); err != nil {
			t.Logf("close: %v", err)
		}
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		if err := conn.Close(ctx); err != nil {
			t.Logf("close: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// TestReplicasOnPostgres runs two `sitrep run` replicas on one PostgreSQL
// database, kills one mid-run, and checks every story is delivered once
// and no feed is polled more often than its schedule.
func TestReplicasOnPostgres(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("subprocess replica test")
	}
	dbURL := freshDatabase(t)
	slack, discord := chatfake.NewSlack(), chatfake.NewDiscord()
	defer slack.Close()
	defer discord.Close()
	slack.RateLimit("chat.postMessage", 2)
	discord.RateLimit(2)
	var mu sync.Mutex
	polls := map[string][]time.Time{}
	feedsSrv := storyFeeds(t, func(path string) {
		mu.Lock()
		polls[path] = append(polls[path], time.Now())
		mu.Unlock()
	}, nil)
	dir := t.TempDir()
	const period = 3 * time.Second
	cfg := e2eConfig(t, dir, dbURL, "@every 3s", feedsSrv.URL, slack, discord)
	logsA, logsB := &syncBuilder{}, &syncBuilder{}
	start := time.Now()
	a := startSitrep(t, cfg, logsA)
	b := startSitrep(t, cfg, logsB)
	time.Sleep(4 * time.Second)
	a.kill() // mid-run: it holds feeds and deliveries; b must take over
	killedAfter := len(slack.Messages())

	st, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	waitDrained(t, st, 2*len(places), 4*time.Minute)
	time.Sleep(2 * period) // a few more ticks on the survivor
	b.stop()
	select {
	case err := <-b.done:
		if err != nil {
			t.Errorf("replica b after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("replica b did not stop within 10 s of SIGTERM")
	}
	elapsed := time.Since(start)
	ns, nd := checkOnce(t, st, slack, discord, len(places)-2)

	mu.Lock()
	defer mu.Unlock()
	// Once per period at most, however many replicas run (plus the first
	// poll at start and one for clock slack between replicas).
	limit := int(elapsed/period) + 2
	for path, at := range polls {
		if len(at) > limit {
			t.Errorf("%s polled %d times in %v, want at most %d (every %v)", path, len(at), elapsed.Round(time.Second), limit, period)
		}
		// Two replicas polling one tick would fetch within milliseconds;
		// scheduling jitter alone stays well above half a period.
		for i := 1; i < len(at); i++ {
			if gap := at[i].Sub(at[i-1]); gap < period/2 {
				t.Errorf("%s polled twice within %v (poll %d and %d)", path, gap.Round(time.Millisecond), i, i+1)
			}
		}
	}
	t.Logf("two replicas on PostgreSQL, one killed after %d slack messages: %d slack and %d discord deliveries once each; polls per feed in %v: alpha %d, bravo %d",
		killedAfter, ns, nd, elapsed.Round(time.Second), len(polls["/alpha.xml"]), len(polls["/bravo.xml"]))
	if t.Failed() {
		t.Logf("replica a logs:\n%s\nreplica b logs:\n%s", tail(logsA.String(), 30), tail(logsB.String(), 40))
	}
}
