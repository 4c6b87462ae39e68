package slack

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/store/sqlite"
)

// TestForeignWorkspaceRefused drives the real Router through signed
// requests: a command from a workspace sitrep does not serve is refused
// (and audited) and changes nothing; the bot token's own workspace (from
// auth.test) is answered; configured team_ids replace that default.
func TestForeignWorkspaceRefused(t *testing.T) {
	cases := []struct {
		name          string
		teamIDs       []string
		served, other string
	}{
		{"default: the token's workspace", nil, "T1", "T9"},
		{"configured team_ids", []string{"T9"}, "T9", "T1"},
		{"configured enterprise", []string{"E7"}, "E7", "T1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "sitrep.db"))
			if err != nil {
				t.Fatalf("open store: %v", err)
			}
			t.Cleanup(func() { _ = db.Close() })
			var logs bytes.Buffer
			f := newFakeSlack(t)
			f.users["U1"] = map[string]any{"id": "U1", "is_admin": true}
			a, err := New(Config{BotToken: "xoxb-test-token", SigningSecret: testSecret, APIURL: f.apiURL(), TeamIDs: c.teamIDs},
				bot.NewRouter(db, bot.RouterOptions{Log: slog.New(slog.NewJSONHandler(&logs, nil))}), nil)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(serveMux(a))
			defer srv.Close()
			ts := time.Now().Unix()
			ask := func(team, channel, text string) string {
				t.Helper()
				ts++
				form := url.Values{"team_id": {team}, "channel_id": {channel}, "user_id": {"U1"}, "command": {"/sitrep"},
					"text": {text}, "trigger_id": {"1.2.3"}}
				if strings.HasPrefix(team, "E") {
					form.Set("team_id", "T5")
					form.Set("enterprise_id", team)
				}
				body := form.Encode()
				resp := postSigned(t, srv, body, ts)
				defer resp.Body.Close()
				var p struct{ Text string }
				if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
					t.Fatalf("status %d: %v", resp.StatusCode, err)
				}
				return p.Text
			}
			if got := ask(c.other, "CX", "subscribe iraq"); !strings.Contains(got, "isn't set up to answer in this workspace") {
				t.Errorf("foreign workspace: %q, want the refusal", got)
			}
			if got := ask(c.other, "CX", "feeds list"); !strings.Contains(got, "isn't set up") {
				t.Errorf("foreign workspace feeds list: %q", got)
			}
			if got := ask(c.served, "C1", "subscribe iraq"); strings.Contains(got, "isn't set up") {
				t.Errorf("served workspace refused: %q", got)
			}
			subs, err := db.Subscriptions(t.Context(), "slack")
			if err != nil {
				t.Fatal(err)
			}
			if len(subs) != 1 || subs[0].Channel != "C1" {
				t.Errorf("subscriptions = %+v, want C1's only", subs)
			}
			if n := len(f.callsOf("users.info")); n != 0 {
				t.Errorf("the foreign feeds list reached the admin check (%d users.info calls)", n)
			}
			if !strings.Contains(logs.String(), `"outcome":"refused_not_served"`) {
				t.Errorf("no audit line for the refusal:\n%s", logs.String())
			}
		})
	}
}
