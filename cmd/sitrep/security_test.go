package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFeedSecretsRedactedInLogsAndStatus: a feed URL with a password and
// an API key (one that works, one refused with 401) is polled with debug
// logging; neither the logs, `poll --json` nor `sitrep status` show the
// secrets, and status still tells the feeds apart.
func TestFeedSecretsRedactedInLogsAndStatus(t *testing.T) {
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("apikey") != "g00dk3y" {
			http.Error(w, "bad key", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, testFeed, srvURL, time.Now().Add(-time.Hour).UTC().Format(time.RFC1123Z))
	}))
	defer srv.Close()
	srvURL = srv.URL
	host := strings.TrimPrefix(srv.URL, "http://")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sitrep.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`database: sqlite:%s
network: {allow_private: true}
defaults: {article: never}
log: {level: debug}
feeds:
  - {url: %q}
  - {url: %q, name: Refused}
`, filepath.Join(dir, "db.sqlite"),
		"http://reader:pa55w0rd@"+host+"/feed.xml?apikey=g00dk3y&lang=en",
		"http://"+host+"/other.xml?token=b4dt0k3n")), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runCmd(t, "", "poll", "--once", "--json", "--config", cfg)
	if code != 0 {
		t.Fatalf("poll exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "apikey=REDACTED") {
		t.Errorf("poll --json does not name the feed redacted:\n%s", out)
	}
	code, status, statusErr := runCmd(t, "", "status", "--config", cfg)
	if code != 0 {
		t.Fatalf("status exit %d: %s", code, statusErr)
	}
	for _, secret := range []string{"pa55w0rd", "g00dk3y", "b4dt0k3n"} {
		for name, text := range map[string]string{"poll stdout": out, "poll logs": errOut, "status": status, "status logs": statusErr} {
			if strings.Contains(text, secret) {
				t.Errorf("%s shows %q:\n%s", name, secret, text)
			}
		}
	}
	for _, want := range []string{"http://REDACTED@" + host + "/feed.xml?apikey=REDACTED&lang=en", "/other.xml?token=REDACTED", "401"} {
		if !strings.Contains(status, want) {
			t.Errorf("status lacks %q:\n%s", want, status)
		}
	}
	if !strings.Contains(errOut, "feed_url=") {
		t.Errorf("debug logs name no feed at all (the test would prove nothing):\n%s", errOut)
	}
}

// TestCheckConfigNeverEchoesEnvironment: `sitrep check-config` names a
// secret from the environment placed in the wrong field by its ${VAR}
// reference, never by its value.
func TestCheckConfigNeverEchoesEnvironment(t *testing.T) {
	const token = "xoxb-9999-misplaced-secret"
	cfg := filepath.Join(t.TempDir(), "sitrep.yaml")
	if err := os.WriteFile(cfg, []byte("slack: {bot_token: '${SLACK_SIGNING_SECRET}', signing_secret: '${SLACK_BOT_TOKEN}'}\n"+
		"log: {level: '${SLACK_BOT_TOKEN}'}\nfeeds:\n  - url: '${SLACK_BOT_TOKEN}'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	getenv := func(k string) string {
		if k == "SLACK_BOT_TOKEN" {
			return token
		}
		return ""
	}
	code := runMain(t.Context(), []string{"check-config", cfg}, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: getenv})
	if code == 0 {
		t.Fatalf("check-config passed:\n%s", out.String())
	}
	all := out.String() + errb.String()
	if strings.Contains(all, token) || strings.Contains(all, "misplaced") {
		t.Errorf("check-config echoes the secret:\n%s", all)
	}
	if !strings.Contains(all, `log.level: want debug, info, warn or error, got "${SLACK_BOT_TOKEN}"`) {
		t.Errorf("check-config does not name the reference:\n%s", all)
	}
}
