package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/sitrep-bot/sitrep/bot"
)

func samplePost() bot.Post {
	return bot.Post{
		Kind:     bot.KindPost,
		StoryID:  "st-42",
		Title:    "Drone strike near Erbil airport",
		URL:      "https://news.example/erbil-drone?id=1",
		Summary:  "A drone struck near the airport on Tuesday. No casualties were reported.",
		Sources:  []bot.Source{{Name: "Rudaw", Title: "Drone strike near Erbil airport", URL: "https://rudaw.example/a"}},
		Regions:  []string{"iraq", "kurdistan-region"},
		Topics:   []string{"armed-conflict"},
		Severity: "high",
		Time:     time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC),
	}
}

// sentMessage is the create-message body as the fake received it.
type sentMessage struct {
	Content          string                      `json:"content"`
	Embeds           []*discordgo.MessageEmbed   `json:"embeds"`
	Nonce            *string                     `json:"nonce"`
	EnforceNonce     *bool                       `json:"enforce_nonce"`
	MessageReference *discordgo.MessageReference `json:"message_reference"`
	AllowedMentions  *struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
}

func TestRewriteTransport(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r }))
	defer srv.Close()
	tr, err := newRewriteTransport(srv.URL+"/proxy/api/v10", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: tr}
	resp, err := c.Get(discordgo.EndpointChannelMessages("123") + "?limit=5")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got == nil {
		t.Fatal("request did not reach the configured api_url")
	}
	if got.URL.Path != "/proxy/api/v10/channels/123/messages" || got.URL.RawQuery != "limit=5" {
		t.Errorf("rewritten to %s?%s, want /proxy/api/v10/channels/123/messages?limit=5", got.URL.Path, got.URL.RawQuery)
	}
	for _, bad := range []string{"", "not a url", "ftp://x/", "/relative/"} {
		if _, err := newRewriteTransport(bad, nil); err == nil {
			t.Errorf("newRewriteTransport(%q) = nil error, want error", bad)
		}
	}
}

func TestSendPostGoesToAPIURL(t *testing.T) {
	f := newFakeDiscord(t)
	a := newTestAdapter(t, f, Config{Token: "sekrit"}, nil)
	id, err := a.Send(t.Context(), bot.Delivery{ID: 77, Platform: "discord", Channel: "555", Attempt: 1, Post: samplePost()})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	reqs := f.requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.Path != "/api/v10/channels/555/messages" {
		t.Errorf("request = %s %s, want POST /api/v10/channels/555/messages", r.Method, r.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bot sekrit" {
		t.Errorf("Authorization = %q, want %q", got, "Bot sekrit")
	}
	if id != "1001" {
		t.Errorf("Send returned id %q, want the created message id 1001", id)
	}
	var m sentMessage
	r.decode(t, &m)
	if m.Nonce == nil || *m.Nonce != Nonce(77) || m.EnforceNonce == nil || !*m.EnforceNonce {
		t.Errorf("nonce/enforce_nonce = %v/%v, want %q/true", m.Nonce, m.EnforceNonce, Nonce(77))
	}
	if m.AllowedMentions == nil || len(m.AllowedMentions.Parse) != 0 {
		t.Errorf("allowed_mentions = %+v, want parse:[] (no pings)", m.AllowedMentions)
	}
	if len(m.Embeds) != 1 {
		t.Fatalf("got %d embeds, want 1", len(m.Embeds))
	}
	e := m.Embeds[0]
	if e.Title != "Drone strike near Erbil airport" || e.URL != "https://news.example/erbil-drone?id=1" {
		t.Errorf("embed title/url = %q/%q", e.Title, e.URL)
	}
	if e.Color != colorHigh {
		t.Errorf("colour = %#x, want high %#x", e.Color, colorHigh)
	}
	if e.Timestamp != "2026-11-24T10:00:00Z" {
		t.Errorf("timestamp = %q", e.Timestamp)
	}
	if !strings.Contains(e.Footer.Text, "st-42") {
		t.Errorf("footer %q does not name the story", e.Footer.Text)
	}
	names := map[string]string{}
	for _, fl := range e.Fields {
		names[fl.Name] = fl.Value
	}
	if !strings.Contains(names["Source"], "[Rudaw](https://rudaw.example/a)") {
		t.Errorf("Source field = %q, want a link to Rudaw", names["Source"])
	}
	if names["Regions"] != "iraq, kurdistan-region" || names["Topics"] != "armed-conflict" {
		t.Errorf("regions/topics fields = %q / %q", names["Regions"], names["Topics"])
	}
}

func TestNonce(t *testing.T) {
	for _, id := range []int64{1, 77, 1 << 40, 1<<63 - 1, -5} {
		n := Nonce(id)
		if len(n) > 25 || !strings.HasPrefix(n, "sitrep-") {
			t.Errorf("Nonce(%d) = %q: want ≤25 chars with prefix sitrep-", id, n)
		}
		if n == Nonce(id+1) {
			t.Errorf("Nonce(%d) == Nonce(%d)", id, id+1)
		}
	}
	if Nonce(0) != "" {
		t.Errorf("Nonce(0) = %q, want empty (no outbox id, no dedupe)", Nonce(0))
	}
}

// checkLimits fails t when es break any of Discord's message limits.
func checkLimits(t *testing.T, es []*discordgo.MessageEmbed) {
	t.Helper()
	if len(es) > limitEmbeds {
		t.Errorf("%d embeds > %d", len(es), limitEmbeds)
	}
	total := 0
	for i, e := range es {
		if n := textLen(e.Title); n > limitTitle {
			t.Errorf("embed %d title %d > %d", i, n, limitTitle)
		}
		if n := textLen(e.Description); n > limitDescription {
			t.Errorf("embed %d description %d > %d", i, n, limitDescription)
		}
		if len(e.Fields) > limitFields {
			t.Errorf("embed %d has %d fields > %d", i, len(e.Fields), limitFields)
		}
		for _, f := range e.Fields {
			if n := textLen(f.Name); n == 0 || n > limitFieldName {
				t.Errorf("embed %d field name length %d", i, n)
			}
			if n := textLen(f.Value); n == 0 || n > limitFieldValue {
				t.Errorf("embed %d field %q value length %d", i, f.Name, n)
			}
		}
		if e.Footer != nil && textLen(e.Footer.Text) > limitFooter {
			t.Errorf("embed %d footer too long", i)
		}
		total += embedLen(e)
	}
	if total > limitTotal {
		t.Errorf("embeds total %d > %d", total, limitTotal)
	}
}

// liveLink matches an unescaped "](", the middle of a markdown link.
var liveLink = regexp.MustCompile(`(^|[^\\])\]\(`)

func manySources(n, titleLen int) []bot.Source {
	out := make([]bot.Source, n)
	for i := range out {
		out[i] = bot.Source{
			Name:  fmt.Sprintf("Outlet %d", i),
			Title: strings.Repeat("w", titleLen),
			URL:   fmt.Sprintf("https://outlet%d.example/%s", i, strings.Repeat("p", 80)),
		}
	}
	return out
}

func TestPostEmbedLimits(t *testing.T) {
	huge := strings.Repeat("Lorem ipsum dolor sit amet. ", 1000)
	tests := []struct {
		name string
		post bot.Post
	}{
		{"huge title", bot.Post{Title: strings.Repeat("T", 1000), URL: "https://x.example/"}},
		{"huge summary", bot.Post{Title: "t", Summary: huge}},
		{"emoji summary", bot.Post{Title: strings.Repeat("🚀", 300), Summary: strings.Repeat("🛰️", 5000)}},
		{"many sources", bot.Post{Title: "t", Summary: "s", Sources: manySources(200, 150)}},
		{"everything huge", bot.Post{
			Title: huge, Summary: huge, Sources: manySources(60, 400),
			Regions: strings.Fields(strings.Repeat("iraq iran syria ", 200)),
			Topics:  strings.Fields(strings.Repeat("terrorism cyber ", 200)),
		}},
		{"hostile text", bot.Post{Title: "@everyone", Summary: "@here [click](https://evil.example) **bold**",
			Sources: []bot.Source{{Name: "x](https://evil.example)", URL: "javascript:alert(1)"}}}},
		{"empty", bot.Post{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := postEmbed(tt.post)
			checkLimits(t, []*discordgo.MessageEmbed{e})
			if e.Title == "" {
				t.Error("title is empty")
			}
			if liveLink.MatchString(e.Description) || strings.Contains(e.Description, "@here") {
				t.Errorf("description keeps live markdown or mentions: %q", e.Description)
			}
			for _, f := range e.Fields {
				if strings.Contains(f.Value, "javascript:") || liveLink.MatchString(f.Value) && strings.Contains(f.Value, "evil") {
					t.Errorf("field %q keeps a hostile link: %q", f.Name, f.Value)
				}
			}
		})
	}
}

func TestPostEmbedCountsHiddenSources(t *testing.T) {
	e := postEmbed(bot.Post{Title: "t", Sources: manySources(200, 150)})
	last := e.Fields[len(e.Fields)-1]
	for _, f := range e.Fields {
		if strings.HasPrefix(f.Name, "Sources") {
			last = f
		}
	}
	if !strings.Contains(last.Value, "more") {
		t.Errorf("last source field %q does not count the sources left out", last.Value)
	}
	shown := 0
	for _, f := range e.Fields {
		shown += strings.Count(f.Value, "https://outlet")
	}
	if shown < 10 {
		t.Errorf("only %d sources shown, want the fields filled", shown)
	}
	var more int
	if i := strings.LastIndex(last.Value, "+"); i >= 0 {
		if n, err := fmt.Sscanf(last.Value[i:], "+%d more", &more); n != 1 {
			t.Fatalf("overflow line %q: %v", last.Value[i:], err)
		}
	}
	if shown+more != 200 {
		t.Errorf("%d shown + %d more = %d, want every one of the 200 sources accounted for", shown, more, shown+more)
	}
}

func TestPostEmbedListsEveryReport(t *testing.T) {
	srcs := []bot.Source{
		{Name: "Daily8", Title: "Iraq, Iran sign border security agreement", URL: "https://daily8.example/a"},
		{Name: "Rudaw Net", Title: "Iraq-Iran new security deal updates 2023 agreement", URL: "https://rudaw.example/b"},
		{Name: "Shafaq News", Title: "Iraq-Iran memorandum: Tighten border control", URL: "https://shafaq.example/c"},
	}
	e := postEmbed(bot.Post{Title: srcs[0].Title, URL: srcs[0].URL, Sources: srcs})
	var all string
	for _, f := range e.Fields {
		all += f.Name + "\n" + f.Value + "\n"
	}
	for _, s := range srcs {
		if !strings.Contains(all, "["+s.Name+"]("+s.URL+")") {
			t.Errorf("fields lack a link to %s: %s", s.Name, all)
		}
	}
	if !strings.Contains(all, "Sources (3)") || strings.Contains(all, "more") {
		t.Errorf("fields = %s, want the three sources and nothing more", all)
	}
}

func TestRollupAndReplyLimits(t *testing.T) {
	var stories []bot.StoryLine
	for i := range 300 {
		stories = append(stories, bot.StoryLine{StoryID: fmt.Sprint(i), Title: strings.Repeat("headline ", 30),
			URL: fmt.Sprintf("https://n.example/%d", i), Sources: 3, Regions: []string{"iraq"}, Summary: strings.Repeat("s", 500)})
	}
	r := rollupEmbed(bot.Post{Kind: bot.KindRollup, Stories: stories})
	checkLimits(t, []*discordgo.MessageEmbed{r})
	if !strings.Contains(r.Description, "https://n.example/0)") || !strings.Contains(r.Description, "more") {
		t.Errorf("roll-up should link the first story and count the rest: %.200q", r.Description)
	}
	var sections []bot.Section
	for i := range 30 {
		sections = append(sections, bot.Section{Heading: fmt.Sprintf("Region %d", i), Text: strings.Repeat("brief ", 800), Stories: stories[:20]})
	}
	_, es := replyMessage("Weekly brief", strings.Repeat("intro ", 2000), sections, nil, time.Now())
	checkLimits(t, es)
	if len(es) < 2 {
		t.Errorf("got %d embeds, want the heading and at least one section", len(es))
	}
	content, es := replyMessage("", "short answer", nil, nil, time.Time{})
	if content != "short answer" || es != nil {
		t.Errorf("short text reply = %q, %d embeds; want plain content", content, len(es))
	}
}

func TestSendUpdateThreadsAndEditsRoot(t *testing.T) {
	f := newFakeDiscord(t)
	a := newTestAdapter(t, f, Config{}, nil)
	p := samplePost()
	p.Kind = bot.KindUpdate
	upd := bot.Source{Name: "Kurdistan24", Title: "Airport attacked by drone", URL: "https://k24.example/b"}
	p.Sources = append(p.Sources, upd)
	p.Update = &upd
	id, err := a.Send(t.Context(), bot.Delivery{ID: 78, Channel: "555", Thread: "888", EditRoot: true, Post: p})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	reqs := f.requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests, want reply + root edit", len(reqs))
	}
	var m sentMessage
	reqs[0].decode(t, &m)
	if reqs[0].Method != "POST" || m.MessageReference == nil || m.MessageReference.MessageID != "888" {
		t.Errorf("reply = %s with message_reference %+v, want POST referencing 888", reqs[0].Method, m.MessageReference)
	}
	if !strings.Contains(m.Content, "Also reported by **Kurdistan24**") || !strings.Contains(m.Content, "<https://k24.example/b>") {
		t.Errorf("reply content = %q", m.Content)
	}
	if id == "" || id == "888" {
		t.Errorf("Send returned %q, want the reply's id", id)
	}
	if reqs[1].Method != "PATCH" || reqs[1].Path != "/api/v10/channels/555/messages/888" {
		t.Fatalf("second request = %s %s, want PATCH of the root", reqs[1].Method, reqs[1].Path)
	}
	var edit struct {
		Embeds []*discordgo.MessageEmbed `json:"embeds"`
	}
	reqs[1].decode(t, &edit)
	if len(edit.Embeds) != 1 {
		t.Fatalf("edit has %d embeds", len(edit.Embeds))
	}
	var all string
	for _, fl := range edit.Embeds[0].Fields {
		all += fl.Value
	}
	if !strings.Contains(all, "rudaw.example") || !strings.Contains(all, "k24.example") {
		t.Errorf("edited root lists %q, want both sources", all)
	}

	// Without EditRoot: only the reply.
	f2 := newFakeDiscord(t)
	a2 := newTestAdapter(t, f2, Config{}, nil)
	if _, err := a2.Send(t.Context(), bot.Delivery{ID: 79, Channel: "555", Thread: "888", Post: p}); err != nil {
		t.Fatal(err)
	}
	if n := len(f2.requests()); n != 1 {
		t.Errorf("without EditRoot got %d requests, want 1", n)
	}
}

func TestSendRootEditGoneKeepsReply(t *testing.T) {
	f := newFakeDiscord(t)
	a := newTestAdapter(t, f, Config{}, nil)
	f.push(reply{status: 201, body: `{"id":"4242"}`}, reply{status: 404, body: `{"message":"Unknown Message","code":10008}`})
	p := samplePost()
	p.Kind = bot.KindUpdate
	id, err := a.Send(t.Context(), bot.Delivery{ID: 80, Channel: "555", Thread: "888", EditRoot: true, Post: p})
	if err != nil || id != "4242" {
		t.Errorf("Send = %q, %v; want the reply id and no error when the root is gone", id, err)
	}
}

func TestSendRetriedNonceIsStable(t *testing.T) {
	f := newFakeDiscord(t)
	a := newTestAdapter(t, f, Config{}, nil)
	f.push(reply{status: 429, header: map[string]string{"Retry-After": "1", "X-RateLimit-Scope": "user"},
		body: `{"message":"You are being rate limited.","retry_after":0.05,"global":false}`})
	d := bot.Delivery{ID: 12345, Channel: "555", Post: samplePost()}
	id1, err := a.Send(t.Context(), d)
	if err != nil {
		t.Fatalf("Send after one 429: %v", err)
	}
	// The Deliverer retries after an unknown outcome: same delivery again.
	// The history lookup is refused here, so only the nonce can dedupe.
	d.Attempt = 2
	f.push(reply{status: 403, body: `{"message":"Missing Access","code":50001}`})
	id2, err := a.Send(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	var reqs []recorded
	for _, r := range f.requests() {
		if r.Method == "POST" {
			reqs = append(reqs, r)
		}
	}
	if len(reqs) != 3 {
		t.Fatalf("got %d POSTs, want 429 + retry + resend", len(reqs))
	}
	var nonces []string
	for _, r := range reqs {
		var m sentMessage
		r.decode(t, &m)
		if m.Nonce == nil || m.EnforceNonce == nil || !*m.EnforceNonce {
			t.Fatalf("request without nonce/enforce_nonce: %s", r.Body)
		}
		nonces = append(nonces, *m.Nonce)
	}
	if nonces[0] != nonces[1] || nonces[1] != nonces[2] {
		t.Errorf("nonces differ across retries: %v", nonces)
	}
	if id1 != id2 {
		t.Errorf("resend created a second message: %q then %q", id1, id2)
	}
}

func TestSendRateLimited(t *testing.T) {
	tests := []struct {
		name      string
		retry     string
		wantReqs  int
		wantDelay time.Duration
	}{
		{"short waits exhaust tries", "0.02", maxTries, 20 * time.Millisecond},
		{"long wait goes back to the deliverer", "30.5", 1, 30500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			f.always = &reply{status: 429, body: `{"message":"You are being rate limited.","retry_after":` + tt.retry + `,"global":false}`}
			a := newTestAdapter(t, f, Config{}, nil)
			_, err := a.Send(t.Context(), bot.Delivery{ID: 1, Channel: "555", Post: samplePost()})
			if err == nil || bot.IsPermanent(err) {
				t.Fatalf("Send = %v, want a transient rate-limit error", err)
			}
			if got := bot.RetryDelay(err); got != tt.wantDelay {
				t.Errorf("RetryDelay = %v, want %v", got, tt.wantDelay)
			}
			if n := len(f.requests()); n != tt.wantReqs {
				t.Errorf("%d requests, want %d", n, tt.wantReqs)
			}
		})
	}
}

func TestSendRateLimitBoundedByContext(t *testing.T) {
	f := newFakeDiscord(t)
	f.always = &reply{status: 429, body: `{"retry_after":2,"global":false}`}
	a := newTestAdapter(t, f, Config{}, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	_, err := a.Send(ctx, bot.Delivery{ID: 1, Channel: "555", Post: samplePost()})
	if bot.RetryDelay(err) != 2*time.Second {
		t.Errorf("Send = %v, want RateLimited(2s) returned without sleeping past the deadline", err)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestSendHonoursBucketHeaders(t *testing.T) {
	f := newFakeDiscord(t)
	a := newTestAdapter(t, f, Config{}, nil)
	f.push(reply{status: 201, body: `{"id":"1"}`, header: map[string]string{
		"X-RateLimit-Bucket": "abcd", "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "60",
	}})
	if _, err := a.Send(t.Context(), bot.Delivery{ID: 1, Channel: "555", Post: samplePost()}); err != nil {
		t.Fatal(err)
	}
	_, err := a.Send(t.Context(), bot.Delivery{ID: 2, Channel: "555", Post: samplePost()})
	if d := bot.RetryDelay(err); d < 59*time.Second || d > 60*time.Second {
		t.Errorf("second Send = %v (delay %v), want RateLimited ≈60s from the exhausted bucket", err, d)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("%d requests, want 1: an exhausted bucket must not be hit", n)
	}
	// Another channel is another bucket.
	if _, err := a.Send(t.Context(), bot.Delivery{ID: 3, Channel: "556", Post: samplePost()}); err != nil {
		t.Errorf("Send to another channel: %v", err)
	}
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		permanent bool
		reason    string
	}{
		{"missing access", 403, `{"message":"Missing Access","code":50001}`, true, "missing_access"},
		{"missing permissions", 403, `{"message":"Missing Permissions","code":50013}`, true, "missing_permissions"},
		{"unknown channel", 404, `{"message":"Unknown Channel","code":10003}`, true, "channel_not_found"},
		{"bad token", 401, `{"message":"401: Unauthorized","code":0}`, true, "invalid_token"},
		{"invalid form body", 400, `{"message":"Invalid Form Body","code":50035}`, true, "bad_request"},
		{"server error", 500, `{"message":"Internal Server Error","code":0}`, false, "server_error"},
		{"bad gateway html", 502, `<html>bad gateway</html>`, false, "server_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			f.always = &reply{status: tt.status, body: tt.body}
			a := newTestAdapter(t, f, Config{}, nil)
			_, err := a.Send(t.Context(), bot.Delivery{ID: 1, Channel: "555", Post: samplePost()})
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if bot.IsPermanent(err) != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, !tt.permanent, tt.permanent)
			}
			var se *bot.SendError
			if !errors.As(err, &se) || se.Reason != tt.reason {
				t.Errorf("reason = %+v, want %q", se, tt.reason)
			}
			if n := len(f.requests()); n != 1 {
				t.Errorf("%d requests, want exactly 1 (never blindly resend a POST)", n)
			}
			if strings.Contains(err.Error(), "test-token") {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

func TestSendNetworkErrorIsTransient(t *testing.T) {
	f := newFakeDiscord(t)
	a := newTestAdapter(t, f, Config{}, nil)
	f.srv.Close()
	_, err := a.Send(t.Context(), bot.Delivery{ID: 1, Channel: "555", Post: samplePost()})
	if err == nil || bot.IsPermanent(err) {
		t.Errorf("Send to a dead server = %v, want a transient error", err)
	}
}

func TestSendRejectsBadIDs(t *testing.T) {
	f := newFakeDiscord(t)
	a := newTestAdapter(t, f, Config{}, nil)
	for _, d := range []bot.Delivery{
		{Channel: "", Post: samplePost()},
		{Channel: "../../users/@me", Post: samplePost()},
		{Channel: "555", Thread: "x/../1", Post: bot.Post{Kind: bot.KindUpdate}},
	} {
		if _, err := a.Send(t.Context(), d); !bot.IsPermanent(err) {
			t.Errorf("Send(channel %q, thread %q) = %v, want a permanent error", d.Channel, d.Thread, err)
		}
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests sent for bad ids", n)
	}
}

func TestSendRetryAfterNonceWindowFindsEarlierMessage(t *testing.T) {
	upd := samplePost()
	upd.Kind = bot.KindUpdate
	upd.Update = &bot.Source{Name: "Kurdistan24", Title: "Airport attacked", URL: "https://k24.example/b"}
	other := samplePost()
	other.StoryID, other.Title = "st-43", "Port closed after mine found"
	tests := []struct {
		name string
		d    bot.Delivery
	}{
		{"root post", bot.Delivery{ID: 500, Channel: "555", Post: samplePost()}},
		{"threaded update", bot.Delivery{ID: 501, Channel: "555", Thread: "777", Post: upd}},
		{"roll-up", bot.Delivery{ID: 502, Channel: "555", Post: bot.Post{Kind: bot.KindRollup, Title: "3 new stories",
			Stories: []bot.StoryLine{{Title: "a", URL: "https://n.example/a"}, {Title: "b", URL: "https://n.example/b"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			a := newTestAdapter(t, f, Config{}, nil)
			// Unrelated bot messages in the channel must not match.
			if _, err := a.Send(t.Context(), bot.Delivery{ID: 9, Channel: "555", Post: other}); err != nil {
				t.Fatal(err)
			}
			d := tt.d
			d.Attempt = 1
			id1, err := a.Send(t.Context(), d)
			if err != nil {
				t.Fatal(err)
			}
			f.forgetNonces()
			d.Attempt = 2
			id2, err := a.Send(t.Context(), d)
			if err != nil {
				t.Fatal(err)
			}
			if id2 != id1 {
				t.Errorf("retry returned %q, want the earlier message %q", id2, id1)
			}
			if n := f.count("POST", "/messages"); n != 2 {
				t.Errorf("%d messages created, want 2 (no duplicate)", n)
			}
			if n := f.count("GET", "/messages"); n != 1 {
				t.Errorf("%d history lookups, want 1", n)
			}
		})
	}
}

func TestSendRetryPostsWhenNotInHistory(t *testing.T) {
	f := newFakeDiscord(t)
	a := newTestAdapter(t, f, Config{}, nil)
	if _, err := a.Send(t.Context(), bot.Delivery{ID: 9, Channel: "555", Attempt: 3, Post: samplePost()}); err != nil {
		t.Fatal(err)
	}
	if f.count("GET", "/messages") != 1 || f.count("POST", "/messages") != 1 {
		t.Errorf("requests = %+v, want one lookup then one post", f.requests())
	}
	// A failing lookup (no Read Message History) must not block the send.
	f2 := newFakeDiscord(t)
	a2 := newTestAdapter(t, f2, Config{}, nil)
	f2.push(reply{status: 403, body: `{"message":"Missing Access","code":50001}`})
	if _, err := a2.Send(t.Context(), bot.Delivery{ID: 9, Channel: "555", Attempt: 2, Post: samplePost()}); err != nil {
		t.Errorf("Send after a refused lookup = %v", err)
	}
}

func TestSendKinds(t *testing.T) {
	stories := []bot.StoryLine{{StoryID: "s1", Title: "Border crossing closed", URL: "https://n.example/1", Regions: []string{"iran"}}}
	tests := []struct {
		name      string
		d         bot.Delivery
		wantEmbed string // a title one embed must have
		wantText  string // text the message must contain somewhere
	}{
		{"digest", bot.Delivery{ID: 1, Channel: "5", Post: bot.Post{Kind: bot.KindDigest, Title: "Daily brief: iran",
			Sections: []bot.Section{{Heading: "Iran", Text: "One story today.", Stories: stories}}}}, "Iran", "https://n.example/1"},
		{"reply", bot.Delivery{ID: 2, Channel: "5", Post: bot.Post{Kind: bot.KindReply, Title: "Latest", Stories: stories}}, "Latest", "Border crossing closed"},
		{"rollup", bot.Delivery{ID: 3, Channel: "5", Post: bot.Post{Kind: bot.KindRollup, Stories: stories}}, "1 new stories", "https://n.example/1"},
		{"update without root posts the story", bot.Delivery{ID: 4, Channel: "5", Post: func() bot.Post {
			p := samplePost()
			p.Kind = bot.KindUpdate
			return p
		}()}, "Drone strike near Erbil airport", "rudaw.example"},
		{"empty reply", bot.Delivery{ID: 5, Channel: "5", Post: bot.Post{Kind: bot.KindReply, Sections: []bot.Section{{}}}}, "", "Nothing to show."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			a := newTestAdapter(t, f, Config{}, nil)
			if _, err := a.Send(t.Context(), tt.d); err != nil {
				t.Fatal(err)
			}
			reqs := f.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			var m sentMessage
			reqs[0].decode(t, &m)
			checkLimits(t, m.Embeds)
			if m.Content == "" && len(m.Embeds) == 0 {
				t.Fatal("empty message")
			}
			found := tt.wantEmbed == ""
			for _, e := range m.Embeds {
				if e.Title == tt.wantEmbed {
					found = true
				}
			}
			if !found {
				t.Errorf("no embed titled %q in %s", tt.wantEmbed, reqs[0].Body)
			}
			if !strings.Contains(string(reqs[0].Body), tt.wantText) {
				t.Errorf("message lacks %q: %s", tt.wantText, reqs[0].Body)
			}
		})
	}
}

func TestSendGlobalRateLimitPausesEveryChannel(t *testing.T) {
	f := newFakeDiscord(t)
	a := newTestAdapter(t, f, Config{}, nil)
	f.push(reply{status: 429, header: map[string]string{"X-RateLimit-Global": "true"},
		body: `{"message":"You are being rate limited.","retry_after":45,"global":true}`})
	if _, err := a.Send(t.Context(), bot.Delivery{ID: 1, Channel: "555", Post: samplePost()}); bot.RetryDelay(err) != 45*time.Second {
		t.Fatalf("Send = %v, want RateLimited(45s)", err)
	}
	_, err := a.Send(t.Context(), bot.Delivery{ID: 2, Channel: "556", Post: samplePost()})
	if d := bot.RetryDelay(err); d < 44*time.Second {
		t.Errorf("Send to another channel during a global limit = %v, want RateLimited ≈45s", err)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestSendAbsorbsTwo429s(t *testing.T) {
	f := newFakeDiscord(t)
	a := newTestAdapter(t, f, Config{}, nil)
	limited := reply{status: 429, header: map[string]string{"Retry-After": "1"},
		body: `{"message":"You are being rate limited.","retry_after":0.03,"global":false}`}
	f.push(limited, limited)
	id, err := a.Send(t.Context(), bot.Delivery{ID: 31, Channel: "555", Post: samplePost()})
	if err != nil || id == "" {
		t.Fatalf("Send = %q, %v; want success after two 429s", id, err)
	}
	if n := f.count("POST", "/messages"); n != 3 {
		t.Errorf("%d POSTs, want 3", n)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		body   string
		want   time.Duration
		global bool
	}{
		{"json float", http.Header{}, `{"retry_after":1.5}`, 1500 * time.Millisecond, false},
		{"json global", http.Header{}, `{"retry_after":2,"global":true}`, 2 * time.Second, true},
		{"header only (Cloudflare html)", http.Header{"Retry-After": {"7"}}, `<html>`, 7 * time.Second, false},
		{"global header", http.Header{"X-Ratelimit-Global": {"true"}}, `{"retry_after":0.5}`, 500 * time.Millisecond, true},
		{"nothing usable", http.Header{}, `{"retry_after":-3}`, defaultRetry, false},
		{"absurd", http.Header{}, `{"retry_after":1e12}`, 24 * time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, global := retryAfter(tt.header, []byte(tt.body))
			if got != tt.want || global != tt.global {
				t.Errorf("retryAfter = %v, %v; want %v, %v", got, global, tt.want, tt.global)
			}
		})
	}
}

// TestSendUnknownOutcomeNoDuplicate covers a post that landed while its
// response was lost: the retry must not create a second message, whether
// the nonce still dedupes or only the history check can.
func TestSendUnknownOutcomeNoDuplicate(t *testing.T) {
	upd := samplePost()
	upd.Kind = bot.KindUpdate
	upd.Update = &bot.Source{Name: "AP", Title: "Drone hits airport", URL: "https://ap.example/x"}
	tests := []struct {
		name         string
		d            bot.Delivery
		forgetNonces bool // Discord's nonce memory has lapsed
		noHistory    bool // the bot may not read history
	}{
		{"nonce", bot.Delivery{ID: 70, Channel: "555", Post: samplePost()}, false, true},
		{"history", bot.Delivery{ID: 71, Channel: "555", Post: samplePost()}, true, false},
		{"both", bot.Delivery{ID: 72, Channel: "555", Post: samplePost()}, false, false},
		{"update via history", bot.Delivery{ID: 73, Channel: "555", Thread: "777", Post: upd}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			a := newTestAdapter(t, f, Config{}, nil)
			f.dropCreates = 1
			d := tt.d
			d.Attempt = 1
			if _, err := a.Send(t.Context(), d); err == nil || bot.IsPermanent(err) {
				t.Fatalf("Send with a lost response = %v, want a transient error", err)
			}
			if f.stored("555") != 1 {
				t.Fatalf("fake holds %d messages, want the one that landed", f.stored("555"))
			}
			if tt.forgetNonces {
				f.forgetNonces()
			}
			if tt.noHistory {
				f.push(reply{status: 403, body: `{"message":"Missing Access","code":50001}`})
			}
			d.Attempt = 2
			id, err := a.Send(t.Context(), d)
			if err != nil || id == "" {
				t.Fatalf("retry = %q, %v", id, err)
			}
			if n := f.stored("555"); n != 1 {
				t.Errorf("channel holds %d messages after the retry, want 1", n)
			}
		})
	}
}
