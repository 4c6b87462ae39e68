package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/sitrep-bot/sitrep/bot"
)

// fakeRouter is a commandHandler made of function fields; it records the
// commands it receives.
type fakeRouter struct {
	HandleFn   func(ctx context.Context, cmd bot.Command) bot.Reply
	CompleteFn func(ctx context.Context, cmd bot.Command, option, prefix string) []string

	mu   sync.Mutex
	cmds []bot.Command
}

func (r *fakeRouter) Handle(ctx context.Context, cmd bot.Command) bot.Reply {
	r.mu.Lock()
	r.cmds = append(r.cmds, cmd)
	r.mu.Unlock()
	return r.HandleFn(ctx, cmd)
}

func (r *fakeRouter) Commands() []bot.Subcommand { return testCommands() }

func (r *fakeRouter) Complete(ctx context.Context, cmd bot.Command, option, prefix string) []string {
	return r.CompleteFn(ctx, cmd, option, prefix)
}

func (r *fakeRouter) received() []bot.Command {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Command(nil), r.cmds...)
}

func testCommands() []bot.Subcommand {
	target := bot.Option{Name: "target", Description: "A topic or region", Autocomplete: true}
	return []bot.Subcommand{
		{Name: "search", Usage: "search <words>", Description: "Search stored reports",
			Options: []bot.Option{{Name: "query", Description: "Words to find", Required: true}}},
		{Name: "subscribe", Description: "Subscribe this channel", Options: []bot.Option{withRequired(target)}},
		{Name: "latest", Description: "Newest stories", Options: []bot.Option{
			{Name: "count", Description: "How many", Kind: bot.OptionInteger}, target}},
		{Name: "brief", Description: "A brief of the period", Options: []bot.Option{
			{Name: "period", Description: "24h or 7d", Choices: []string{"24h", "7d"}}, target}},
		{Name: "feeds", Description: "Manage feeds", Admin: true, Group: []bot.Subcommand{
			{Name: "add", Description: "Add a feed", Admin: true, Options: []bot.Option{{Name: "url", Description: "Feed or page URL", Required: true}}},
			{Name: "remove", Description: "Remove a feed", Admin: true, Options: []bot.Option{{Name: "url", Description: "Feed URL", Required: true}}},
			{Name: "list", Description: "List feeds", Admin: true},
		}},
		{Name: "help", Description: "What sitrep can do"},
	}
}

func withRequired(o bot.Option) bot.Option { o.Required = true; return o }

// signer signs interaction requests like Discord does.
type signer struct {
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
}

func newSigner(t *testing.T) signer {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return signer{pub, priv}
}

func (s signer) request(t *testing.T, body string, ts time.Time) *http.Request {
	t.Helper()
	stamp := strconv.FormatInt(ts.Unix(), 10)
	sig := ed25519.Sign(s.priv, []byte(stamp+body))
	r := httptest.NewRequest("POST", InteractionsPath, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	r.Header.Set("X-Signature-Timestamp", stamp)
	return r
}

// serve runs one interaction request through a mux with the adapter's routes.
func serve(a *Adapter, r *http.Request) *httptest.ResponseRecorder {
	mux := http.NewServeMux()
	a.Routes(mux)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	return w
}

type interactionAnswer struct {
	Type int `json:"type"`
	Data *struct {
		Content string                    `json:"content"`
		Embeds  []*discordgo.MessageEmbed `json:"embeds"`
		Flags   int                       `json:"flags"`
		Choices []struct {
			Name  string `json:"name"`
			Value any    `json:"value"`
		} `json:"choices"`
	} `json:"data"`
}

func decodeAnswer(t *testing.T, w *httptest.ResponseRecorder) interactionAnswer {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d, body %q", w.Code, w.Body.String())
	}
	var a interactionAnswer
	if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
		t.Fatalf("answer %q: %v", w.Body.String(), err)
	}
	return a
}

const pingBody = `{"id":"1","application_id":"42","type":1,"token":"tok","version":1}`

func commandBody(options string, perms string) string {
	return `{"id":"7001","application_id":"42","type":2,"token":"itok-abc","version":1,
	"guild_id":"900","channel_id":"555",
	"member":{"permissions":"` + perms + `","user":{"id":"u1","username":"analyst"}},
	"data":{"id":"c1","name":"sitrep","type":1,"options":[` + options + `]}}`
}

func newHTTPAdapter(t *testing.T, f *fakeDiscord, s signer, h commandHandler) *Adapter {
	t.Helper()
	return newTestAdapter(t, f, Config{ApplicationID: "42", PublicKey: hex.EncodeToString(s.pub), GuildIDs: []string{"900"}}, h)
}

func TestInteractionSignature(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	a := newHTTPAdapter(t, f, s, nil)
	now := time.Now()
	other := newSigner(t)

	tests := []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{"valid ping", func() *http.Request { return s.request(t, pingBody, now) }, http.StatusOK},
		{"wrong key", func() *http.Request { return other.request(t, pingBody, now) }, http.StatusUnauthorized},
		{"tampered body", func() *http.Request {
			r := s.request(t, pingBody, now)
			r.Body = httpBody(strings.Replace(pingBody, `"type":1`, `"type":2`, 1))
			return r
		}, http.StatusUnauthorized},
		{"no signature", func() *http.Request {
			r := s.request(t, pingBody, now)
			r.Header.Del("X-Signature-Ed25519")
			return r
		}, http.StatusUnauthorized},
		{"stale timestamp", func() *http.Request { return s.request(t, pingBody, now.Add(-6*time.Minute)) }, http.StatusUnauthorized},
		{"future timestamp", func() *http.Request { return s.request(t, pingBody, now.Add(6*time.Minute)) }, http.StatusUnauthorized},
		{"slightly old is fine", func() *http.Request { return s.request(t, pingBody, now.Add(-4*time.Minute)) }, http.StatusOK},
		{"oversized body", func() *http.Request {
			big := `{"type":1,"pad":"` + strings.Repeat("x", 70<<10) + `"}`
			return s.request(t, big, now)
		}, http.StatusRequestEntityTooLarge},
		{"GET", func() *http.Request { return httptest.NewRequest("GET", InteractionsPath, nil) }, http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(a, tt.req())
			if w.Code != tt.want {
				t.Errorf("status = %d, want %d (body %q)", w.Code, tt.want, w.Body.String())
			}
		})
	}
}

func httpBody(s string) *bodyReader { return &bodyReader{strings.NewReader(s)} }

type bodyReader struct{ *strings.Reader }

func (bodyReader) Close() error { return nil }

func TestInteractionEndpointNeedsPublicKey(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	a := newTestAdapter(t, f, Config{}, nil)
	if w := serve(a, s.request(t, pingBody, time.Now())); w.Code != http.StatusNotFound {
		t.Errorf("status = %d, want 404 without a public key", w.Code)
	}
}

func TestInteractionPing(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	a := newHTTPAdapter(t, f, s, nil)
	w := serve(a, s.request(t, pingBody, time.Now()))
	if got := strings.TrimSpace(w.Body.String()); got != `{"type":1}` {
		t.Errorf("PING answer = %s, want {\"type\":1}", got)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestInteractionCommandAnsweredInline(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	router := &fakeRouter{HandleFn: func(ctx context.Context, cmd bot.Command) bot.Reply {
		return bot.Reply{Ephemeral: true, Title: "Search: drone", Stories: []bot.StoryLine{{Title: "Drone strike", URL: "https://n.example/1"}}}
	}}
	a := newHTTPAdapter(t, f, s, router)
	body := commandBody(`{"name":"search","type":1,"options":[{"name":"query","type":3,"value":"drone strike"}]}`, "0")
	ans := decodeAnswer(t, serve(a, s.request(t, body, time.Now())))
	if ans.Type != 4 || ans.Data == nil {
		t.Fatalf("answer type %d, want 4 with data", ans.Type)
	}
	if ans.Data.Flags != 64 {
		t.Errorf("flags = %d, want 64 (ephemeral)", ans.Data.Flags)
	}
	if len(ans.Data.Embeds) == 0 || ans.Data.Embeds[0].Title != "Search: drone" || !strings.Contains(ans.Data.Embeds[0].Description, "https://n.example/1") {
		t.Errorf("embeds = %+v", ans.Data.Embeds)
	}
	cmds := router.received()
	if len(cmds) != 1 {
		t.Fatalf("handler got %d commands", len(cmds))
	}
	c := cmds[0]
	if c.Platform != "discord" || c.Team != "900" || c.Channel != "555" || c.User != "u1" || c.UserName != "analyst" {
		t.Errorf("command identity = %+v", c)
	}
	if c.Name != "search" || c.Options["query"] != "drone strike" || c.Text != "search drone strike" {
		t.Errorf("command = name %q options %v text %q", c.Name, c.Options, c.Text)
	}
	if admin, err := c.IsAdmin(t.Context()); err != nil {
		t.Fatalf("IsAdmin: %v", err)
	} else if admin {
		t.Error("IsAdmin true with no permissions")
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d REST calls for an inline answer, want 0", n)
	}
}

func TestInteractionCommandShapes(t *testing.T) {
	tests := []struct {
		name      string
		options   string
		perms     string
		wantName  string
		wantArgs  []string
		wantOpts  map[string]string
		wantText  string
		wantAdmin bool
	}{
		{"group with manage server", `{"name":"feeds","type":2,"options":[{"name":"add","type":1,"options":[{"name":"url","type":3,"value":"https://f.example/rss"}]}]}`,
			"32", "feeds", []string{"add", "https://f.example/rss"}, map[string]string{"url": "https://f.example/rss"}, "feeds add https://f.example/rss", true},
		{"administrator", `{"name":"feeds","type":2,"options":[{"name":"list","type":1}]}`,
			"8", "feeds", []string{"list"}, map[string]string{}, "feeds list", true},
		{"integer option in table order", `{"name":"latest","type":1,"options":[{"name":"target","type":3,"value":"iraq"},{"name":"count","type":4,"value":3}]}`,
			"2048", "latest", []string{"3", "iraq"}, map[string]string{"count": "3", "target": "iraq"}, "latest 3 iraq", false},
		{"no options", `{"name":"help","type":1}`, "0", "help", nil, map[string]string{}, "help", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			s := newSigner(t)
			router := &fakeRouter{HandleFn: func(context.Context, bot.Command) bot.Reply { return bot.Reply{Text: "ok"} }}
			a := newHTTPAdapter(t, f, s, router)
			ans := decodeAnswer(t, serve(a, s.request(t, commandBody(tt.options, tt.perms), time.Now())))
			if ans.Type != 4 || ans.Data.Content != "ok" || ans.Data.Flags != 0 {
				t.Errorf("answer = %+v", ans)
			}
			c := router.received()[0]
			if c.Name != tt.wantName || strings.Join(c.Args, "|") != strings.Join(tt.wantArgs, "|") || c.Text != tt.wantText {
				t.Errorf("command = name %q args %q text %q; want %q %q %q", c.Name, c.Args, c.Text, tt.wantName, tt.wantArgs, tt.wantText)
			}
			if len(c.Options) != len(tt.wantOpts) {
				t.Errorf("options = %v, want %v", c.Options, tt.wantOpts)
			}
			for k, v := range tt.wantOpts {
				if c.Options[k] != v {
					t.Errorf("option %s = %q, want %q", k, c.Options[k], v)
				}
			}
			if admin, err := c.IsAdmin(t.Context()); err != nil {
				t.Fatalf("IsAdmin: %v", err)
			} else if admin != tt.wantAdmin {
				t.Errorf("IsAdmin = %v, want %v", admin, tt.wantAdmin)
			}
		})
	}
}

func TestInteractionSlowCommandDeferred(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	release := make(chan struct{})
	router := &fakeRouter{HandleFn: func(ctx context.Context, cmd bot.Command) bot.Reply {
		select {
		case <-release:
		case <-ctx.Done():
			return bot.Reply{Text: "cancelled"}
		}
		return bot.Reply{Title: "Brief: iraq", Text: "Three stories this week."}
	}}
	a := newHTTPAdapter(t, f, s, router)
	a.ackBudget = 20 * time.Millisecond
	posted := make(chan recorded, 1)
	f.onReq = func(r recorded) { posted <- r }

	body := commandBody(`{"name":"brief","type":1,"options":[{"name":"period","type":3,"value":"7d"}]}`, "0")
	ans := decodeAnswer(t, serve(a, s.request(t, body, time.Now())))
	if ans.Type != 5 {
		t.Fatalf("answer type = %d, want 5 (deferred)", ans.Type)
	}
	select {
	case r := <-posted:
		t.Fatalf("follow-up %s %s sent before the handler finished", r.Method, r.Path)
	default:
	}
	close(release)
	var r recorded
	select {
	case r = <-posted:
	case <-time.After(5 * time.Second):
		t.Fatal("no follow-up")
	}
	if r.Method != "POST" || r.Path != "/api/v10/webhooks/42/itok-abc" {
		t.Errorf("follow-up = %s %s, want POST /api/v10/webhooks/42/itok-abc", r.Method, r.Path)
	}
	var msg struct {
		Embeds []*discordgo.MessageEmbed `json:"embeds"`
	}
	r.decode(t, &msg)
	if len(msg.Embeds) == 0 || msg.Embeds[0].Title != "Brief: iraq" {
		t.Errorf("follow-up embeds = %s", r.Body)
	}
	if err := a.Shutdown(t.Context()); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestInteractionHandlerPanicIsAnswered(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	router := &fakeRouter{HandleFn: func(context.Context, bot.Command) bot.Reply { panic("boom") }}
	a := newHTTPAdapter(t, f, s, router)
	ans := decodeAnswer(t, serve(a, s.request(t, commandBody(`{"name":"help","type":1}`, "0"), time.Now())))
	if ans.Type != 4 || !strings.Contains(ans.Data.Content, "went wrong") || strings.Contains(ans.Data.Content, "boom") {
		t.Errorf("answer = %+v, want a generic apology", ans.Data)
	}
}

func TestInteractionAutocomplete(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	var gotOption, gotPrefix string
	router := &fakeRouter{CompleteFn: func(ctx context.Context, cmd bot.Command, option, prefix string) []string {
		gotOption, gotPrefix = option, prefix
		out := []string{"iran", "iraq", strings.Repeat("x", 150)}
		for i := range 40 {
			out = append(out, "region-"+strconv.Itoa(i))
		}
		return out
	}}
	a := newHTTPAdapter(t, f, s, router)
	body := `{"id":"7002","application_id":"42","type":4,"token":"t","version":1,"guild_id":"900","channel_id":"555",
	"member":{"permissions":"0","user":{"id":"u1","username":"analyst"}},
	"data":{"id":"c1","name":"sitrep","type":1,"options":[{"name":"subscribe","type":1,"options":[{"name":"target","type":3,"value":"ir","focused":true}]}]}}`
	ans := decodeAnswer(t, serve(a, s.request(t, body, time.Now())))
	if ans.Type != 8 {
		t.Fatalf("answer type = %d, want 8", ans.Type)
	}
	if gotOption != "target" || gotPrefix != "ir" {
		t.Errorf("Complete(option %q, prefix %q), want target/ir", gotOption, gotPrefix)
	}
	if len(ans.Data.Choices) != 25 {
		t.Errorf("%d choices, want 25 (Discord's cap)", len(ans.Data.Choices))
	}
	if ans.Data.Choices[0].Name != "iran" || ans.Data.Choices[0].Value != "iran" {
		t.Errorf("first choice = %+v", ans.Data.Choices[0])
	}
	for _, c := range ans.Data.Choices {
		if len(c.Name) > 100 {
			t.Errorf("choice longer than 100: %q", c.Name)
		}
	}
	if len(router.received()) != 0 {
		t.Error("autocomplete ran the command handler")
	}
}

func TestInteractionWithoutHandler(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	a := newHTTPAdapter(t, f, s, nil)
	ans := decodeAnswer(t, serve(a, s.request(t, commandBody(`{"name":"help","type":1}`, "0"), time.Now())))
	if ans.Type != 4 || ans.Data.Flags != 64 {
		t.Errorf("answer = %+v, want an ephemeral type 4", ans)
	}
}

// ephemeralRouter asks for ephemeral deferrals.
type ephemeralRouter struct{ *fakeRouter }

func (ephemeralRouter) DeferEphemeral(cmd bot.Command) bool { return cmd.Name == "feeds" }

func TestInteractionDeferEphemeralHook(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	release := make(chan struct{})
	router := ephemeralRouter{&fakeRouter{HandleFn: func(context.Context, bot.Command) bot.Reply {
		<-release
		return bot.Reply{Ephemeral: true, Text: "3 feeds"}
	}}}
	a := newHTTPAdapter(t, f, s, router)
	a.ackBudget = 10 * time.Millisecond
	ans := decodeAnswer(t, serve(a, s.request(t, commandBody(`{"name":"feeds","type":2,"options":[{"name":"list","type":1}]}`, "32"), time.Now())))
	close(release)
	if ans.Type != 5 || ans.Data == nil || ans.Data.Flags != 64 {
		t.Errorf("deferred answer = %+v, want type 5 with flags 64", ans)
	}
	if err := a.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := f.count("POST", "/webhooks/42/itok-abc"); n != 1 {
		t.Errorf("%d follow-ups, want 1", n)
	}
}
