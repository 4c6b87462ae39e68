package discord

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store/sqlite"
)

// okFetcher "discovers" every page as its own feed, so a feeds add that
// gets past the checks is stored.
type okFetcher struct{}

func (okFetcher) FetchArticle(context.Context, string) (feeds.Article, error) {
	return feeds.Article{}, errors.New("unused")
}
func (okFetcher) Discover(_ context.Context, u string) (string, error) { return u, nil }

// guildBody is a signed-interaction body: /sitrep feeds add <url> by a
// member with Manage Server (permissions 32) in guild and channel.
func guildBody(id, guild, channel, url string) string {
	g := ""
	if guild != "" {
		g = `"guild_id":"` + guild + `",`
	}
	return fmt.Sprintf(`{"id":%q,"application_id":"42","type":2,"token":"itok-%s","version":1,%s"channel_id":%q,
	"member":{"permissions":"32","user":{"id":"u1","username":"mallory"}},
	"data":{"id":"c1","name":"sitrep","type":1,"options":[{"name":"feeds","type":2,"options":[
	{"name":"add","type":1,"options":[{"name":"url","type":3,"value":%q},{"name":"name","type":3,"value":"Reuters"}]}]}]}}`,
		id, id, g, channel, url)
}

// TestForeignGuildFeedsAddRefused reproduces the finding: a signed
// "feeds add" from a server sitrep was never configured for, by a user with
// Manage Server there, is refused politely, stores nothing and is audited;
// the same command from a served server goes through.
func TestForeignGuildFeedsAddRefused(t *testing.T) {
	cases := []struct {
		name   string
		cfg    Config
		script []reply // REST answers to the guild lookups
		served []string
		other  []string // guild:channel pairs refused
	}{
		{name: "guild_ids", cfg: Config{GuildIDs: []string{"900"}},
			served: []string{"900:555"}, other: []string{"666:777", ":555"}},
		{name: "guild_id and subscription channels", cfg: Config{GuildID: "900", Channels: []string{"556", "557"}},
			script: []reply{{status: 200, body: `{"id":"557","guild_id":"901"}`}},
			served: []string{"900:1", "901:556", "901:558"}, other: []string{"666:777", ":556"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "sitrep.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			var logs bytes.Buffer
			router := bot.NewRouter(db, bot.RouterOptions{Fetcher: okFetcher{}, Log: slog.New(slog.NewJSONHandler(&logs, nil))})
			f := newFakeDiscord(t)
			f.push(c.script...)
			s := newSigner(t)
			cfg := c.cfg
			cfg.ApplicationID, cfg.PublicKey = "42", hex.EncodeToString(s.pub)
			a := newTestAdapter(t, f, cfg, router)
			n := 0
			add := func(pair string) (string, int) {
				n++
				guild, channel, _ := strings.Cut(pair, ":")
				u := fmt.Sprintf("https://phish%d.example/rss", n)
				ans := decodeAnswer(t, serve(a, s.request(t, guildBody(fmt.Sprint(7000+n), guild, channel, u), time.Now())))
				if ans.Data == nil {
					t.Fatalf("%s: no answer data", pair)
				}
				if _, err := db.Feed(t.Context(), u); err == nil {
					return ans.Data.Content, 1
				}
				return ans.Data.Content, 0
			}
			for _, pair := range c.other {
				text, stored := add(pair)
				if stored != 0 || !strings.Contains(text, "isn't set up to answer") {
					t.Errorf("foreign %s: stored %d, answer %q; want the refusal", pair, stored, text)
				}
			}
			for _, pair := range c.served {
				if text, stored := add(pair); stored != 1 {
					t.Errorf("served %s: not stored; answer %q", pair, text)
				}
			}
			if got := strings.Count(logs.String(), `"outcome":"refused_not_served"`); got != len(c.other) {
				t.Errorf("%d refusal audit lines, want %d:\n%s", got, len(c.other), logs.String())
			}
			// The admin-given name is kept; a foreign server's "Reuters" never got in.
			list, err := db.Feeds(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			for _, fd := range list {
				if fd.Name != "Reuters" || !fd.FromChat() {
					t.Errorf("stored feed %+v", fd)
				}
			}
			if len(list) != len(c.served) {
				t.Errorf("%d feeds stored, want %d", len(list), len(c.served))
			}
		})
	}
}

// TestForeignGuildAutocompleteEmpty: autocomplete in a server sitrep does
// not serve offers nothing.
func TestForeignGuildAutocompleteEmpty(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	a := newHTTPAdapter(t, f, s, bot.NewRouter(nil, bot.RouterOptions{}))
	body := `{"id":"7","application_id":"42","type":4,"token":"t","version":1,"guild_id":"666","channel_id":"777",
	"data":{"id":"c","name":"sitrep","type":1,"options":[{"name":"subscribe","type":1,"options":[{"name":"target","type":3,"value":"ira","focused":true}]}]}}`
	ans := decodeAnswer(t, serve(a, s.request(t, body, time.Now())))
	if ans.Type != 8 || len(ans.Data.Choices) != 0 {
		t.Errorf("foreign autocomplete = %+v, want type 8 with no choices", ans)
	}
}

// TestServedGuildLookupFailsClosed: when Discord cannot say which server a
// configured channel is in, an unknown server is refused, and asked again
// next time.
func TestServedGuildLookupFailsClosed(t *testing.T) {
	f := newFakeDiscord(t)
	f.push(reply{status: 500, body: `{"message":"oops"}`}, reply{status: 200, body: `{"id":"556","guild_id":"901"}`})
	a := newTestAdapter(t, f, Config{Channels: []string{"556"}}, nil)
	ctx := context.Background()
	if ok, err := a.served("901", "9")(ctx); ok || err == nil {
		t.Errorf("lookup failure: served = %v, %v; want false with an error", ok, err)
	}
	if ok, err := a.served("901", "9")(ctx); !ok || err != nil {
		t.Errorf("after a good lookup: served = %v, %v; want true", ok, err)
	}
	if ok, err := a.served("", "556")(ctx); err != nil {
		t.Fatalf("direct message: %v", err)
	} else if ok {
		t.Error("a direct message was served")
	}
}
