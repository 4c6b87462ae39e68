package config

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadGood(t *testing.T) {
	cfg, err := Load("testdata/good.yaml", env(map[string]string{
		"TEST_SLACK_TOKEN":  "xoxb-secret-token-value",
		"TEST_SLACK_SECRET": "signing-secret-value",
	}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got, want := cfg.HTTP.Listen, "127.0.0.1:9090"; got != want {
		t.Errorf("http.listen = %q, want %q", got, want)
	}
	if got, want := cfg.Defaults.Backfill.D(), 48*time.Hour; got != want {
		t.Errorf("defaults.backfill = %v, want %v", got, want)
	}
	if got, want := cfg.Defaults.Article, "auto"; got != want {
		t.Errorf("defaults.article kept default = %q, want %q", got, want)
	}
	if got, want := cfg.FeedSchedule(cfg.Feeds[0]), "@every 5m"; got != want {
		t.Errorf("FeedSchedule(feeds[0]) = %q, want %q", got, want)
	}
	if got, want := cfg.FeedArticle(cfg.Feeds[1]), "always"; got != want {
		t.Errorf("FeedArticle(feeds[1]) = %q, want %q", got, want)
	}
	if got := cfg.RollupAfter(); got != 0 {
		t.Errorf("RollupAfter = %d, want 0 (explicitly off)", got)
	}
	if got, want := cfg.Slack.BotToken.Value(), "xoxb-secret-token-value"; got != want {
		t.Errorf("slack.bot_token = %q, want the expanded env value", got)
	}
	if got, want := cfg.Discord.APIURL, "https://discord.com/api/v10/"; got != want {
		t.Errorf("discord.api_url default = %q, want %q", got, want)
	}
}

func TestDefaultsAreValid(t *testing.T) {
	cfg, err := Parse(nil, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v, want nil", err)
	}
	if cfg.RollupAfter() != 8 {
		t.Errorf("default rollup_after = %d, want 8", cfg.RollupAfter())
	}
}

func TestValidateNamesEveryBadField(t *testing.T) {
	cfg, err := Load("testdata/bad.yaml", env(nil))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	err = cfg.Validate()
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("Validate() = %v, want Errors", err)
	}
	got := err.Error()
	for _, want := range []string{
		"database: ",
		"defaults.article: ",
		`feeds[0].schedule: not a cron spec or @every: "every now and then"`,
		"feeds[1].url: ",
		"feeds[2].url: same feed as feeds[0]",
		"topics[0].query: ",
		"subscriptions[0].platform: ",
		"subscriptions[0].channel: required",
		`subscriptions[0].regions[0]: unknown region "irak" (did you mean "iraq"?)`,
		"subscriptions[0].digest: ",
		"log.format: ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Validate() output lacks %q; got:\n%s", want, got)
		}
	}
	if n := len(es); n != 11 {
		t.Errorf("len(Errors) = %d, want 11:\n%s", n, got)
	}
}

func TestUnknownKeyIsAnError(t *testing.T) {
	_, err := Parse([]byte("feeds:\n  - url: https://x.example/rss\n    shedule: '@hourly'\n"), env(nil))
	if err == nil || !strings.Contains(err.Error(), "shedule") {
		t.Fatalf("Parse with a misspelt key = %v, want an error naming it", err)
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	const token = "xoxb-very-secret-123"
	cfg, err := Parse([]byte("slack: {bot_token: '${T}', signing_secret: s3cr3t-value}\n"), env(map[string]string{"T": token}))
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	log := slog.New(slog.NewTextHandler(&buf, nil))
	log.Info("config", "slack", cfg.Slack, "token", cfg.Slack.BotToken)
	if strings.Contains(buf.String(), token) || strings.Contains(buf.String(), "s3cr3t-value") {
		t.Errorf("log output leaks a secret: %s", buf.String())
	}
	// A type error on an expanded value must not quote the value.
	_, err = Parse([]byte("network: {allow_private: '${T}'}\n"), env(map[string]string{"T": token}))
	if err == nil {
		t.Fatal("want a type error")
	}
	if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), token[:7]) {
		t.Errorf("error leaks the expanded secret: %v", err)
	}
	// yaml cuts long values short in its messages: no prefix may leak either.
	long := "xoxb-1234567890-abcdefghijklmnopqrstuvwxyz"
	_, err = Parse([]byte("network: {per_host: '${T}'}\n"), env(map[string]string{"T": long}))
	if err == nil || strings.Contains(err.Error(), long[:7]) {
		t.Errorf("error %v leaks a prefix of the secret", err)
	}
	cfg = Default()
	cfg.Database = "postgres:user:hunter22@db/sitrep"
	if err := cfg.Validate(); err == nil || strings.Contains(err.Error(), "hunter22") {
		t.Errorf("a mistyped DSN: %v, want an error that does not echo its password", err)
	}
}

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"24h", 24 * time.Hour, true},
		{"7d", 7 * 24 * time.Hour, true},
		{"90m", 90 * time.Minute, true},
		{"soon", 0, false},
		{"d", 0, false},
	} {
		got, err := ParseDuration(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// TestValidateNeverEchoesEnvironment: a secret from ${VAR} placed in the
// wrong field is reported by its reference, never by its value, whether
// it is the whole field or part of it.
func TestValidateNeverEchoesEnvironment(t *testing.T) {
	const token = "xoxb-1234-wrong-field-secret"
	const key = "k3y-Value\"quoted"
	doc := `
http: {listen: "${SLACK_BOT_TOKEN}"}
log: {level: "${SLACK_BOT_TOKEN}", format: "${SHORT}"}
feeds:
  - url: "${SLACK_BOT_TOKEN}"
  - url: "ftp://feeds.example/rss?apikey=${FEED_KEY}"
subscriptions:
  - {platform: "${SLACK_BOT_TOKEN}", channel: C1}
`
	cfg, err := Parse([]byte(doc), env(map[string]string{"SLACK_BOT_TOKEN": token, "FEED_KEY": key, "SHORT": "ab"}))
	if err != nil {
		t.Fatal(err)
	}
	err = cfg.Validate()
	if err == nil {
		t.Fatal("Validate() = nil, want errors")
	}
	got := err.Error()
	for _, leak := range []string{token, "k3y-Value", `"ab"`} {
		if strings.Contains(got, leak) {
			t.Errorf("Validate() echoes %q:\n%s", leak, got)
		}
	}
	for _, want := range []string{
		`http.listen: want host:port, got "${SLACK_BOT_TOKEN}"`,
		`log.level: want debug, info, warn or error, got "${SLACK_BOT_TOKEN}"`,
		`log.format: want text or json, got "${SHORT}"`,
		`feeds[0].url: want an http(s) URL, got "${SLACK_BOT_TOKEN}"`,
		"feeds[1].url: ",
		`subscriptions[0].platform: want slack, discord or console, got "${SLACK_BOT_TOKEN}"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Validate() lacks %q:\n%s", want, got)
		}
	}
	// Values written in the file itself are still quoted as they are.
	if cfg, err = Parse([]byte("log: {level: loud}\n"), env(nil)); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), `got "loud"`) {
		t.Errorf("plain value: %v", err)
	}
}

func TestMetricsListen(t *testing.T) {
	for _, tc := range []struct {
		listen, metrics string
		ok              bool
	}{
		{"127.0.0.1:8080", "", true},
		{"127.0.0.1:8080", "127.0.0.1:9090", true},
		{"0.0.0.0:8080", ":9090", true},
		{"127.0.0.1:8080", "9090", false},
		{"127.0.0.1:8080", "127.0.0.1:8080", false},
	} {
		cfg := Default()
		cfg.HTTP.Listen, cfg.HTTP.MetricsListen = tc.listen, tc.metrics
		err := cfg.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("listen %q metrics_listen %q: Validate() = %v, want ok=%v", tc.listen, tc.metrics, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "http.metrics_listen") {
			t.Errorf("error does not name http.metrics_listen: %v", err)
		}
	}
}

func TestFeedAllowPrivate(t *testing.T) {
	yes, no := true, false
	cases := []struct {
		name   string
		global bool
		feed   *bool
		want   bool
	}{
		{"inherits off", false, nil, false},
		{"inherits on", true, nil, true},
		{"feed on, global off", false, &yes, true},
		{"feed off, global on", true, &no, false},
	}
	for _, c := range cases {
		cfg := Default()
		cfg.Network.AllowPrivate = c.global
		if got := cfg.FeedAllowPrivate(Feed{URL: "http://10.0.0.5/feed", AllowPrivate: c.feed}); got != c.want {
			t.Errorf("%s: FeedAllowPrivate = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestValidateTenancyAndPrivateFeeds(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string // substrings of the error; none: valid
		not  []string // must not appear (no echo of values)
	}{
		{"loopback feed without allow_private", "feeds: [{url: 'http://127.0.0.1:8080/internal.xml'}]",
			[]string{"feeds[0].allow_private: the feed is on a private or loopback address"}, nil},
		{"localhost feed without allow_private", "feeds: [{url: 'http://localhost/rss'}]",
			[]string{"feeds[0].allow_private"}, nil},
		{"private feed with its own allow_private", "feeds: [{url: 'http://10.1.2.3/rss', allow_private: true}]", nil, nil},
		{"private feed with network.allow_private", "network: {allow_private: true}\nfeeds: [{url: 'http://[::1]/rss'}]", nil, nil},
		{"private feed opted out of network.allow_private", "network: {allow_private: true}\nfeeds: [{url: 'http://192.168.1.4/rss', allow_private: false}]",
			[]string{"feeds[0].allow_private"}, nil},
		{"public feed", "feeds: [{url: 'https://news.example/rss'}]", nil, nil},
		{"good ids", "slack: {team_ids: [T0123ABCD, E0999], feed_admins: [U01ABC, W02XYZ]}\n" +
			"discord: {guild_ids: ['123456789012345678'], feed_admins: ['42'], guild_id: '7'}", nil, nil},
		{"bad ids", "slack: {team_ids: ['xoxb-secret-in-wrong-field', T12, T12, T1], feed_admins: [u01abc]}\n" +
			"discord: {guild_ids: [my-server], feed_admins: ['']}",
			[]string{"slack.team_ids[0]: want a workspace id", "slack.team_ids[2]: duplicate id", "slack.team_ids[3]: want",
				"slack.feed_admins[0]: want a user id", "discord.guild_ids[0]: want a server id", "discord.feed_admins[0]: want a user id"},
			[]string{"xoxb-secret", "my-server"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse([]byte(c.yaml), env(nil))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = cfg.Validate()
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want %q", c.want)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v\nwant it to contain %q", err, w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(err.Error(), n) {
					t.Errorf("Validate() echoes %q: %v", n, err)
				}
			}
		})
	}
}

func TestSubscriptionSecurityOnly(t *testing.T) {
	cfg, err := Parse([]byte("subscriptions:\n  - {platform: slack, channel: C1, regions: [iraq], security_only: true}\n  - {platform: slack, channel: C2, regions: [iraq]}\n"), env(nil))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if !cfg.Subscriptions[0].SecurityOnly || cfg.Subscriptions[1].SecurityOnly {
		t.Errorf("security_only = %v, %v; want true, then the default false", cfg.Subscriptions[0].SecurityOnly, cfg.Subscriptions[1].SecurityOnly)
	}
	_, err = Parse([]byte("subscriptions:\n  - {platform: slack, channel: C1, security_only: sometimes}\n"), env(nil))
	if err == nil || !strings.Contains(err.Error(), "sometimes") {
		t.Errorf("security_only: sometimes = %v, want an error naming the value", err)
	}
}

// TestSecretFromFile: ${VAR} falls back to the file named by VAR_FILE
// (a Docker secret), without its final newline; the variable itself wins;
// an unreadable file is an error naming the variable, not a silent "".
func TestSecretFromFile(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "db_password")
	if err := os.WriteFile(pw, []byte("s3cr3t-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	doc := []byte("database: postgres://sitrep:${DB_PASSWORD}@db:5432/sitrep\n")
	cfg, err := Parse(doc, env(map[string]string{"DB_PASSWORD_FILE": pw}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Database != "postgres://sitrep:s3cr3t-from-file@db:5432/sitrep" {
		t.Errorf("database = %q", cfg.Database)
	}
	if cfg, err = Parse(doc, env(map[string]string{"DB_PASSWORD": "from-env", "DB_PASSWORD_FILE": pw})); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cfg.Database, ":from-env@") {
		t.Errorf("the variable should win over its file: %q", cfg.Database)
	}
	_, err = Parse(doc, env(map[string]string{"DB_PASSWORD_FILE": filepath.Join(dir, "missing")}))
	if err == nil || !strings.Contains(err.Error(), "DB_PASSWORD_FILE") {
		t.Errorf("missing secret file: %v, want an error naming DB_PASSWORD_FILE", err)
	}
}
