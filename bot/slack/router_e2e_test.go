package slack

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/store/sqlite"
)

// TestRouterThroughSignedEndpoint drives the real Router (on a SQLite
// store) through POST /slack/commands with signed requests, as Slack would.
func TestRouterThroughSignedEndpoint(t *testing.T) {
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "sitrep.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, bot.NewRouter(db, bot.RouterOptions{}))
	srv := httptest.NewServer(serveMux(a))
	defer srv.Close()

	ts := time.Now().Unix()
	ask := func(text string) string {
		t.Helper()
		ts++ // distinct signatures
		body := commandForm(text, "")
		resp := postSigned(t, srv, body, ts)
		defer resp.Body.Close()
		var p struct {
			Text   string
			Blocks json.RawMessage
		}
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&p) != nil {
			t.Fatalf("%q: status %d", text, resp.StatusCode)
		}
		return p.Text + "\n" + string(p.Blocks)
	}

	if got := ask("help"); !strings.Contains(got, "subscribe") || !strings.Contains(got, "search") {
		t.Errorf("help = %s, want the command list", got)
	}
	if got := ask("frobnicate the widgets"); !strings.Contains(got, "subscribe") {
		t.Errorf("nonsense = %s, want the help", got)
	}
	ask("subscribe iraq")
	if got := ask("subscriptions"); !strings.Contains(got, "iraq") {
		t.Errorf("subscriptions after subscribe iraq = %s", got)
	}
	subs, err := db.Subscriptions(t.Context(), "slack")
	if err != nil || len(subs) != 1 || subs[0].Channel != "C1" {
		t.Errorf("stored subscriptions = %+v, %v; want one for C1", subs, err)
	}
}
