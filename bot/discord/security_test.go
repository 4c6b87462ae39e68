package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/sitrep-bot/sitrep/bot"
)

// TestInteractionReplayRefused: a signed interaction sent twice (within
// its timestamp window) is answered once; the copy is refused with 401,
// also when re-sent with a fresh signature over a new timestamp.
func TestInteractionReplayRefused(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	router := &fakeRouter{HandleFn: func(context.Context, bot.Command) bot.Reply { return bot.Reply{Text: "ok"} }}
	a := newHTTPAdapter(t, f, s, router)
	body := commandBody(`{"name":"help","type":1}`, "0")
	now := time.Now()
	first := serve(a, s.request(t, body, now))
	again := serve(a, s.request(t, body, now))
	later := serve(a, s.request(t, body, now.Add(time.Second)))
	if first.Code != 200 || again.Code != http.StatusUnauthorized || later.Code != http.StatusUnauthorized {
		t.Errorf("statuses %d %d %d, want 200 401 401", first.Code, again.Code, later.Code)
	}
	if n := len(router.received()); n != 1 {
		t.Errorf("handler ran %d times, want 1", n)
	}
	// Another interaction is answered; pings are never refused as replays.
	other := strings.Replace(body, `"id":"7001"`, `"id":"7002"`, 1)
	if w := serve(a, s.request(t, other, now)); w.Code != 200 {
		t.Errorf("a new interaction: status %d", w.Code)
	}
	for range 2 {
		if w := serve(a, s.request(t, pingBody, now)); w.Code != 200 {
			t.Errorf("PING: status %d", w.Code)
		}
	}
}

// privateRouter predicts a private answer for every command.
type privateRouter struct{ fakeRouter }

func (*privateRouter) DeferEphemeral(bot.Command) bool { return true }

// slowReply returns a handler that answers rep once release is closed.
func slowReply(release chan struct{}, rep bot.Reply) func(context.Context, bot.Command) bot.Reply {
	return func(ctx context.Context, _ bot.Command) bot.Reply {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return rep
	}
}

// followupFlags decodes a follow-up request's message flags.
func followupFlags(t *testing.T, r recorded) discordgo.MessageFlags {
	t.Helper()
	var m struct {
		Flags discordgo.MessageFlags `json:"flags"`
	}
	r.decode(t, &m)
	return m.Flags
}

// TestDeferredEphemeralStaysEphemeral: a slow command whose answer is
// private is deferred with type 5 and flags 64, and its follow-up is
// private too, so the channel never sees it.
func TestDeferredEphemeralStaysEphemeral(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	release := make(chan struct{})
	router := &privateRouter{fakeRouter{HandleFn: slowReply(release, bot.Reply{Ephemeral: true, Title: "Feeds (1)", Text: "• Wire"})}}
	a := newHTTPAdapter(t, f, s, router)
	a.ackBudget = 20 * time.Millisecond
	ans := decodeAnswer(t, serve(a, s.request(t, commandBody(`{"name":"feeds","type":2,"options":[{"name":"list","type":1}]}`, "32"), time.Now())))
	if ans.Type != 5 {
		t.Fatalf("answer type = %d, want 5 (deferred)", ans.Type)
	}
	if ans.Data == nil || ans.Data.Flags != int(discordgo.MessageFlagsEphemeral) {
		t.Fatalf("deferral data = %+v, want flags 64", ans.Data)
	}
	close(release)
	if err := a.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if len(reqs) != 1 || reqs[0].Method != "POST" || reqs[0].Path != "/api/v10/webhooks/42/itok-abc" {
		t.Fatalf("requests = %v, want one follow-up POST", reqs)
	}
	if fl := followupFlags(t, reqs[0]); fl&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("follow-up flags = %d, want ephemeral", fl)
	}
}

// TestPublicDeferralPrivateAnswer: when a command deferred publicly
// answers privately, the public "thinking…" message is deleted and the
// answer posted as a new private message; if the delete fails, the
// private answer is not posted at all.
func TestPublicDeferralPrivateAnswer(t *testing.T) {
	for _, deleteFails := range []bool{false, true} {
		name := "delete ok"
		if deleteFails {
			name = "delete fails"
		}
		t.Run(name, func(t *testing.T) {
			f := newFakeDiscord(t)
			s := newSigner(t)
			release := make(chan struct{})
			router := &fakeRouter{HandleFn: slowReply(release, bot.Reply{Ephemeral: true, Text: "Only channel admins can manage feeds."})}
			a := newHTTPAdapter(t, f, s, router)
			a.ackBudget = 20 * time.Millisecond
			if deleteFails {
				f.push(reply{status: 403, body: `{"message":"Missing Access","code":50001}`})
			}
			ans := decodeAnswer(t, serve(a, s.request(t, commandBody(`{"name":"brief","type":1}`, "0"), time.Now())))
			if ans.Type != 5 || (ans.Data != nil && ans.Data.Flags != 0) {
				t.Fatalf("answer = %+v, want a public deferral", ans)
			}
			close(release)
			if err := a.Shutdown(t.Context()); err != nil {
				t.Fatal(err)
			}
			reqs := f.requests()
			if len(reqs) == 0 || reqs[0].Method != "DELETE" || reqs[0].Path != "/api/v10/webhooks/42/itok-abc/messages/@original" {
				t.Fatalf("requests = %v, want the deferral deleted first", reqs)
			}
			if deleteFails {
				if len(reqs) != 1 {
					t.Errorf("after a failed delete, %d more requests: the private answer may be public", len(reqs)-1)
				}
				return
			}
			if len(reqs) != 2 || reqs[1].Method != "POST" || followupFlags(t, reqs[1])&discordgo.MessageFlagsEphemeral == 0 {
				t.Errorf("requests = %v, want a private follow-up after the delete", reqs)
			}
		})
	}
}

// TestGatewayRepeatedInteractionIgnored: an INTERACTION_CREATE delivered
// twice on the gateway (e.g. around a resume) is answered once.
func TestGatewayRepeatedInteractionIgnored(t *testing.T) {
	f := newFakeDiscord(t)
	router := &fakeRouter{HandleFn: func(context.Context, bot.Command) bot.Reply { return bot.Reply{Text: "ok"} }}
	a := newTestAdapter(t, f, Config{ApplicationID: "42"}, router)
	var in discordgo.Interaction
	if err := json.Unmarshal([]byte(commandBody(`{"name":"help","type":1}`, "0")), &in); err != nil {
		t.Fatal(err)
	}
	a.onInteraction(t.Context(), &in)
	a.onInteraction(t.Context(), &in)
	if n := len(router.received()); n != 1 {
		t.Errorf("handler ran %d times, want 1", n)
	}
	if n := f.count("POST", "/callback"); n != 1 {
		t.Errorf("%d callbacks, want 1", n)
	}
}

// The router predicts private answers, so its slow private answers are
// deferred privately (deferPrivately finds this method by its shape).
var _ interface{ DeferEphemeral(bot.Command) bool } = (*bot.Router)(nil)
