package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/sitrep-bot/sitrep/bot"
)

// fakeGateway is a minimal Discord gateway: Hello, read Identify, READY,
// then the events the test queues.
type fakeGateway struct {
	srv      *httptest.Server
	identify chan map[string]any
	events   chan string
}

func newFakeGateway(t *testing.T) *fakeGateway {
	t.Helper()
	g := &fakeGateway{identify: make(chan map[string]any, 1), events: make(chan string, 4)}
	up := websocket.Upgrader{}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		if err := c.WriteMessage(websocket.TextMessage, []byte(`{"op":10,"d":{"heartbeat_interval":45000}}`)); err != nil {
			return
		}
		var id map[string]any
		if err := c.ReadJSON(&id); err != nil {
			return
		}
		g.identify <- id
		ready := `{"op":0,"s":1,"t":"READY","d":{"v":10,"session_id":"sess-1","resume_gateway_url":"` + g.url() + `",
			"user":{"id":"99","username":"sitrep","bot":true},"guilds":[],"application":{"id":"42"}}}`
		if err := c.WriteMessage(websocket.TextMessage, []byte(ready)); err != nil {
			return
		}
		go func() { // drain heartbeats and the close frame
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
			}
		}()
		for {
			select {
			case ev := <-g.events:
				if err := c.WriteMessage(websocket.TextMessage, []byte(ev)); err != nil {
					return
				}
			case <-r.Context().Done():
				return
			}
		}
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *fakeGateway) url() string { return "ws" + strings.TrimPrefix(g.srv.URL, "http") }

func TestGatewayInteraction(t *testing.T) {
	f := newFakeDiscord(t)
	g := newFakeGateway(t)
	f.gatewayURL = g.url()
	router := &fakeRouter{HandleFn: func(ctx context.Context, cmd bot.Command) bot.Reply {
		return bot.Reply{Text: "found 2 stories for " + cmd.Options["query"]}
	}}
	a := newTestAdapter(t, f, Config{ApplicationID: "42"}, router)
	callback := make(chan recorded, 4)
	f.onReq = func(r recorded) {
		if strings.HasPrefix(r.Path, "/api/v10/interactions/") {
			callback <- r
		}
	}

	ctx, cancel := context.WithCancel(t.Context())
	runErr := make(chan error, 1)
	go func() { runErr <- a.Run(ctx) }()

	select {
	case id := <-g.identify:
		d, _ := id["d"].(map[string]any)
		if id["op"] != float64(2) || d["token"] != "Bot test-token" {
			t.Errorf("identify = %v, want op 2 with the bot token", id)
		}
	case err := <-runErr:
		t.Fatalf("Run returned before identifying: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("no identify")
	}
	g.events <- `{"op":0,"s":2,"t":"INTERACTION_CREATE","d":` + commandBody(
		`{"name":"search","type":1,"options":[{"name":"query","type":3,"value":"pkk"}]}`, "0") + `}`

	var r recorded
	select {
	case r = <-callback:
	case <-time.After(5 * time.Second):
		t.Fatal("no interaction callback")
	}
	if r.Method != "POST" || r.Path != "/api/v10/interactions/7001/itok-abc/callback" {
		t.Errorf("callback = %s %s", r.Method, r.Path)
	}
	var resp struct {
		Type int `json:"type"`
		Data struct {
			Content string `json:"content"`
		} `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Type != 4 || resp.Data.Content != "found 2 stories for pkk" {
		t.Errorf("callback body = %s", r.Body)
	}
	if got := router.received(); len(got) != 1 || got[0].Channel != "555" || got[0].Name != "search" {
		t.Errorf("router got %+v", got)
	}

	cancel()
	select {
	case err := <-runErr:
		if err != nil {
			t.Errorf("Run after cancel = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestRunWithPublicKeyOpensNoGateway(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	a := newHTTPAdapter(t, f, s, nil)
	if err := a.Run(t.Context()); err != nil {
		t.Errorf("Run = %v, want nil at once", err)
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d REST calls, want none (no gateway lookup)", n)
	}
}

func TestRunGatewayRetriesUntilCancelled(t *testing.T) {
	f := newFakeDiscord(t)
	f.gatewayURL = "ws://127.0.0.1:1/nothing"
	a := newTestAdapter(t, f, Config{}, nil)
	a.openBackoff = 10 * time.Millisecond
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	if err := a.Run(ctx); err != nil {
		t.Errorf("Run = %v, want nil once ctx is done", err)
	}
	if n := len(f.requests()); n < 2 {
		t.Errorf("%d gateway lookups, want a retry after the first failure", n)
	}
}

func TestRunGatewayBadToken(t *testing.T) {
	f := newFakeDiscord(t)
	f.always = &reply{status: 401, body: `{"message":"401: Unauthorized","code":0}`}
	a := newTestAdapter(t, f, Config{}, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	err := a.Run(ctx)
	if err == nil || ctx.Err() != nil {
		t.Errorf("Run = %v (ctx %v), want an error at once for a rejected token", err, ctx.Err())
	}
	if err != nil && strings.Contains(err.Error(), "test-token") {
		t.Errorf("error leaks the token: %v", err)
	}
}

func TestGatewaySlowCommandDeferred(t *testing.T) {
	f := newFakeDiscord(t)
	g := newFakeGateway(t)
	f.gatewayURL = g.url()
	release := make(chan struct{})
	router := &fakeRouter{HandleFn: func(ctx context.Context, cmd bot.Command) bot.Reply {
		<-release
		return bot.Reply{Text: "brief done"}
	}}
	a := newTestAdapter(t, f, Config{ApplicationID: "42"}, router)
	a.ackBudget = 40 * time.Millisecond
	seen := make(chan recorded, 4)
	f.onReq = func(r recorded) {
		if r.Method == "POST" {
			seen <- r
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	runErr := make(chan error, 1)
	go func() { runErr <- a.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-runErr; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	select {
	case <-g.identify:
	case <-time.After(5 * time.Second):
		t.Fatal("no identify")
	}
	g.events <- `{"op":0,"s":2,"t":"INTERACTION_CREATE","d":` + commandBody(`{"name":"brief","type":1}`, "0") + `}`
	next := func() recorded {
		t.Helper()
		select {
		case r := <-seen:
			return r
		case <-time.After(5 * time.Second):
			t.Fatal("timed out waiting for a request")
		}
		return recorded{}
	}
	r := next()
	if !strings.HasSuffix(r.Path, "/callback") || !strings.Contains(string(r.Body), `"type":5`) {
		t.Fatalf("first request = %s %s, want a type 5 callback", r.Path, r.Body)
	}
	close(release)
	r = next()
	if r.Path != "/api/v10/webhooks/42/itok-abc" || !strings.Contains(string(r.Body), "brief done") {
		t.Errorf("follow-up = %s %s", r.Path, r.Body)
	}
}
