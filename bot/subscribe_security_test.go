package bot

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/store"
)

func TestRouterSubscribeSecurityOnly(t *testing.T) {
	r, db := newTestRouter(t)
	ctx := context.Background()
	get := func(platform, channel string) (store.Subscription, bool) {
		t.Helper()
		return channelSub(t, db, platform, channel)
	}
	steps := []struct {
		name        string
		cmd         Command
		contains    string
		wantTargets []string
		wantSecOnly bool
	}{
		{"plain subscribe keeps every item", slackCmd("C1", "subscribe iraq", false), "follows iraq —", []string{"iraq"}, false},
		{"security mode word", slackCmd("C1", "subscribe security yemen", false), "security news on iraq, yemen", []string{"iraq", "yemen"}, true},
		{"a target later keeps the mode", slackCmd("C1", "subscribe syria", false), "security news on", []string{"iraq", "yemen", "syria"}, true},
		{"border security stays a topic", slackCmd("C1", "subscribe border security", false), "border-security", []string{"iraq", "yemen", "syria", "border-security"}, true},
		{"all-news switches back", slackCmd("C1", "subscribe all-news", false), "follows iraq", []string{"iraq", "yemen", "syria", "border-security"}, false},
		{"security alone on a new channel", slackCmd("C2", "subscribe security", false), "all security news", []string{}, true},
		{"discord option", Command{Platform: "discord", Channel: "D1", Name: "subscribe",
			Options: map[string]string{"target": "Lebanon", "news": "security"}}, "security news on lebanon", []string{"lebanon"}, true},
	}
	for _, st := range steps {
		rep := r.Handle(ctx, st.cmd)
		text := replyText(rep)
		if !strings.Contains(text, st.contains) {
			t.Errorf("%s: reply lacks %q:\n%s", st.name, st.contains, text)
		}
		got, ok := get(st.cmd.Platform, st.cmd.Channel)
		if !ok {
			t.Fatalf("%s: no subscription", st.name)
		}
		if !slices.Equal(got.Targets, st.wantTargets) && !(len(got.Targets) == 0 && len(st.wantTargets) == 0) || got.SecurityOnly != st.wantSecOnly {
			t.Errorf("%s: targets %v security-only %v, want %v %v", st.name, got.Targets, got.SecurityOnly, st.wantTargets, st.wantSecOnly)
		}
	}
	if rep := r.Handle(ctx, Command{Platform: "discord", Channel: "D1", Name: "subscribe",
		Options: map[string]string{"target": "iraq", "news": "spicy"}}); !strings.Contains(replyText(rep), "security or all-news") {
		t.Errorf("bad news option: %s", replyText(rep))
	}
	help := replyText(r.Handle(ctx, slackCmd("C1", "help", false)))
	if !strings.Contains(help, "[security|all-news]") {
		t.Errorf("help does not show the security form:\n%s", help)
	}
}

func TestSubscriptionWants(t *testing.T) {
	sec := store.Subscription{Targets: []string{"iraq"}, SecurityOnly: true}
	all := store.Subscription{Targets: []string{"iraq"}}
	if !sec.Wants([]string{"iraq"}, nil, true) || sec.Wants([]string{"iraq"}, []string{"politics"}, false) {
		t.Error("security-only subscription: wants security news on iraq only")
	}
	if !all.Wants([]string{"iraq"}, nil, false) || all.Wants([]string{"iran"}, nil, true) {
		t.Error("plain subscription: wants every item on iraq, nothing else")
	}
}
