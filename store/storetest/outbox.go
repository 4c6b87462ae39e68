package storetest

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// claim leases up to max due deliveries to owner at now for one minute.
func claim(t *testing.T, s store.Store, owner string, now time.Time, max int) []store.Delivery {
	t.Helper()
	ds, err := s.ClaimDeliveries(context.Background(), owner, now, time.Minute, max)
	must(t, "ClaimDeliveries", err)
	return ds
}

// deliveryIDs returns the IDs of ds in order.
func deliveryIDs(ds []store.Delivery) []int64 {
	var ids []int64
	for _, d := range ds {
		ids = append(ids, d.ID)
	}
	return ids
}

// byID returns the delivery with id, failing the test when it is missing.
func byID(t *testing.T, s store.Store, id int64) store.Delivery {
	t.Helper()
	for _, d := range allDeliveries(t, s) {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("delivery %d not listed by Deliveries", id)
	return store.Delivery{}
}

// enqueueOne enqueues d alone and returns it as stored.
func enqueueOne(t *testing.T, s store.Store, d store.Delivery) store.Delivery {
	t.Helper()
	before := map[int64]bool{}
	for _, x := range allDeliveries(t, s) {
		before[x.ID] = true
	}
	must(t, "Enqueue", s.Enqueue(context.Background(), []store.Delivery{d}))
	for _, x := range allDeliveries(t, s) {
		if !before[x.ID] {
			return x
		}
	}
	t.Fatalf("Enqueue(%+v) stored nothing", d)
	return store.Delivery{}
}

// post builds a pending post delivery created at created.
func post(channel, story string, created time.Time) store.Delivery {
	return store.Delivery{Platform: "slack", Channel: channel, Kind: store.KindPost, StoryID: story, Created: created}
}

func testOutbox(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("EnqueueAndList", func(t *testing.T) {
		s := open(t)
		in := []store.Delivery{
			post("C1", "s1", t0),
			{Platform: "discord", Channel: "D1", Kind: store.KindDigest, Payload: []byte(`{"text":"Morning brief"}`), Created: t0.Add(time.Second)},
			{Platform: "slack", Channel: "C1", Kind: store.KindRollup, Payload: []byte(`["s2","s3"]`), Created: t0.Add(2 * time.Second)},
		}
		must(t, "Enqueue", s.Enqueue(ctx, in))
		got, err := s.Deliveries(ctx, store.StatusPending, 10)
		must(t, "Deliveries(pending)", err)
		if len(got) != 3 {
			t.Fatalf("Deliveries(pending) returned %d, want 3", len(got))
		}
		for i, d := range got {
			w := in[len(in)-1-i] // newest first
			if d.ID == 0 || d.Platform != w.Platform || d.Channel != w.Channel || d.Kind != w.Kind || d.StoryID != w.StoryID ||
				!bytes.Equal(d.Payload, w.Payload) || d.Status != store.StatusPending || !sameTime(d.Created, w.Created) {
				t.Errorf("Deliveries(pending)[%d] = %+v, want %+v pending", i, d, w)
			}
			if d.Attempts != 0 || d.LeaseOwner != "" || d.MessageRef != "" || !d.SentAt.IsZero() {
				t.Errorf("new delivery %+v has attempt state", d)
			}
		}
		got, err = s.Deliveries(ctx, store.StatusPending, 2)
		must(t, "Deliveries(pending, 2)", err)
		if len(got) != 2 || got[0].Kind != store.KindRollup || got[1].Kind != store.KindDigest {
			t.Errorf("Deliveries(pending, 2) = %+v, want the two newest", got)
		}
		got, err = s.Deliveries(ctx, store.StatusSent, 10)
		must(t, "Deliveries(sent)", err)
		if len(got) != 0 {
			t.Errorf("Deliveries(sent) = %+v, want none", got)
		}
		must(t, "Enqueue(nil)", s.Enqueue(ctx, nil))
	})

	t.Run("DigestOncePerKey", func(t *testing.T) {
		s := open(t)
		digest := func(platform, channel, key string) store.Delivery {
			return store.Delivery{Platform: platform, Channel: channel, Kind: store.KindDigest, StoryID: key,
				Payload: []byte(`{"title":"brief"}`), Created: t0}
		}
		const key = "2026-03-01T07:00Z"
		must(t, "Enqueue(digest)", s.Enqueue(ctx, []store.Delivery{digest("slack", "C1", key)}))
		must(t, "Enqueue(same digest)", s.Enqueue(ctx, []store.Delivery{digest("slack", "C1", key)}))
		must(t, "Enqueue(others)", s.Enqueue(ctx, []store.Delivery{
			digest("slack", "C1", key), // a repeat inside a batch is ignored too
			digest("slack", "C1", "2026-03-02T07:00Z"),
			digest("slack", "C2", key),
			digest("discord", "C1", key),
		}))
		count := map[string]int{}
		for _, d := range allDeliveries(t, s) {
			count[d.Platform+"/"+d.Channel+"/"+d.StoryID]++
		}
		want := map[string]int{
			"slack/C1/" + key:            1,
			"slack/C1/2026-03-02T07:00Z": 1,
			"slack/C2/" + key:            1,
			"discord/C1/" + key:          1,
		}
		if len(count) != len(want) {
			t.Errorf("digests by channel and key = %v, want %v", count, want)
		}
		for k, n := range want {
			if count[k] != n {
				t.Errorf("digests %s = %d, want %d", k, count[k], n)
			}
		}
	})

	t.Run("LastDigest", func(t *testing.T) {
		s := open(t)
		digest := func(channel, key string, created time.Time) store.Delivery {
			return store.Delivery{Platform: "slack", Channel: channel, Kind: store.KindDigest, StoryID: key,
				Payload: []byte(`{"title":"brief"}`), Created: created}
		}
		_, err := s.LastDigest(ctx, "slack", "C1")
		wantErr(t, "LastDigest(none)", err, store.ErrNotFound)
		must(t, "Enqueue", s.Enqueue(ctx, []store.Delivery{
			digest("C1", "d1", t0.Add(-2*time.Hour)),
			digest("C1", "d2", t0.Add(-time.Hour)),
			digest("C2", "d3", t0),              // another channel
			post("C1", "s1", t0.Add(time.Hour)), // not a digest
		}))
		got, err := s.LastDigest(ctx, "slack", "C1")
		must(t, "LastDigest", err)
		if got.StoryID != "d2" || got.Kind != store.KindDigest || !sameTime(got.Created, t0.Add(-time.Hour)) {
			t.Errorf("LastDigest = %+v, want d2 created at t0-1h", got)
		}
		// A digest that failed never reached the channel: the one before counts.
		d := claim(t, s, "a", t0, 10)
		for _, c := range d {
			if c.StoryID == "d2" {
				must(t, "MarkFailed", s.MarkFailed(ctx, c.ID, "a", "channel_not_found"))
			} else {
				must(t, "MarkRetry", s.MarkRetry(ctx, c.ID, "a", t0, "later"))
			}
		}
		got, err = s.LastDigest(ctx, "slack", "C1")
		must(t, "LastDigest after failure", err)
		if got.StoryID != "d1" {
			t.Errorf("LastDigest after d2 failed = %q, want d1", got.StoryID)
		}
		_, err = s.LastDigest(ctx, "discord", "C1")
		wantErr(t, "LastDigest(other platform)", err, store.ErrNotFound)
	})

	t.Run("ClaimHonoursNextTry", func(t *testing.T) {
		s := open(t)
		now := enqueueOne(t, s, post("C1", "s1", t0))
		later := post("C1", "s2", t0)
		later.NextTry = t0.Add(5 * time.Minute)
		later = enqueueOne(t, s, later)
		got, err := s.ClaimDeliveries(ctx, "a", t0, 10*time.Minute, 10)
		must(t, "ClaimDeliveries", err)
		if !slices.Equal(deliveryIDs(got), []int64{now.ID}) {
			t.Fatalf("ClaimDeliveries(t0) = %v, want only the due %d", deliveryIDs(got), now.ID)
		}
		// At NextTry (inclusive) the second is due; the first is still leased to a.
		got, err = s.ClaimDeliveries(ctx, "b", t0.Add(5*time.Minute), 10*time.Minute, 10)
		must(t, "ClaimDeliveries", err)
		if !slices.Equal(deliveryIDs(got), []int64{later.ID}) {
			t.Fatalf("ClaimDeliveries(t0+5m) = %v, want only %d", deliveryIDs(got), later.ID)
		}
	})

	t.Run("Leases", func(t *testing.T) {
		s := open(t)
		must(t, "Enqueue", s.Enqueue(ctx, []store.Delivery{post("C1", "s1", t0), post("C1", "s2", t0), post("C2", "s1", t0)}))
		a := claim(t, s, "a", t0, 10)
		if len(a) != 3 {
			t.Fatalf("first claim got %d deliveries, want 3", len(a))
		}
		for _, d := range a {
			if d.LeaseOwner != "a" || !sameTime(d.LeaseUntil, t0.Add(time.Minute)) || d.Status != store.StatusPending {
				t.Errorf("claimed delivery %+v, want LeaseOwner a until %v", d, t0.Add(time.Minute))
			}
		}
		if b := claim(t, s, "b", t0.Add(30*time.Second), 10); len(b) != 0 {
			t.Fatalf("claim while a's lease lives got %v, want nothing", deliveryIDs(b))
		}
		b := claim(t, s, "b", t0.Add(61*time.Second), 10)
		if len(b) != 3 {
			t.Fatalf("claim after a's lease expired got %d, want 3", len(b))
		}
		for _, d := range b {
			if d.LeaseOwner != "b" || !sameTime(d.LeaseUntil, t0.Add(121*time.Second)) {
				t.Errorf("reclaimed delivery %+v, want LeaseOwner b until %v", d, t0.Add(121*time.Second))
			}
		}
		// Every claim counts as an attempt, so a worker taking over an expired
		// lease sees that an earlier attempt may have reached the platform.
		for i := range a {
			if a[i].Attempts != 1 || b[i].Attempts != 2 {
				t.Errorf("Attempts on first claim and takeover = %d, %d; want 1, 2", a[i].Attempts, b[i].Attempts)
			}
		}
	})

	t.Run("MaxOldestFirst", func(t *testing.T) {
		s := open(t)
		var ids []int64
		for i := range 5 {
			ids = append(ids, enqueueOne(t, s, post("C1", string(rune('a'+i)), t0.Add(time.Duration(i)*time.Second))).ID)
		}
		for _, want := range [][]int64{ids[0:2], ids[2:4], ids[4:5], nil} {
			got := claim(t, s, "w", t0.Add(time.Minute), 2)
			if !slices.Equal(deliveryIDs(got), want) {
				t.Fatalf("ClaimDeliveries(max 2) = %v, want %v", deliveryIDs(got), want)
			}
		}
	})

	t.Run("MarkSent", func(t *testing.T) {
		s := open(t)
		p := enqueueOne(t, s, post("C1", "s1", t0))
		r := enqueueOne(t, s, store.Delivery{Platform: "slack", Channel: "C1", Kind: store.KindRollup, Payload: []byte(`["s2","s3"]`), Created: t0})
		claim(t, s, "a", t0, 10)
		wantErr(t, "MarkSent(wrong owner)", s.MarkSent(ctx, p.ID, "b", "ts.9", t0, []string{"s1"}), store.ErrLeaseLost)
		if ref, err := s.RootRef(ctx, "slack", "C1", "s1"); err != nil || ref != "" {
			t.Fatalf("RootRef after a refused MarkSent = %q, %v; want \"\"", ref, err)
		}
		must(t, "MarkSent(post)", s.MarkSent(ctx, p.ID, "a", "ts.1", t0.Add(time.Second), []string{"s1"}))
		must(t, "MarkSent(rollup)", s.MarkSent(ctx, r.ID, "a", "ts.2", t0.Add(2*time.Second), []string{"s2", "s3"}))
		got := byID(t, s, p.ID)
		if got.Status != store.StatusSent || got.MessageRef != "ts.1" || !sameTime(got.SentAt, t0.Add(time.Second)) {
			t.Errorf("sent delivery = %+v, want sent with ref ts.1 at %v", got, t0.Add(time.Second))
		}
		sent, err := s.Deliveries(ctx, store.StatusSent, 10)
		must(t, "Deliveries(sent)", err)
		if len(sent) != 2 {
			t.Errorf("Deliveries(sent) = %d deliveries, want 2", len(sent))
		}
		for _, c := range []struct{ platform, channel, story, want string }{
			{"slack", "C1", "s1", "ts.1"},
			{"slack", "C1", "s2", "ts.2"},
			{"slack", "C1", "s3", "ts.2"},
			{"slack", "C2", "s1", ""},
			{"discord", "C1", "s1", ""},
			{"slack", "C1", "s4", ""},
		} {
			ref, err := s.RootRef(ctx, c.platform, c.channel, c.story)
			must(t, "RootRef", err)
			if ref != c.want {
				t.Errorf("RootRef(%s, %s, %s) = %q, want %q", c.platform, c.channel, c.story, ref, c.want)
			}
		}
		if got := claim(t, s, "c", t0.Add(time.Hour), 10); len(got) != 0 {
			t.Errorf("sent deliveries were claimed again: %v", deliveryIDs(got))
		}
	})

	t.Run("MarkSentRootDropsOtherPosts", func(t *testing.T) {
		s := open(t)
		p2 := enqueueOne(t, s, post("C1", "s2", t0))
		p3other := enqueueOne(t, s, post("C2", "s3", t0))
		r := enqueueOne(t, s, store.Delivery{Platform: "slack", Channel: "C1", Kind: store.KindRollup, Payload: []byte(`["s2","s3"]`), Created: t0})
		got, err := s.ClaimDeliveries(ctx, "a", t0, time.Minute, 10)
		must(t, "ClaimDeliveries", err)
		if len(got) != 3 {
			t.Fatalf("claimed %d, want 3", len(got))
		}
		must(t, "MarkSent(rollup)", s.MarkSent(ctx, r.ID, "a", "ts.r", t0, []string{"s2", "s3"}))
		if d := byID(t, s, p2.ID); d.Status != store.StatusDropped {
			t.Errorf("post of s2 in C1 after a roll-up rooted s2 there: status %q, want %q", d.Status, store.StatusDropped)
		}
		if d := byID(t, s, p3other.ID); d.Status != store.StatusPending {
			t.Errorf("post of s3 in another channel: status %q, want %q", d.Status, store.StatusPending)
		}
		wantErr(t, "MarkSent(dropped post)", s.MarkSent(ctx, p2.ID, "a", "ts.2", t0, []string{"s2"}), store.ErrLeaseLost)
		if ref, err := s.RootRef(ctx, "slack", "C1", "s2"); err != nil || ref != "ts.r" {
			t.Errorf("RootRef(s2) = %q, %v; want the roll-up's ts.r", ref, err)
		}
	})

	t.Run("MarkSentAfterTakeover", func(t *testing.T) {
		s := open(t)
		d := enqueueOne(t, s, post("C1", "s1", t0))
		claim(t, s, "a", t0, 1)
		if got := claim(t, s, "b", t0.Add(2*time.Minute), 1); len(got) != 1 {
			t.Fatalf("b could not take over an expired lease")
		}
		wantErr(t, "MarkSent(a after takeover)", s.MarkSent(ctx, d.ID, "a", "ts.a", t0.Add(2*time.Minute), []string{"s1"}), store.ErrLeaseLost)
		must(t, "MarkSent(b)", s.MarkSent(ctx, d.ID, "b", "ts.b", t0.Add(2*time.Minute), []string{"s1"}))
		if ref, err := s.RootRef(ctx, "slack", "C1", "s1"); err != nil || ref != "ts.b" {
			t.Errorf("RootRef = %q, %v; want ts.b", ref, err)
		}
	})

	t.Run("MarkRetry", func(t *testing.T) {
		s := open(t)
		d := enqueueOne(t, s, post("C1", "s1", t0))
		first, err := s.ClaimDeliveries(ctx, "a", t0, 10*time.Minute, 1)
		must(t, "ClaimDeliveries", err)
		if len(first) != 1 {
			t.Fatalf("claim got %d, want 1", len(first))
		}
		wantErr(t, "MarkRetry(wrong owner)", s.MarkRetry(ctx, d.ID, "b", t0, "nope"), store.ErrLeaseLost)
		must(t, "MarkRetry", s.MarkRetry(ctx, d.ID, "a", t0.Add(30*time.Second), "slack: 503"))
		got := byID(t, s, d.ID)
		if got.Status != store.StatusPending || got.LastError != "slack: 503" || !sameTime(got.NextTry, t0.Add(30*time.Second)) {
			t.Errorf("after MarkRetry delivery = %+v, want pending, LastError and NextTry set", got)
		}
		if c := claim(t, s, "b", t0.Add(10*time.Second), 1); len(c) != 0 {
			t.Fatalf("claimed before NextTry: %v", deliveryIDs(c))
		}
		// The 10-minute lease was released: at NextTry another owner gets it.
		second := claim(t, s, "b", t0.Add(30*time.Second), 1)
		if len(second) != 1 || second[0].ID != d.ID {
			t.Fatalf("claim at NextTry after MarkRetry = %v, want [%d]", deliveryIDs(second), d.ID)
		}
		if second[0].Attempts <= first[0].Attempts {
			t.Errorf("Attempts = %d after a retry, want more than %d", second[0].Attempts, first[0].Attempts)
		}
	})

	t.Run("MarkFailed", func(t *testing.T) {
		s := open(t)
		d := enqueueOne(t, s, post("C1", "s1", t0))
		claim(t, s, "a", t0, 1)
		wantErr(t, "MarkFailed(wrong owner)", s.MarkFailed(ctx, d.ID, "b", "nope"), store.ErrLeaseLost)
		must(t, "MarkFailed", s.MarkFailed(ctx, d.ID, "a", "channel_not_found"))
		got := byID(t, s, d.ID)
		if got.Status != store.StatusFailed || got.LastError != "channel_not_found" {
			t.Errorf("after MarkFailed delivery = %+v, want failed with the reason", got)
		}
		failed, err := s.Deliveries(ctx, store.StatusFailed, 10)
		must(t, "Deliveries(failed)", err)
		if !slices.Equal(deliveryIDs(failed), []int64{d.ID}) {
			t.Errorf("Deliveries(failed) = %v, want [%d]", deliveryIDs(failed), d.ID)
		}
		if c := claim(t, s, "b", t0.Add(time.Hour), 10); len(c) != 0 {
			t.Errorf("failed delivery claimed again: %v", deliveryIDs(c))
		}
	})

	t.Run("MarkDropped", func(t *testing.T) {
		s := open(t)
		sent := enqueueOne(t, s, post("C1", "s0", t0))
		claim(t, s, "a", t0, 1)
		must(t, "MarkSent", s.MarkSent(ctx, sent.ID, "a", "ts.0", t0, []string{"s0"}))
		d1 := enqueueOne(t, s, post("C1", "s1", t0.Add(time.Second)))
		d2 := enqueueOne(t, s, post("C1", "s2", t0.Add(2*time.Second)))
		must(t, "MarkDropped", s.MarkDropped(ctx, []int64{d1.ID, sent.ID}, "folded into roll-up"))
		if got := byID(t, s, d1.ID); got.Status != store.StatusDropped {
			t.Errorf("dropped delivery has status %q, want %q", got.Status, store.StatusDropped)
		}
		if got := byID(t, s, sent.ID); got.Status != store.StatusSent || got.MessageRef != "ts.0" {
			t.Errorf("MarkDropped changed a sent delivery: %+v", got)
		}
		dropped, err := s.Deliveries(ctx, store.StatusDropped, 10)
		must(t, "Deliveries(dropped)", err)
		if !slices.Equal(deliveryIDs(dropped), []int64{d1.ID}) {
			t.Errorf("Deliveries(dropped) = %v, want [%d]", deliveryIDs(dropped), d1.ID)
		}
		if c := claim(t, s, "b", t0.Add(time.Hour), 10); !slices.Equal(deliveryIDs(c), []int64{d2.ID}) {
			t.Errorf("claimable after MarkDropped = %v, want [%d]", deliveryIDs(c), d2.ID)
		}
		must(t, "MarkDropped(nil)", s.MarkDropped(ctx, nil, "nothing"))
	})

	t.Run("DropUpdates", func(t *testing.T) {
		s := open(t)
		upd := func(channel string, item int64) store.Delivery {
			return store.Delivery{Platform: "slack", Channel: channel, Kind: store.KindUpdate, StoryID: "s1", ItemID: item, Created: t0}
		}
		u1 := enqueueOne(t, s, upd("C1", 101))
		u2 := enqueueOne(t, s, upd("C1", 102))
		other := enqueueOne(t, s, upd("C2", 101))
		p := enqueueOne(t, s, post("C1", "s9", t0))
		must(t, "DropUpdates", s.DropUpdates(ctx, "slack", "C1", []int64{101, 555}, "listed in the root post"))
		if got := byID(t, s, u1.ID); got.Status != store.StatusDropped {
			t.Errorf("update of item 101 in C1: status %q, want dropped", got.Status)
		}
		for _, d := range []store.Delivery{u2, other, p} {
			if got := byID(t, s, d.ID); got.Status != store.StatusPending {
				t.Errorf("DropUpdates touched %+v: status %q", d, got.Status)
			}
		}
		must(t, "DropUpdates(nil)", s.DropUpdates(ctx, "slack", "C1", nil, "nothing"))
	})

	t.Run("PostAfterDroppedPostIsAPost", func(t *testing.T) {
		// A channel unsubscribed (its pending post dropped), then subscribed
		// again: the story's next report is a new root post, not an update
		// waiting for a root that will never come.
		s := open(t)
		first := enqueueOne(t, s, post("C1", "s1", t0))
		must(t, "MarkDropped", s.MarkDropped(ctx, []int64{first.ID}, "unsubscribed"))
		again := post("C1", "s1", t0.Add(time.Minute))
		again.ItemID = 42
		second := enqueueOne(t, s, again)
		if got := byID(t, s, second.ID); got.Kind != store.KindPost {
			t.Errorf("report after a dropped post has kind %q, want %q", got.Kind, store.KindPost)
		}
	})
}
