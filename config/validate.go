package config

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/internal/redact"
	"github.com/sitrep-bot/sitrep/topics"
)

// FieldError is one problem in a configuration, at a field path such as
// "feeds[1].schedule".
type FieldError struct {
	Path string
	Msg  string
}

// Error formats the problem as "path: message".
func (e FieldError) Error() string { return e.Path + ": " + e.Msg }

// Errors is every problem found by Validate.
type Errors []FieldError

// Error lists the problems, one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Platforms that subscriptions may name.
var Platforms = []string{"slack", "discord", "console"}

var articleModes = []string{"auto", "always", "never"}

// ValidSchedule reports whether spec is a cron spec (5 fields) or a
// descriptor such as @every 10m or @hourly.
func ValidSchedule(spec string) error {
	if strings.TrimSpace(spec) == "" {
		return fmt.Errorf("empty schedule")
	}
	if _, err := cron.ParseStandard(spec); err != nil {
		return fmt.Errorf("not a cron spec or @every: %q", spec)
	}
	return nil
}

// Validate checks every field and returns Errors (nil when valid).
func (c Config) Validate() error {
	var es Errors
	add := func(path, format string, args ...any) {
		es = append(es, FieldError{Path: path, Msg: c.hideEnv(format, args...)})
	}
	switch {
	case strings.HasPrefix(c.Database, "sqlite:"):
		if strings.TrimPrefix(c.Database, "sqlite:") == "" {
			add("database", "sqlite: needs a file path, e.g. sqlite:sitrep.db")
		}
	case strings.HasPrefix(c.Database, "postgres://"), strings.HasPrefix(c.Database, "postgresql://"):
		if _, err := url.Parse(c.Database); err != nil {
			add("database", "not a postgres URL")
		}
	default:
		// Never echo the value: a mistyped DSN may hold a password.
		add("database", "want sqlite:FILE or postgres://user@host:5432/db")
	}
	if _, _, err := net.SplitHostPort(c.HTTP.Listen); err != nil {
		add("http.listen", "want host:port, got %q", c.HTTP.Listen)
	}
	if m := c.HTTP.MetricsListen; m != "" {
		if _, port, err := net.SplitHostPort(m); err != nil {
			add("http.metrics_listen", "want host:port, got %q", m)
		} else if m == c.HTTP.Listen && port != "0" {
			add("http.metrics_listen", "must differ from http.listen (leave it empty to serve /metrics there)")
		}
	}
	if c.Network.PerHost < 1 || c.Network.PerHost > 64 {
		add("network.per_host", "want 1 to 64, got %d", c.Network.PerHost)
	}
	if err := ValidSchedule(c.Defaults.Schedule); err != nil {
		add("defaults.schedule", "%v", err)
	}
	if !slices.Contains(articleModes, c.Defaults.Article) {
		add("defaults.article", "want auto, always or never, got %q", c.Defaults.Article)
	}
	if c.Defaults.Backfill < 0 {
		add("defaults.backfill", "must not be negative")
	}
	seen := map[string]int{}
	for i, f := range c.Feeds {
		p := fmt.Sprintf("feeds[%d]", i)
		if err := checkHTTPURL(f.URL); err != nil {
			add(p+".url", "%v", err)
		} else if j, dup := seen[f.URL]; dup {
			add(p+".url", "same feed as feeds[%d]", j)
		} else {
			seen[f.URL] = i
		}
		if f.Schedule != "" {
			if err := ValidSchedule(f.Schedule); err != nil {
				add(p+".schedule", "%v", err)
			}
		}
		if f.Article != "" && !slices.Contains(articleModes, f.Article) {
			add(p+".article", "want auto, always or never, got %q", f.Article)
		}
		if u, err := url.Parse(f.URL); err == nil && feeds.IsPrivateHost(u.Host) && !c.FeedAllowPrivate(f) {
			add(p+".allow_private", "the feed is on a private or loopback address; set allow_private: true on this feed "+
				"(or network.allow_private) to poll it")
		}
	}
	userTopics := map[string]bool{}
	for i, t := range c.Topics {
		p := fmt.Sprintf("topics[%d]", i)
		switch {
		case t.Name == "":
			add(p+".name", "required")
		case userTopics[t.Name]:
			add(p+".name", "duplicate topic %q", t.Name)
		case topics.IsTopic(t.Name) || topics.IsRegion(t.Name):
			add(p+".name", "%q is already a built-in topic or region", t.Name)
		}
		userTopics[t.Name] = true
		if _, err := topics.ParseQuery(t.Query); err != nil {
			add(p+".query", "%v", err)
		}
	}
	if c.RollupAfter() < 0 {
		add("delivery.rollup_after", "must be 0 (off) or more")
	}
	if c.Delivery.Lease.D() < time.Second {
		add("delivery.lease", "must be at least 1s")
	}
	if c.Delivery.Batch < 1 || c.Delivery.Batch > 500 {
		add("delivery.batch", "want 1 to 500, got %d", c.Delivery.Batch)
	}
	if c.Defaults.PollLease.D() < time.Second {
		add("defaults.poll_lease", "must be at least 1s")
	}
	for i, s := range c.Subscriptions {
		p := fmt.Sprintf("subscriptions[%d]", i)
		if !slices.Contains(Platforms, s.Platform) {
			add(p+".platform", "want slack, discord or console, got %q", s.Platform)
		}
		if s.Channel == "" {
			add(p+".channel", "required")
		}
		for j, r := range s.Regions {
			if !topics.IsRegion(r) {
				add(fmt.Sprintf("%s.regions[%d]", p, j), "unknown region %q%s", r, didYouMean(r, regionSlugs()))
			}
		}
		for j, t := range s.Topics {
			if !topics.IsTopic(t) && !userTopics[t] {
				add(fmt.Sprintf("%s.topics[%d]", p, j), "unknown topic %q%s", t, didYouMean(t, append(topics.BuiltinTopics(), keys(userTopics)...)))
			}
		}
		if s.Digest != "" {
			if err := ValidSchedule(s.Digest); err != nil {
				add(p+".digest", "%v", err)
			}
		}
	}
	if c.Slack.BotToken != "" && c.Slack.SigningSecret == "" && c.Slack.AppToken == "" {
		add("slack.signing_secret", "required with bot_token (or set app_token for Socket Mode)")
	}
	checkIDs(add, "slack.team_ids", c.Slack.TeamIDs, isSlackID("TE"), "a workspace id such as T0123ABCD")
	checkIDs(add, "slack.feed_admins", c.Slack.FeedAdmins, isSlackID("UW"), "a user id such as U0123ABCD")
	checkIDs(add, "discord.guild_ids", c.Discord.GuildIDs, isSnowflake, "a server id (digits)")
	checkIDs(add, "discord.feed_admins", c.Discord.FeedAdmins, isSnowflake, "a user id (digits)")
	if c.Discord.GuildID != "" && !isSnowflake(c.Discord.GuildID) {
		add("discord.guild_id", "want a server id (digits)")
	}
	if err := checkHTTPURL(c.Slack.APIURL); err != nil {
		add("slack.api_url", "%v", err)
	}
	if err := checkHTTPURL(c.Discord.APIURL); err != nil {
		add("discord.api_url", "%v", err)
	}
	if c.Discord.PublicKey != "" && len(c.Discord.PublicKey) != 64 {
		add("discord.public_key", "want the 64 hex characters of the application's public key")
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		add("log.format", "want text or json, got %q", c.Log.Format)
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, strings.ToLower(c.Log.Level)) {
		add("log.level", "want debug, info, warn or error, got %q", c.Log.Level)
	}
	if len(es) == 0 {
		return nil
	}
	return es
}

// minEnvEcho is the shortest environment value hidden inside free text;
// shorter ones are hidden only where they are a whole argument.
const minEnvEcho = 4

// hideEnv formats a validation message with every value that came from
// the environment shown as the ${VAR} reference the file holds: a secret
// put in the wrong field must not be printed by check-config or at start.
func (c Config) hideEnv(format string, args ...any) string {
	if len(c.fromEnv) == 0 {
		return fmt.Sprintf(format, args...)
	}
	for i, a := range args {
		if s, ok := a.(string); ok {
			if ref, hit := c.fromEnv[s]; hit {
				args[i] = ref
			}
		}
	}
	msg := fmt.Sprintf(format, args...)
	// Longest first, so a whole expanded scalar wins over its parts.
	vals := make([]string, 0, len(c.fromEnv))
	for v := range c.fromEnv {
		vals = append(vals, v)
	}
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	for _, v := range vals {
		if len(v) >= minEnvEcho {
			msg = strings.ReplaceAll(msg, v, c.fromEnv[v])
			// as %q writes it
			if q := strconv.Quote(v); q[1:len(q)-1] != v {
				msg = strings.ReplaceAll(msg, q[1:len(q)-1], c.fromEnv[v])
			}
		}
	}
	return msg
}

// checkIDs reports every id of list (at path) that ok refuses, and
// duplicates. Ids are not echoed: a misplaced ${VAR} may hold a secret.
func checkIDs(add func(path, format string, args ...any), path string, list []string, ok func(string) bool, want string) {
	seen := map[string]bool{}
	for i, id := range list {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !ok(id):
			add(p, "want %s", want)
		case seen[id]:
			add(p, "duplicate id")
		}
		seen[id] = true
	}
}

// isSnowflake reports whether s is a Discord id: 1 to 20 digits.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isSlackID returns a check for Slack ids starting with one of prefixes:
// upper-case letters and digits, 3 to 20 characters.
func isSlackID(prefixes string) func(string) bool {
	return func(s string) bool {
		if len(s) < 3 || len(s) > 20 || !strings.ContainsRune(prefixes, rune(s[0])) {
			return false
		}
		for _, c := range s {
			if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
				return false
			}
		}
		return true
	}
}

func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an http(s) URL, got %q", redact.URL(raw))
	}
	return nil
}

func regionSlugs() []string {
	var out []string
	for _, r := range topics.Regions() {
		out = append(out, r.Slug)
	}
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func didYouMean(word string, candidates []string) string {
	s := topics.Suggest(word, candidates, 1)
	if len(s) == 0 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", s[0])
}
