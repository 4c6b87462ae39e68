package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/config"
)

// TestTenancyWiring checks that the configuration reaches the adapters and
// the router: a signed Discord interaction from a server outside
// discord.guild_ids and a signed Slack command from a workspace outside
// slack.team_ids are refused, and slack.feed_admins narrows feed commands.
func TestTenancyWiring(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected platform API call %s %s", r.Method, r.URL.Path)
		http.Error(w, "no", http.StatusTeapot)
	}))
	defer api.Close()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Slack = config.Slack{BotToken: "xoxb-wiring", SigningSecret: "wiring-secret", APIURL: api.URL + "/",
		TeamIDs: []string{"T0999"}, FeedAdmins: []string{"U0222"}}
	cfg.Discord = config.Discord{Token: "discord-wiring", ApplicationID: "42", PublicKey: hex.EncodeToString(pub),
		APIURL: api.URL + "/", GuildIDs: []string{"900"}}
	var logs bytes.Buffer
	a := policyApp(t, cfg, &logs)
	router := newRouter(a)
	_, ad, err := buildAdapters(a, &bytes.Buffer{}, router)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	ad.routes(mux)

	// Discord: guild 666 is not in guild_ids, 900 is.
	discordList := func(id, guild string) string {
		body := `{"id":"` + id + `","application_id":"42","type":2,"token":"itok","version":1,"guild_id":"` + guild + `","channel_id":"555",
		"member":{"permissions":"32","user":{"id":"u1","username":"mallory"}},
		"data":{"id":"c1","name":"sitrep","type":1,"options":[{"name":"feeds","type":2,"options":[{"name":"list","type":1}]}]}}`
		stamp := strconv.FormatInt(time.Now().Unix(), 10)
		req := httptest.NewRequest(http.MethodPost, "/discord/interactions", strings.NewReader(body))
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(stamp+body))))
		req.Header.Set("X-Signature-Timestamp", stamp)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, req)
		return w.Body.String()
	}
	if got := discordList("7001", "666"); !strings.Contains(got, "isn't set up to answer") {
		t.Errorf("foreign Discord server: %s", got)
	}
	if got := discordList("7002", "900"); strings.Contains(got, "isn't set up") || !strings.Contains(got, "follows no feeds") {
		t.Errorf("configured Discord server: %s", got)
	}

	// Slack: T1 is not in team_ids.
	form := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"}, "command": {"/sitrep"}, "text": {"feeds list"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte("wiring-secret"))
	m.Write([]byte("v0:" + ts + ":" + form))
	req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, req)
	var p struct{ Text string }
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || !strings.Contains(p.Text, "isn't set up to answer") {
		t.Errorf("foreign Slack workspace: %d %s", w.Code, w.Body.String())
	}

	// slack.feed_admins: a workspace admin not on the list is refused.
	cmd := chatCmd("feeds list")
	cmd.User = "U1"
	if rep := router.Handle(context.Background(), cmd); !strings.Contains(rep.Text, "limited to the users") {
		t.Errorf("feed_admins not applied: %q", rep.Text)
	}
	if n := strings.Count(logs.String(), `"outcome":"refused_not_served"`); n != 2 {
		t.Errorf("%d refusal audit lines, want 2:\n%s", n, logs.String())
	}
}
