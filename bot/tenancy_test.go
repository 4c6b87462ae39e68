package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/store"
)

func served(ok bool, err error) func(context.Context) (bool, error) {
	return func(context.Context) (bool, error) { return ok, err }
}

// auditLines returns the audit lines of a JSON log, each as its keys and
// values, failing on a key written twice in one line.
func auditLines(t *testing.T, logs *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if !strings.Contains(l, `"msg":"audit: command"`) {
			continue
		}
		for _, k := range []string{"platform", "team_id", "channel_id", "user_id", "command", "outcome"} {
			if n := strings.Count(l, `"`+k+`":`); n != 1 {
				t.Errorf("audit line has %q %d times: %s", k, n, l)
			}
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("audit line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// TestRouterRefusesUnservedWorkspace: a command from a workspace or server
// sitrep does not serve is refused politely, runs nothing and is audited.
func TestRouterRefusesUnservedWorkspace(t *testing.T) {
	r, db := newTestRouter(t)
	var logs bytes.Buffer
	r.log = slog.New(slog.NewJSONHandler(&logs, nil))
	ctx := context.Background()
	for _, check := range []func(context.Context) (bool, error){served(false, nil), served(true, errors.New("auth.test: timeout"))} {
		cmd := slackCmd("C1", "feeds add https://news.example/", true)
		cmd.Team, cmd.Served = "T-FOREIGN", check
		if rep := r.Handle(ctx, cmd); rep.Text != notServedReply || !rep.Ephemeral {
			t.Errorf("foreign workspace: reply %+v, want the ephemeral refusal", rep)
		}
		cmd = slackCmd("C1", "latest iraq", false)
		cmd.Served = check
		if rep := r.Handle(ctx, cmd); rep.Text != notServedReply {
			t.Errorf("foreign workspace latest: reply %q", rep.Text)
		}
		if got := r.Complete(ctx, Command{Platform: "discord", Name: "subscribe", Served: check}, "target", "ir"); got != nil {
			t.Errorf("foreign server autocomplete = %v, want nothing", got)
		}
	}
	if _, err := db.Feed(ctx, "https://news.example/feed.xml"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused feeds add stored the feed: %v", err)
	}
	lines := auditLines(t, &logs)
	if len(lines) != 4 {
		t.Fatalf("%d audit lines, want 4:\n%s", len(lines), logs.String())
	}
	if l := lines[0]; l["outcome"] != outcomeNotServed || l["team_id"] != "T-FOREIGN" || l["user_id"] != "U1" || l["platform"] != "slack" {
		t.Errorf("audit line = %v", l)
	}
	// A served workspace is answered.
	cmd := slackCmd("C1", "latest iraq", false)
	cmd.Served = served(true, nil)
	if rep := r.Handle(ctx, cmd); rep.Text == notServedReply || !strings.Contains(replyText(rep), "Erbil") {
		t.Errorf("served workspace: %q", replyText(rep))
	}
}

// TestRouterFeedAdminsAllowList: with an allow-list for a platform only
// its users (who must still be admins) manage feeds there.
func TestRouterFeedAdminsAllowList(t *testing.T) {
	r, db := newTestRouter(t)
	r.opt.FeedAdmins = map[string][]string{"slack": {"U2"}}
	ctx := context.Background()
	as := func(user, text string, admin bool) Reply {
		cmd := slackCmd("C1", text, admin)
		cmd.User = user
		return r.Handle(ctx, cmd)
	}
	if rep := as("U1", "feeds add https://news.example/", true); rep.Text != notFeedAdminReply {
		t.Errorf("workspace admin not on the list: %q", rep.Text)
	}
	if rep := as("U1", "feeds list", true); rep.Text != notFeedAdminReply {
		t.Errorf("feeds list by a user not on the list: %q", rep.Text)
	}
	if rep := as("U2", "feeds add https://news.example/", false); rep.Text != notAdminReply {
		t.Errorf("listed user who is no admin: %q", rep.Text)
	}
	if _, err := db.Feed(ctx, "https://news.example/feed.xml"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused add stored the feed: %v", err)
	}
	if rep := as("U2", "feeds add https://news.example/", true); rep.Title != "Feed added" {
		t.Errorf("listed admin: %+v", rep)
	}
	// No list for Discord: its admins may.
	add := Command{Platform: "discord", Channel: "D7", User: "99", Name: "feeds", Args: []string{"add", "https://other.example/news"},
		IsAdmin: func(context.Context) (bool, error) { return true, nil }}
	if rep := r.Handle(ctx, add); rep.Title != "Feed added" {
		t.Errorf("discord admin without a list: %+v", rep)
	}
}

// TestRouterChatFeedNames: a chat-added feed is named after its host unless
// the admin names it; the name is one clean line.
func TestRouterChatFeedNames(t *testing.T) {
	r, db := newTestRouter(t)
	ctx := context.Background()
	cases := []struct{ text, url, want string }{
		{"feeds add https://www.Phish.example/", "https://www.Phish.example/feed.xml", "phish.example"},
		{"feeds add https://wire.example/ Intranet   Wire", "https://wire.example/feed.xml", "Intranet Wire"},
		{"feeds add https://ctl.example/ Bad\u202eName", "https://ctl.example/feed.xml", "Bad Name"},
	}
	for _, c := range cases {
		rep := r.Handle(ctx, slackCmd("C1", c.text, true))
		f, err := db.Feed(ctx, c.url)
		if err != nil {
			t.Fatalf("%s: %v (reply %q)", c.text, err, rep.Text)
		}
		if f.Name != c.want || !strings.Contains(rep.Text, "“"+c.want+"”") {
			t.Errorf("%s: name %q, reply %q; want %q", c.text, f.Name, rep.Text, c.want)
		}
	}
	// Discord's typed option.
	add := Command{Platform: "discord", Channel: "D7", Name: "feeds", Args: []string{"add", "https://other.example/news", "Other"},
		Options: map[string]string{"url": "https://other.example/news", "name": "Other Outlet"},
		IsAdmin: func(context.Context) (bool, error) { return true, nil }}
	r.Handle(ctx, add)
	if f, err := db.Feed(ctx, "https://other.example/news/feed.xml"); err != nil || f.Name != "Other Outlet" {
		t.Errorf("discord named add: %+v, %v", f, err)
	}
}
