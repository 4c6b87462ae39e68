package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/store"
)

// subs lists subscriptions of platform as sorted "platform/channel" strings.
func subs(t *testing.T, s store.Store, platform string) []string {
	t.Helper()
	ss, err := s.Subscriptions(context.Background(), platform)
	must(t, "Subscriptions", err)
	var out []string
	for _, sub := range ss {
		out = append(out, sub.Platform+"/"+sub.Channel)
	}
	slices.Sort(out)
	return out
}

func testSubscriptions(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("SubscribeCreatesOrReplaces", func(t *testing.T) {
		s := open(t)
		a, err := s.Subscribe(ctx, store.Subscription{Platform: "slack", Channel: "C1", Targets: []string{"iraq", "terrorism"}, Created: t0})
		must(t, "Subscribe", err)
		if a.ID == 0 || a.Platform != "slack" || a.Channel != "C1" || !sameSet(a.Targets, []string{"iraq", "terrorism"}) {
			t.Fatalf("Subscribe() = %+v, want it stored with an ID", a)
		}
		_, err = s.Subscribe(ctx, store.Subscription{Platform: "slack", Channel: "C1", Targets: []string{"iran"}, Digest: "0 7 * * *", Created: t0})
		must(t, "Subscribe(replace)", err)
		_, err = s.Subscribe(ctx, store.Subscription{Platform: "discord", Channel: "C1", Created: t0})
		must(t, "Subscribe(discord)", err)
		_, err = s.Subscribe(ctx, store.Subscription{Platform: "slack", Channel: "C2", Targets: []string{"cyber"}, Created: t0})
		must(t, "Subscribe(C2)", err)

		sec, err := s.Subscribe(ctx, store.Subscription{Platform: "slack", Channel: "C3", Targets: []string{"iraq"}, SecurityOnly: true, Created: t0})
		must(t, "Subscribe(security only)", err)
		if !sec.SecurityOnly {
			t.Errorf("Subscribe(security only) = %+v, want SecurityOnly", sec)
		}
		_, err = s.Subscribe(ctx, store.Subscription{Platform: "slack", Channel: "C3", Targets: []string{"iraq"}, Created: t0})
		must(t, "Subscribe(C3 replace)", err)
		for _, sub := range subsOf(t, s, "slack") {
			if sub.Channel == "C3" && sub.SecurityOnly {
				t.Errorf("replaced subscription kept SecurityOnly: %+v", sub)
			}
			if sub.Channel != "C3" && sub.SecurityOnly {
				t.Errorf("subscription %+v is security-only, never asked", sub)
			}
		}
		must(t, "Unsubscribe(C3)", s.Unsubscribe(ctx, "slack", "C3"))

		if got, want := subs(t, s, ""), []string{"discord/C1", "slack/C1", "slack/C2"}; !slices.Equal(got, want) {
			t.Errorf("Subscriptions(\"\") = %v, want %v", got, want)
		}
		if got, want := subs(t, s, "discord"), []string{"discord/C1"}; !slices.Equal(got, want) {
			t.Errorf("Subscriptions(discord) = %v, want %v", got, want)
		}
		if got := subs(t, s, "console"); len(got) != 0 {
			t.Errorf("Subscriptions(console) = %v, want none", got)
		}
		all, err := s.Subscriptions(ctx, "slack")
		must(t, "Subscriptions(slack)", err)
		for _, sub := range all {
			if sub.Channel != "C1" {
				continue
			}
			if !sameSet(sub.Targets, []string{"iran"}) || sub.Digest != "0 7 * * *" {
				t.Errorf("replaced subscription = %+v, want Targets [iran] and the digest", sub)
			}
		}
		for _, sub := range subsOf(t, s, "discord") {
			if len(sub.Targets) != 0 {
				t.Errorf("subscription with no targets came back with %v", sub.Targets)
			}
		}
	})

	t.Run("UnsubscribeDropsPending", func(t *testing.T) {
		s := open(t)
		for _, ch := range []string{"C1", "C2"} {
			_, err := s.Subscribe(ctx, store.Subscription{Platform: "slack", Channel: ch, Created: t0})
			must(t, "Subscribe", err)
		}
		must(t, "Enqueue", s.Enqueue(ctx, []store.Delivery{
			{Platform: "slack", Channel: "C1", Kind: store.KindPost, StoryID: "s0", Created: t0},
		}))
		sent := claim(t, s, "w", t0, 1)
		must(t, "MarkSent", s.MarkSent(ctx, sent[0].ID, "w", "ts.1", t0, []string{"s0"}))
		must(t, "Enqueue", s.Enqueue(ctx, []store.Delivery{
			{Platform: "slack", Channel: "C1", Kind: store.KindPost, StoryID: "s1", Created: t0},
			{Platform: "slack", Channel: "C1", Kind: store.KindDigest, Payload: []byte(`{"text":"brief"}`), Created: t0},
			{Platform: "slack", Channel: "C2", Kind: store.KindPost, StoryID: "s1", Created: t0},
			{Platform: "discord", Channel: "C1", Kind: store.KindPost, StoryID: "s1", Created: t0},
			{Platform: "slack", Channel: "C1", Kind: store.KindReply, Payload: []byte(`{"text":"Unsubscribed."}`), Created: t0},
		}))

		must(t, "Unsubscribe", s.Unsubscribe(ctx, "slack", "C1"))
		if got, want := subs(t, s, ""), []string{"slack/C2"}; !slices.Equal(got, want) {
			t.Errorf("after Unsubscribe, Subscriptions = %v, want %v", got, want)
		}
		status := map[string]string{}
		for _, d := range allDeliveries(t, s) {
			status[d.Platform+"/"+d.Channel+"/"+d.Kind+"/"+d.StoryID] = d.Status
		}
		want := map[string]string{
			"slack/C1/post/s0":   store.StatusSent,
			"slack/C1/post/s1":   store.StatusDropped,
			"slack/C1/digest/":   store.StatusDropped,
			"slack/C2/post/s1":   store.StatusPending,
			"discord/C1/post/s1": store.StatusPending,
			"slack/C1/reply/":    store.StatusPending, // the answer to the command itself still goes
		}
		for k, v := range want {
			if status[k] != v {
				t.Errorf("delivery %s has status %q, want %q", k, status[k], v)
			}
		}
		var chans []string
		for _, d := range claim(t, s, "w2", t0, 10) {
			chans = append(chans, d.Platform+"/"+d.Channel)
		}
		slices.Sort(chans)
		if want := []string{"discord/C1", "slack/C1", "slack/C2"}; !slices.Equal(chans, want) {
			t.Errorf("claimable after Unsubscribe: %v, want %v", chans, want)
		}
		wantErr(t, "Unsubscribe(again)", s.Unsubscribe(ctx, "slack", "C1"), store.ErrNotFound)
		wantErr(t, "Unsubscribe(unknown)", s.Unsubscribe(ctx, "discord", "nope"), store.ErrNotFound)
		if strings.Join(subs(t, s, ""), ",") != "slack/C2" {
			t.Errorf("failed Unsubscribe changed subscriptions")
		}
	})
}

// subsOf lists the subscriptions of platform.
func subsOf(t *testing.T, s store.Store, platform string) []store.Subscription {
	t.Helper()
	ss, err := s.Subscriptions(context.Background(), platform)
	must(t, "Subscriptions", err)
	return ss
}
