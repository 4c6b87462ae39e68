package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/internal/chatfake"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/store/sqlite"
)

const e2eSigningSecret = "e2e-signing-secret"

var listenRE = regexp.MustCompile(`"listen":"([^"]+)"`)

// waitListen returns the HTTP address a started sitrep logged.
func waitListen(t *testing.T, logs *syncBuilder) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		logs.mu.Lock()
		m := listenRE.FindStringSubmatch(logs.String())
		logs.mu.Unlock()
		if m != nil {
			return "http://" + m[1]
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("sitrep did not log its listen address:\n%s", tail(logs.String(), 20))
	return ""
}

// slackCommand posts a slash command signed like Slack does (v0 HMAC).
func slackCommand(t *testing.T, base, channel, text string, ts time.Time, secret string) (int, string, time.Duration) {
	t.Helper()
	form := url.Values{
		"token": {"x"}, "team_id": {"T1"}, "channel_id": {channel}, "user_id": {"U1"}, "user_name": {"analyst"},
		"command": {"/sitrep"}, "text": {text}, "response_url": {"http://127.0.0.1:1/unused"}, "trigger_id": {"1.2.3"},
	}
	body := form.Encode()
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + stamp + ":" + body)) // a hash.Hash never returns an error
	req, err := http.NewRequest(http.MethodPost, base+"/slack/commands", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	return resp.StatusCode, string(b), time.Since(start)
}

// discordInteraction posts an interaction signed with the application's key.
func discordInteraction(t *testing.T, base string, priv ed25519.PrivateKey, payload any, ts time.Time) (int, map[string]any, time.Duration) {
	t.Helper()
	body := mustJSON(t, payload)
	stamp := strconv.FormatInt(ts.Unix(), 10)
	sig := ed25519.Sign(priv, append([]byte(stamp), body...))
	req, err := http.NewRequest(http.MethodPost, base+"/discord/interactions", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	req.Header.Set("X-Signature-Timestamp", stamp)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil && resp.StatusCode == http.StatusOK { // refusals need not be JSON
		t.Fatalf("decode answer: %v", err)
	}
	return resp.StatusCode, out, time.Since(start)
}

// TestChatEndToEnd runs `sitrep run` against fake Slack and Discord:
// subscribed channels get only their stories, a story's other reports
// thread under one root, a restart posts nothing twice, and signed slash
// commands and interactions are answered (forged and stale ones refused).
func TestChatEndToEnd(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("subprocess end-to-end test")
	}
	slack, discord := chatfake.NewSlack(), chatfake.NewDiscord()
	defer slack.Close()
	defer discord.Close()
	slack.RateLimit("chat.postMessage", 2)
	discord.RateLimit(2)
	var bravo atomic.Bool
	feedsSrv := storyFeeds(t, func(string) {}, bravo.Load)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "sitrep.db")
	cfg, priv := e2eConfigKey(t, dir, "sqlite:"+dbPath, "@every 2s", feedsSrv.URL, slack, discord,
		"  - {platform: slack, channel: C0YEMEN, regions: [yemen]}\n  - {platform: discord, channel: \"333000000000000000\", regions: [syria]}\n"+
			"  - {platform: slack, channel: C0DIGEST, regions: [iraq], digest: \"@every 4s\"}")
	logs := &syncBuilder{}
	p := startSitrep(t, cfg, logs)
	waitListen(t, logs)
	st, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	waitDrained(t, st, 2*len(places), 4*time.Minute)
	// A second outlet now reports some of the same events.
	bravo.Store(true)
	threadDeadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(threadDeadline) {
		n := 0
		for _, m := range slack.Messages() {
			if m.Channel == "C0ALL" && m.ThreadTS != "" {
				n++
			}
		}
		if n >= 5 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	waitDrained(t, st, 2*len(places), 2*time.Minute)

	// Only their stories: every root post in the region channels is about that region.
	ctx := context.Background()
	regionOf := map[string][]string{}
	stories, err := st.Stories(ctx, store.StoryFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stories {
		regionOf[s.ID] = s.Regions
	}
	yemenRoots := 0
	for _, m := range slack.Messages() {
		if m.Channel == "C0YEMEN" {
			story := fmt.Sprint(m.Payload["story_id"])
			if !slices.Contains(regionOf[story], "yemen") {
				t.Errorf("C0YEMEN got story %s with regions %v", story, regionOf[story])
			}
			if m.ThreadTS == "" {
				yemenRoots++
				if !strings.Contains(string(m.Blocks), `"type":"header"`) || !strings.Contains(string(m.Blocks), "http") {
					t.Errorf("root post is not Block Kit with a header and a link: %s", m.Blocks)
				}
			}
		}
	}
	if yemenRoots < 4 {
		t.Errorf("C0YEMEN got %d root posts, want the ≥4 Yemen stories", yemenRoots)
	}
	syria := 0
	for _, m := range discord.Messages() {
		if m.ChannelID == "333000000000000000" && m.ReplyTo == "" {
			syria++
		}
	}
	if syria < 4 {
		t.Errorf("discord syria channel got %d root posts, want ≥4", syria)
	}
	// The digest channel gets scheduled briefs, not real-time posts.
	digestDeadline := time.Now().Add(20 * time.Second)
	for {
		var kinds []string
		for _, m := range slack.Messages() {
			if m.Channel == "C0DIGEST" {
				kinds = append(kinds, fmt.Sprint(m.Payload["kind"]))
			}
		}
		if len(kinds) > 0 {
			for _, k := range kinds {
				if k != "digest" {
					t.Errorf("digest channel got a %q message, want only digests", k)
				}
			}
			break
		}
		if time.Now().After(digestDeadline) {
			t.Errorf("no scheduled brief reached the digest channel")
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Threading: updates in the all-stories channel reply to a root.
	threaded := 0
	for _, m := range slack.Messages() {
		if m.Channel == "C0ALL" && m.ThreadTS != "" {
			threaded++
		}
	}
	if threaded == 0 {
		t.Errorf("no threaded updates in C0ALL")
	}
	edited := 0
	for _, m := range slack.Messages() {
		if m.Channel == "C0ALL" && m.ThreadTS == "" && m.Updates > 0 {
			edited++
		}
	}
	if edited == 0 {
		t.Errorf("no root was updated (chat.update) to list its new sources")
	}

	// Restart: nothing is posted again.
	realtime := func() int {
		n := 0
		for _, m := range slack.Messages() {
			if m.Channel != "C0DIGEST" {
				n++
			}
		}
		return n
	}
	before, beforeD := realtime(), len(discord.Messages())
	p.stop()
	if err := <-p.done; err != nil {
		t.Logf("first run exited: %v", err)
	}
	logs2 := &syncBuilder{}
	startSitrep(t, cfg, logs2)
	base := waitListen(t, logs2)
	time.Sleep(3 * time.Second)
	if after := realtime(); after != before {
		t.Errorf("restart posted %d more slack messages", after-before)
	}
	if after := len(discord.Messages()); after != beforeD {
		t.Errorf("restart posted %d more discord messages", after-beforeD)
	}

	// Slack slash commands, signed.
	now := time.Now()
	for _, tc := range []struct {
		name, channel, text string
		want                []string
	}{
		{"help", "C0NEW", "help", []string{"subscribe", "search", "latest", "brief", "summarize"}},
		{"nonsense", "C0NEW", "make me a sandwich", []string{"subscribe", "search"}},
		{"topics", "C0NEW", "topics", []string{"border-security", "iraq", "kurdistan-region"}},
		{"subscribe", "C0NEW", "subscribe iraq border-security", []string{"iraq"}},
		{"subscriptions", "C0NEW", "subscriptions", []string{"iraq", "border-security"}},
		{"latest region", "C0NEW", "latest yemen 3", []string{"Yemen"}},
		{"search", "C0NEW", "search Kirkuk", []string{"Kirkuk"}},
		{"brief", "C0NEW", "brief 7d iraq", []string{"Iraq"}},
	} {
		code, body, took := slackCommand(t, base, tc.channel, tc.text, now, e2eSigningSecret)
		if code != http.StatusOK {
			t.Errorf("slack %s: status %d: %s", tc.name, code, body)
			continue
		}
		if took > 3*time.Second {
			t.Errorf("slack %s took %v, want < 3s", tc.name, took)
		}
		for _, w := range tc.want {
			if !strings.Contains(strings.ToLower(body), strings.ToLower(w)) {
				t.Errorf("slack %s: reply lacks %q: %s", tc.name, w, body)
			}
		}
	}
	if code, body, _ := slackCommand(t, base, "C0NEW", "help", now, "forged-secret"); code != http.StatusUnauthorized {
		t.Errorf("forged slack command: status %d, want 401: %s", code, body)
	}
	if code, body, _ := slackCommand(t, base, "C0NEW", "help", now.Add(-10*time.Minute), e2eSigningSecret); code != http.StatusUnauthorized {
		t.Errorf("10-minute-old slack command: status %d, want 401: %s", code, body)
	}

	// Operations endpoints.
	for path, want := range map[string]string{
		"/healthz": "ok",
		"/readyz":  "ready",
		"/metrics": "sitrep_deliveries_total",
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("GET %s: %d, body lacks %q", path, resp.StatusCode, want)
		}
		if path == "/metrics" {
			for _, series := range []string{"sitrep_feed_fetches_total", "sitrep_feed_fetch_seconds", "sitrep_items_new_total",
				"sitrep_stories_new_total", "sitrep_delivery_latency_seconds", "sitrep_outbox_pending", "sitrep_feeds_failing"} {
				if !strings.Contains(string(b), series) {
					t.Errorf("/metrics lacks %s", series)
				}
			}
		}
	}

	// Discord interactions, signed.
	if code, out, _ := discordInteraction(t, base, priv, map[string]any{"type": 1, "id": "1", "application_id": "123456", "token": "t"}, now); code != 200 || out["type"] != float64(1) {
		t.Errorf("discord PING: %d %v, want 200 type 1", code, out)
	}
	_, forged, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, _ := discordInteraction(t, base, forged, map[string]any{"type": 1}, now); code != http.StatusUnauthorized {
		t.Errorf("forged discord interaction: status %d, want 401", code)
	}
	search := map[string]any{
		"type": 2, "id": "99", "application_id": "123456", "token": "tok", "channel_id": "444", "guild_id": "555",
		"member": map[string]any{"user": map[string]any{"id": "7", "username": "analyst"}, "permissions": "0"},
		"data": map[string]any{"id": "1", "name": "sitrep", "type": 1, "options": []any{
			map[string]any{"name": "search", "type": 1, "options": []any{map[string]any{"name": "query", "type": 3, "value": "Marib"}}},
		}},
	}
	code, out, took := discordInteraction(t, base, priv, search, now)
	if code != 200 || took > 3*time.Second {
		t.Errorf("discord /sitrep search: status %d in %v", code, took)
	}
	if b := mustJSON(t, out); !strings.Contains(string(b), "Marib") {
		t.Errorf("discord /sitrep search reply lacks the matching story: %s", b)
	}
	if t.Failed() {
		t.Logf("logs:\n%s", tail(logs2.String(), 40))
	}
}
