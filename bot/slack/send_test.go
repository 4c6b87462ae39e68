package slack

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
)

func storyDelivery(id int64, channel string) bot.Delivery {
	return bot.Delivery{ID: id, Platform: "slack", Channel: channel, Attempt: 1, Post: bot.Post{
		Kind: bot.KindPost, StoryID: "st-1", Title: "Checkpoint attacked near Sinjar", URL: "https://a.example/1",
		Summary: "Gunmen attacked a checkpoint.", Sources: []bot.Source{{Name: "Rudaw", Title: "Checkpoint attacked", URL: "https://a.example/1"}},
		Regions: []string{"iraq"}, Topics: []string{"terrorism"}, Time: time.Unix(1764140000, 0),
	}}
}

func TestSendStoryPost(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	ts, err := a.Send(t.Context(), storyDelivery(41, "C1"))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	calls := f.callsOf("chat.postMessage")
	if len(calls) != 1 {
		t.Fatalf("chat.postMessage called %d times, want 1", len(calls))
	}
	form := calls[0].Form
	if got := form.Get("channel"); got != "C1" {
		t.Errorf("channel = %q, want C1", got)
	}
	if form.Get("thread_ts") != "" {
		t.Errorf("root post has thread_ts %q", form.Get("thread_ts"))
	}
	if form.Get("unfurl_links") != "false" {
		t.Errorf("unfurl_links = %q, want false", form.Get("unfurl_links"))
	}
	if !strings.Contains(form.Get("text"), "Checkpoint attacked near Sinjar") {
		t.Errorf("fallback text = %q, want the title", form.Get("text"))
	}
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(form.Get("blocks")), &blocks); err != nil || len(blocks) < 3 {
		t.Fatalf("blocks = %q (%v), want a JSON array of ≥3 blocks", form.Get("blocks"), err)
	}
	if blocks[0]["type"] != "header" {
		t.Errorf("first block type = %v, want header", blocks[0]["type"])
	}
	msgs := f.messages()
	if len(msgs) != 1 || msgs[0].TS != ts {
		t.Fatalf("Send returned ts %q; fake stored %+v", ts, msgs)
	}
	md := msgs[0].Metadata
	if md["event_type"] != "sitrep_story" {
		t.Errorf("metadata event_type = %v, want sitrep_story", md["event_type"])
	}
	payload, _ := md["event_payload"].(map[string]any)
	if payload["delivery_id"] != float64(41) || payload["story_id"] != "st-1" || payload["kind"] != "post" {
		t.Errorf("metadata payload = %v, want delivery_id 41, story_id st-1, kind post", payload)
	}
	if calls[0].Form.Get("token") != "xoxb-test-token" {
		t.Errorf("bot token not sent")
	}
}

func TestSendMetadataPerKind(t *testing.T) {
	tests := []struct{ kind, eventType string }{
		{bot.KindPost, "sitrep_story"},
		{bot.KindRollup, "sitrep_rollup"},
		{bot.KindDigest, "sitrep_digest"},
		{bot.KindReply, "sitrep_reply"},
	}
	for i, tt := range tests {
		f := newFakeSlack(t)
		a, _ := newTestAdapter(t, f, nil)
		d := storyDelivery(int64(100+i), "C1")
		d.Post.Kind = tt.kind
		d.Post.Stories = []bot.StoryLine{{Title: "x", URL: "https://a.example/x", Sources: 1}}
		d.Post.Text = "body"
		if _, err := a.Send(t.Context(), d); err != nil {
			t.Fatalf("Send(%s): %v", tt.kind, err)
		}
		m := f.messages()[0]
		if m.Metadata["event_type"] != tt.eventType {
			t.Errorf("Send(%s): event_type = %v, want %s", tt.kind, m.Metadata["event_type"], tt.eventType)
		}
		if m.Blocks == "" {
			t.Errorf("Send(%s): no blocks", tt.kind)
		}
	}
}

func TestSendUpdateThreadsAndEditsRoot(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	root, err := a.Send(t.Context(), storyDelivery(1, "C1"))
	if err != nil {
		t.Fatalf("Send root: %v", err)
	}
	upd := storyDelivery(2, "C1")
	second := bot.Source{Name: "Kurdistan24", Title: "Attack on Sinjar checkpoint", URL: "https://b.example/2"}
	upd.Post.Kind = bot.KindUpdate
	upd.Post.Sources = append(upd.Post.Sources, second)
	upd.Post.Update = &second
	upd.Thread = root
	upd.EditRoot = true
	ts, err := a.Send(t.Context(), upd)
	if err != nil {
		t.Fatalf("Send update: %v", err)
	}
	if ts == root || ts == "" {
		t.Errorf("update ts = %q, want a new reply ts (root %q)", ts, root)
	}
	msgs := f.messages()
	if len(msgs) != 2 {
		t.Fatalf("fake holds %d messages, want root + reply", len(msgs))
	}
	reply := msgs[1]
	if reply.ThreadTS != root {
		t.Errorf("reply thread_ts = %q, want root %q", reply.ThreadTS, root)
	}
	for _, want := range []string{"Also reported by", "Kurdistan24", "Attack on Sinjar checkpoint", "https://b.example/2"} {
		if !strings.Contains(reply.Text, want) {
			t.Errorf("reply text %q lacks %q", reply.Text, want)
		}
	}
	if reply.Metadata["event_type"] != "sitrep_update" {
		t.Errorf("reply metadata = %v", reply.Metadata)
	}
	updates := f.callsOf("chat.update")
	if len(updates) != 1 {
		t.Fatalf("chat.update called %d times, want 1", len(updates))
	}
	if got := updates[0].Form.Get("ts"); got != root {
		t.Errorf("chat.update ts = %q, want root %q", got, root)
	}
	if !strings.Contains(msgs[0].Blocks, "Kurdistan24") || !strings.Contains(msgs[0].Blocks, "Reported by 2 sources") {
		t.Errorf("root not re-rendered with both sources: %s", msgs[0].Blocks)
	}
}

func TestSendUpdateRootGoneStillDelivers(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	root, err := a.Send(t.Context(), storyDelivery(1, "C1"))
	if err != nil {
		t.Fatal(err)
	}
	upd := storyDelivery(2, "C1")
	upd.Post.Kind, upd.Thread, upd.EditRoot = bot.KindUpdate, root, true
	f.failNext("chat.update", fault{code: "cant_update_message"})
	if _, err := a.Send(t.Context(), upd); err != nil {
		t.Errorf("Send with uneditable root = %v, want nil (the reply was posted)", err)
	}
}

func TestSendRetryFindsEarlierAttempt(t *testing.T) {
	tests := []struct {
		name     string
		threaded bool
		lookup   string
	}{
		{"root", false, "conversations.history"},
		{"thread reply", true, "conversations.replies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSlack(t)
			a, _ := newTestAdapter(t, f, nil)
			// Another story's post and an unrelated message are in the channel too.
			other, err := a.Send(t.Context(), storyDelivery(6, "C1"))
			if err != nil {
				t.Fatal(err)
			}
			d := storyDelivery(7, "C1")
			if tt.threaded {
				d.Post.Kind, d.Thread = bot.KindUpdate, other
			}
			// Slack accepts the post but the answer is lost (502, then a
			// dropped connection on the next delivery).
			f.failNext("chat.postMessage", fault{status: 502, accept: true})
			if _, err := a.Send(t.Context(), d); err == nil || bot.IsPermanent(err) {
				t.Fatalf("first attempt: err = %v, want a transient error", err)
			}
			before := len(f.messages())
			d.Attempt = 2
			ts, err := a.Send(t.Context(), d)
			if err != nil {
				t.Fatalf("second attempt: %v", err)
			}
			if after := len(f.messages()); after != before {
				t.Errorf("second attempt posted again: %d messages, want %d", after, before)
			}
			if want := f.messages()[before-1].TS; ts != want {
				t.Errorf("second attempt ts = %q, want the earlier post's %q", ts, want)
			}
			calls := f.callsOf(tt.lookup)
			if len(calls) == 0 || calls[0].Form.Get("include_all_metadata") != "1" {
				t.Errorf("%s calls = %+v, want one with include_all_metadata=1", tt.lookup, calls)
			}
		})
	}
}

func TestSendConnectionDroppedAfterAccept(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	d := storyDelivery(11, "C1")
	f.failNext("chat.postMessage", fault{accept: true, drop: true})
	_, err := a.Send(t.Context(), d)
	if err == nil || bot.IsPermanent(err) || bot.RetryDelay(err) != 0 {
		t.Fatalf("Send with a dropped connection = %v, want a plain transient error", err)
	}
	if n := len(f.callsOf("chat.postMessage")); n != 1 {
		t.Errorf("chat.postMessage sent %d times; the adapter must not resend an ambiguous post itself", n)
	}
	d.Attempt = 2
	ts, err := a.Send(t.Context(), d)
	if err != nil || ts != f.messages()[0].TS || len(f.messages()) != 1 {
		t.Errorf("retry = %q, %v; messages %d; want the first post's ts and no duplicate", ts, err, len(f.messages()))
	}
}

func TestSendRetryPostsWhenNothingFound(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	if _, err := a.Send(t.Context(), storyDelivery(8, "C1")); err != nil {
		t.Fatal(err)
	}
	d := storyDelivery(9, "C1")
	d.Attempt = 3
	if _, err := a.Send(t.Context(), d); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if n := len(f.messages()); n != 2 {
		t.Errorf("fake holds %d messages, want 2 (delivery 9 was never posted before)", n)
	}
	if len(f.callsOf("conversations.history")) != 1 {
		t.Errorf("want one history lookup on attempt 3")
	}
}

func TestSendFirstAttemptSkipsLookup(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	if _, err := a.Send(t.Context(), storyDelivery(1, "C1")); err != nil {
		t.Fatal(err)
	}
	if n := len(f.callsOf("conversations.history")); n != 0 {
		t.Errorf("attempt 1 read history %d times, want 0", n)
	}
}

func TestSendRateLimited(t *testing.T) {
	f := newFakeSlack(t)
	a, slept := newTestAdapter(t, f, nil)
	f.failNext("chat.postMessage", fault{status: 429, retryAfter: "30"})
	_, err := a.Send(t.Context(), storyDelivery(1, "C1"))
	if err == nil {
		t.Fatal("Send after 429 = nil error")
	}
	if got := bot.RetryDelay(err); got != 30*time.Second {
		t.Errorf("RetryDelay = %v, want 30s", got)
	}
	if bot.IsPermanent(err) {
		t.Errorf("429 classified permanent")
	}
	if n := len(f.messages()); n != 0 {
		t.Errorf("fake stored %d messages after a 429", n)
	}
	for _, d := range *slept {
		if d >= 30*time.Second {
			t.Errorf("adapter waited %v itself; the Deliverer should", d)
		}
	}
	// The channel's pace now starts after the requested wait.
	if w := a.pace.reserve("C1"); w < 29*time.Second {
		t.Errorf("next slot for C1 in %v, want ≥ 29s after a Retry-After of 30s", w)
	}
}

func TestSendShortRateLimitAbsorbed(t *testing.T) {
	f := newFakeSlack(t)
	a, slept := newTestAdapter(t, f, nil)
	frozen := time.Unix(1764140000, 0)
	a.now = func() time.Time { return frozen }
	f.failNext("chat.postMessage", fault{status: 429, retryAfter: "1"})
	if _, err := a.Send(t.Context(), storyDelivery(1, "C1")); err != nil {
		t.Fatalf("Send after one short 429 = %v, want success", err)
	}
	if n := len(f.messages()); n != 1 {
		t.Errorf("fake stored %d messages, want 1", n)
	}
	if len(*slept) != 1 || (*slept)[0] != time.Second {
		t.Errorf("adapter sleeps = %v, want one wait of 1s before the retry", *slept)
	}
	// A second 429 in the same Send goes back to the Deliverer.
	f.failNext("chat.postMessage", fault{status: 429, retryAfter: "1"})
	f.failNext("chat.postMessage", fault{status: 429, retryAfter: "1"})
	if _, err := a.Send(t.Context(), storyDelivery(2, "C1")); bot.RetryDelay(err) != time.Second {
		t.Errorf("Send after two 429s = %v, want RateLimited(1s)", err)
	}
}

func TestRateLimitVariants(t *testing.T) {
	tests := []struct {
		name  string
		fault fault
		want  time.Duration
	}{
		{"retry-after", fault{status: 429, retryAfter: "7"}, 7 * time.Second},
		{"bare 429", fault{status: 429}, defaultRetryAfter},
		{"ok:false ratelimited", fault{code: "ratelimited"}, defaultRetryAfter},
	}
	for _, tt := range tests {
		f := newFakeSlack(t)
		a, _ := newTestAdapter(t, f, nil)
		for range 2 { // the adapter may absorb the first
			f.failNext("chat.postMessage", tt.fault)
		}
		_, err := a.Send(t.Context(), storyDelivery(1, "C1"))
		if got := bot.RetryDelay(err); got != tt.want || bot.IsPermanent(err) {
			t.Errorf("%s: Send = %v (delay %v), want RateLimited(%v)", tt.name, err, got, tt.want)
		}
		if n := len(f.messages()); n != 0 {
			t.Errorf("%s: %d messages stored", tt.name, n)
		}
	}
}

func TestSendPacesPerChannel(t *testing.T) {
	f := newFakeSlack(t)
	a, slept := newTestAdapter(t, f, nil)
	frozen := time.Unix(1764140000, 0)
	a.now = func() time.Time { return frozen }
	for i, ch := range []string{"C1", "C2", "C1"} {
		if _, err := a.Send(t.Context(), storyDelivery(int64(i+1), ch)); err != nil {
			t.Fatal(err)
		}
	}
	if len(*slept) != 1 || (*slept)[0] != time.Second {
		t.Errorf("sleeps = %v, want one 1s wait before the second post to C1", *slept)
	}
}

func TestPacerReserve(t *testing.T) {
	now := time.Unix(1000, 0)
	p := newPacer(time.Second, func() time.Time { return now })
	steps := []struct {
		advance time.Duration
		channel string
		want    time.Duration
	}{
		{0, "C1", 0},
		{0, "C1", time.Second},
		{0, "C1", 2 * time.Second},
		{0, "C2", 0},
		{5 * time.Second, "C1", 0},
		{300 * time.Millisecond, "C1", 700 * time.Millisecond},
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		if got := p.reserve(s.channel); got != s.want {
			t.Errorf("step %d: reserve(%s) = %v, want %v", i, s.channel, got, s.want)
		}
	}
}

func TestSendErrorClassification(t *testing.T) {
	tests := []struct {
		fault     fault
		permanent bool
		reason    string
	}{
		{fault{code: "not_in_channel"}, true, "not_in_channel"},
		{fault{code: "channel_not_found"}, true, "channel_not_found"},
		{fault{code: "invalid_auth"}, true, "invalid_auth"},
		{fault{code: "account_inactive"}, true, "account_inactive"},
		{fault{code: "token_revoked"}, true, "token_revoked"},
		{fault{code: "missing_scope"}, true, "missing_scope"},
		{fault{code: "is_archived"}, true, "is_archived"},
		{fault{code: "internal_error"}, false, ""},
		{fault{code: "fatal_error"}, false, ""},
		{fault{status: 500}, false, ""},
		{fault{status: 503}, false, ""},
	}
	for _, tt := range tests {
		f := newFakeSlack(t)
		a, _ := newTestAdapter(t, f, nil)
		f.failNext("chat.postMessage", tt.fault)
		_, err := a.Send(t.Context(), storyDelivery(1, "C1"))
		if err == nil {
			t.Errorf("Send with %+v = nil error", tt.fault)
			continue
		}
		if got := bot.IsPermanent(err); got != tt.permanent {
			t.Errorf("Send with %+v: IsPermanent = %v, want %v (err %v)", tt.fault, got, tt.permanent, err)
		}
		var se *bot.SendError
		if tt.permanent && (!errors.As(err, &se) || se.Reason != tt.reason) {
			t.Errorf("Send with %+v: err %v, want reason %q", tt.fault, err, tt.reason)
		}
		if n := len(f.callsOf("chat.postMessage")); n != 1 {
			t.Errorf("Send with %+v called chat.postMessage %d times, want 1", tt.fault, n)
		}
	}
}

func TestSendRejectedBlocksFallBackToText(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	f.failNext("chat.postMessage", fault{code: "invalid_blocks"})
	if _, err := a.Send(t.Context(), storyDelivery(1, "C1")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := f.messages()
	if len(msgs) != 1 || msgs[0].Blocks != "" || msgs[0].Text == "" {
		t.Errorf("messages = %+v, want one text-only post", msgs)
	}
}

func TestSendCancelledWhilePacing(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	a.sleep = sleepCtx
	if _, err := a.Send(t.Context(), storyDelivery(1, "C1")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	_, err := a.Send(ctx, storyDelivery(2, "C1")) // must wait ~1s for its slot
	if !errors.Is(err, context.DeadlineExceeded) || bot.IsPermanent(err) {
		t.Errorf("Send under a short deadline = %v, want a transient deadline error", err)
	}
	if n := len(f.messages()); n != 1 {
		t.Errorf("fake holds %d messages, want 1", n)
	}
}

func TestSendEmptyChannelIsPermanent(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	if _, err := a.Send(t.Context(), storyDelivery(1, " ")); !bot.IsPermanent(err) {
		t.Errorf("Send to empty channel = %v, want permanent", err)
	}
}

func TestSendRetryWhenThreadUnreadablePosts(t *testing.T) {
	// A deleted root (thread_not_found) or an API without
	// conversations.replies (404): nothing to find, so post the reply.
	for _, ft := range []fault{{code: "thread_not_found"}, {status: 404}} {
		f := newFakeSlack(t)
		a, _ := newTestAdapter(t, f, nil)
		d := storyDelivery(3, "C1")
		d.Post.Kind, d.Thread, d.Attempt = bot.KindUpdate, "1600000000.000001", 2
		f.failNext("conversations.replies", ft)
		if _, err := a.Send(t.Context(), d); err != nil {
			t.Fatalf("Send with replies %+v = %v, want the reply posted", ft, err)
		}
		if n := len(f.messages()); n != 1 {
			t.Errorf("replies %+v: fake holds %d messages, want 1", ft, n)
		}
	}
}

func TestSendHistoryErrors(t *testing.T) {
	tests := []struct {
		fault     fault
		wantPost  bool
		permanent bool
	}{
		{fault{code: "missing_scope"}, true, false}, // cannot check: post rather than lose it
		{fault{status: 404}, true, false},           // an API without the method, likewise
		{fault{code: "not_in_channel"}, false, true},
		{fault{status: 429, retryAfter: "20"}, false, false},
	}
	for _, tt := range tests {
		f := newFakeSlack(t)
		a, _ := newTestAdapter(t, f, nil)
		d := storyDelivery(4, "C1")
		d.Attempt = 2
		f.failNext("conversations.history", tt.fault)
		_, err := a.Send(t.Context(), d)
		if posted := len(f.messages()) == 1; posted != tt.wantPost {
			t.Errorf("history %+v: posted = %v, want %v (err %v)", tt.fault, posted, tt.wantPost, err)
		}
		if tt.wantPost != (err == nil) {
			t.Errorf("history %+v: err = %v", tt.fault, err)
		}
		if bot.IsPermanent(err) != tt.permanent {
			t.Errorf("history %+v: permanent = %v, want %v", tt.fault, bot.IsPermanent(err), tt.permanent)
		}
	}
}

func TestSendUpdateLeavesRollupRootAlone(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	roll := storyDelivery(1, "C1")
	roll.Post = bot.Post{Kind: bot.KindRollup, Stories: []bot.StoryLine{
		{StoryID: "st-1", Title: "One", URL: "https://a.example/1"}, {StoryID: "st-2", Title: "Two", URL: "https://a.example/2"}}}
	root, err := a.Send(t.Context(), roll)
	if err != nil {
		t.Fatal(err)
	}
	upd := storyDelivery(2, "C1")
	upd.Post.Kind, upd.Thread, upd.EditRoot = bot.KindUpdate, root, true
	if _, err := a.Send(t.Context(), upd); err != nil {
		t.Fatalf("Send update under a roll-up: %v", err)
	}
	if n := len(f.callsOf("chat.update")); n != 0 {
		t.Errorf("chat.update called %d times on a roll-up root, want 0", n)
	}
	if m := f.messages(); len(m) != 2 || m[1].ThreadTS != root {
		t.Errorf("messages = %+v, want the update threaded under the roll-up", m)
	}
}
