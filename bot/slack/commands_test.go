package slack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
)

// sign computes Slack's v0 signature of body at ts with secret.
func sign(secret string, ts int64, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + strconv.FormatInt(ts, 10) + ":" + body))
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

func TestSignMatchesSlackVector(t *testing.T) {
	// Slack's documented example (PROTOCOLS.md A1).
	body := "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	want := "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
	if got := sign(testSecret, 1531420618, body); got != want {
		t.Fatalf("sign = %s, want %s", got, want)
	}
}

func commandForm(text, responseURL string) string {
	return url.Values{
		"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"}, "user_name": {"ana"},
		"command": {"/sitrep"}, "text": {text}, "response_url": {responseURL}, "trigger_id": {"1.2.3"},
	}.Encode()
}

func signedRequest(path, body string, ts int64, secret string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
	r.Header.Set("X-Slack-Signature", sign(secret, ts, body))
	return r
}

// postSigned sends a command body, signed with testSecret at ts, to srv's /slack/commands.
func postSigned(t *testing.T, srv *httptest.Server, body string, ts int64) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/slack/commands", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// recordingHandler is a fake router: it records commands and answers
// with reply, after waiting for release when that is set.
type recordingHandler struct {
	mu      sync.Mutex
	cmds    []bot.Command
	reply   bot.Reply
	release chan struct{}
}

func (h *recordingHandler) Handle(ctx context.Context, cmd bot.Command) bot.Reply {
	h.mu.Lock()
	h.cmds = append(h.cmds, cmd)
	h.mu.Unlock()
	if h.release != nil {
		select {
		case <-h.release:
		case <-ctx.Done():
		}
	}
	return h.reply
}

func (h *recordingHandler) commands() []bot.Command {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Command(nil), h.cmds...)
}

func serveMux(a *Adapter) *http.ServeMux {
	mux := http.NewServeMux()
	a.Routes(mux)
	return mux
}

func TestCommandSignatureFailures(t *testing.T) {
	body := commandForm("help", "")
	now := time.Now().Unix()
	tests := []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{"valid", func() *http.Request { return signedRequest("/slack/commands", body, now, testSecret) }, 200},
		{"no headers", func() *http.Request {
			r := signedRequest("/slack/commands", body, now, testSecret)
			r.Header.Del("X-Slack-Signature")
			r.Header.Del("X-Slack-Request-Timestamp")
			return r
		}, 401},
		{"forged with another secret", func() *http.Request { return signedRequest("/slack/commands", body, now, "not-the-secret") }, 401},
		{"body changed after signing", func() *http.Request {
			r := signedRequest("/slack/commands", body, now, testSecret)
			r.Body = io.NopCloser(strings.NewReader(commandForm("feeds add https://evil.example", "")))
			return r
		}, 401},
		{"ten minutes old", func() *http.Request {
			return signedRequest("/slack/commands", body, now-600, testSecret)
		}, 401},
		{"ten minutes ahead", func() *http.Request {
			return signedRequest("/slack/commands", body, now+600, testSecret)
		}, 401},
		{"garbage signature", func() *http.Request {
			r := signedRequest("/slack/commands", body, now, testSecret)
			r.Header.Set("X-Slack-Signature", "v0=zz")
			return r
		}, 401},
		{"interactions unsigned", func() *http.Request {
			r := signedRequest("/slack/interactions", "payload=%7B%7D", now, testSecret)
			r.Header.Del("X-Slack-Signature")
			return r
		}, 401},
		{"interactions signed", func() *http.Request {
			return signedRequest("/slack/interactions", `payload=`+url.QueryEscape(`{"type":"block_actions","channel":{"id":"C1"}}`), now, testSecret)
		}, 200},
		{"GET is not routed", func() *http.Request { return httptest.NewRequest(http.MethodGet, "/slack/commands", nil) }, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSlack(t)
			h := &recordingHandler{reply: bot.Reply{Text: "ok"}}
			a, _ := newTestAdapter(t, f, h)
			w := httptest.NewRecorder()
			serveMux(a).ServeHTTP(w, tt.req())
			if w.Code != tt.want {
				t.Errorf("status = %d, want %d", w.Code, tt.want)
			}
			if n := len(h.commands()); tt.want != 200 && n != 0 {
				t.Errorf("handler ran %d times for a refused request", n)
			}
		})
	}
}

func TestCommandSSLCheck(t *testing.T) {
	f := newFakeSlack(t)
	h := &recordingHandler{reply: bot.Reply{Text: "ok"}}
	a, _ := newTestAdapter(t, f, h)
	w := httptest.NewRecorder()
	serveMux(a).ServeHTTP(w, signedRequest("/slack/commands", "ssl_check=1&token=x", time.Now().Unix(), testSecret))
	if w.Code != 200 || w.Body.Len() != 0 || len(h.commands()) != 0 {
		t.Errorf("ssl_check: status %d body %q, handler ran %d times; want an empty 200 and no command",
			w.Code, w.Body.String(), len(h.commands()))
	}
}

func TestCommandBodyTooLarge(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, &recordingHandler{})
	body := commandForm(strings.Repeat("x", maxBodyBytes), "")
	w := httptest.NewRecorder()
	serveMux(a).ServeHTTP(w, signedRequest("/slack/commands", body, time.Now().Unix(), testSecret))
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", w.Code)
	}
}

func TestCommandAnsweredDirectly(t *testing.T) {
	tests := []struct {
		ephemeral bool
		wantType  string
	}{
		{false, "in_channel"},
		{true, "ephemeral"},
	}
	for _, tt := range tests {
		f := newFakeSlack(t)
		h := &recordingHandler{reply: bot.Reply{Ephemeral: tt.ephemeral, Title: "Latest: iraq", Text: "Three stories.",
			Stories: []bot.StoryLine{{Title: "Strike", URL: "https://a.example/1", Sources: 2}}}}
		a, _ := newTestAdapter(t, f, h)
		w := httptest.NewRecorder()
		body := commandForm("  Latest iraq 3 ", "https://hooks.example/x")
		serveMux(a).ServeHTTP(w, signedRequest("/slack/commands", body, time.Now().Unix(), testSecret))
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("status %d, content type %q", w.Code, w.Header().Get("Content-Type"))
		}
		var got struct {
			ResponseType string           `json:"response_type"`
			Text         string           `json:"text"`
			Blocks       []map[string]any `json:"blocks"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatalf("response %q: %v", w.Body.String(), err)
		}
		if got.ResponseType != tt.wantType {
			t.Errorf("response_type = %q, want %q", got.ResponseType, tt.wantType)
		}
		if got.Text == "" || len(got.Blocks) < 2 || !strings.Contains(w.Body.String(), "https://a.example/1") {
			t.Errorf("response lacks text, blocks or the story link: %s", w.Body.String())
		}
		cmds := h.commands()
		if len(cmds) != 1 {
			t.Fatalf("handler ran %d times, want 1", len(cmds))
		}
		c := cmds[0]
		if c.Platform != "slack" || c.Team != "T1" || c.Channel != "C1" || c.User != "U1" || c.UserName != "ana" ||
			c.Name != "latest" || strings.Join(c.Args, ",") != "iraq,3" || c.Text != "Latest iraq 3" || c.IsAdmin == nil {
			t.Errorf("command = %+v", c)
		}
	}
}

func TestCommandWithoutHandler(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	w := httptest.NewRecorder()
	serveMux(a).ServeHTTP(w, signedRequest("/slack/commands", commandForm("help", ""), time.Now().Unix(), testSecret))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"ephemeral"`) {
		t.Errorf("status %d body %s, want an ephemeral not-ready answer", w.Code, w.Body.String())
	}
	h := &recordingHandler{reply: bot.Reply{Text: "help text"}}
	a.SetHandler(h)
	w = httptest.NewRecorder()
	serveMux(a).ServeHTTP(w, signedRequest("/slack/commands", commandForm("help me", ""), time.Now().Unix(), testSecret))
	if !strings.Contains(w.Body.String(), "help text") {
		t.Errorf("after SetHandler body = %s", w.Body.String())
	}
}

func TestCommandSlowHandlerFinishesThroughResponseURL(t *testing.T) {
	got := make(chan map[string]any, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		if r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("response_url content type = %q", r.Header.Get("Content-Type"))
		}
		if !readJSON(t, w, r, &m) {
			return
		}
		got <- m
		_, _ = io.WriteString(w, "ok")
	}))
	defer hook.Close()

	f := newFakeSlack(t)
	h := &recordingHandler{reply: bot.Reply{Text: "Brief of the week", Ephemeral: false}, release: make(chan struct{})}
	a, _ := newTestAdapter(t, f, h)
	a.budget = 20 * time.Millisecond
	w := httptest.NewRecorder()
	serveMux(a).ServeHTTP(w, signedRequest("/slack/commands", commandForm("brief 7d", hook.URL+"/commands/T1/1/x"), time.Now().Unix(), testSecret))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Working on it") || !strings.Contains(w.Body.String(), `"ephemeral"`) {
		t.Fatalf("immediate answer %d %s, want an ephemeral acknowledgement", w.Code, w.Body.String())
	}
	select {
	case m := <-got:
		t.Fatalf("response_url posted %v before the handler finished", m)
	default:
	}
	close(h.release) // the handler finishes after the HTTP request ended
	select {
	case m := <-got:
		if m["text"] != "Brief of the week" || m["response_type"] != "in_channel" {
			t.Errorf("response_url payload = %v", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no POST to response_url")
	}
	if err := a.Shutdown(t.Context()); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

func TestCommandHandlerPanicGetsGenericReply(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, panicHandler{})
	w := httptest.NewRecorder()
	serveMux(a).ServeHTTP(w, signedRequest("/slack/commands", commandForm("boom", ""), time.Now().Unix(), testSecret))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Something went wrong") || strings.Contains(w.Body.String(), "secret detail") {
		t.Errorf("answer %d %s", w.Code, w.Body.String())
	}
}

type panicHandler struct{}

func (panicHandler) Handle(context.Context, bot.Command) bot.Reply { panic("secret detail") }

func TestIsAdminUsesUsersInfoAndCaches(t *testing.T) {
	f := newFakeSlack(t)
	f.users["UADM"] = map[string]any{"id": "UADM", "is_admin": true}
	f.users["UOWN"] = map[string]any{"id": "UOWN", "is_primary_owner": true}
	f.users["UPLAIN"] = map[string]any{"id": "UPLAIN"}
	a, _ := newTestAdapter(t, f, nil)
	tests := []struct {
		user string
		want bool
	}{{"UADM", true}, {"UOWN", true}, {"UPLAIN", false}, {"UADM", true}}
	for _, tt := range tests {
		got, err := a.isAdmin("T1", tt.user)(t.Context())
		if err != nil || got != tt.want {
			t.Errorf("isAdmin(%s) = %v, %v; want %v", tt.user, got, err, tt.want)
		}
	}
	if n := len(f.callsOf("users.info")); n != 3 {
		t.Errorf("users.info called %d times, want 3 (the repeat is cached)", n)
	}
	if _, err := a.isAdmin("T1", "UNKNOWN")(t.Context()); err == nil {
		t.Errorf("isAdmin(unknown user) = nil error")
	}
}

func TestCommandReplayRefused(t *testing.T) {
	f := newFakeSlack(t)
	h := &recordingHandler{reply: bot.Reply{Text: "ok"}}
	a, _ := newTestAdapter(t, f, h)
	now := time.Now().Unix()
	body := commandForm("subscribe iraq", "")
	codes := []int{}
	for range 2 {
		w := httptest.NewRecorder()
		serveMux(a).ServeHTTP(w, signedRequest("/slack/commands", body, now, testSecret))
		codes = append(codes, w.Code)
	}
	if codes[0] != 200 || codes[1] != 401 {
		t.Errorf("statuses = %v, want [200 401]: the same signed request twice is a replay", codes)
	}
	if n := len(h.commands()); n != 1 {
		t.Errorf("handler ran %d times, want 1", n)
	}
	// A new request (new timestamp, so new signature) is fine.
	w := httptest.NewRecorder()
	serveMux(a).ServeHTTP(w, signedRequest("/slack/commands", body, now+1, testSecret))
	if w.Code != 200 {
		t.Errorf("fresh request status = %d", w.Code)
	}
}
