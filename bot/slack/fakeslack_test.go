package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSlack is a fake Slack Web API speaking the wire format slack-go
// uses (form bodies in, {"ok":…} JSON out). It records every call, keeps
// posted messages per channel, and can be told to fail upcoming calls.
type fakeSlack struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	calls    []fakeCall
	msgs     []*fakeMsg // in posting order
	users    map[string]map[string]any
	faults   map[string][]fault
	seq      int
	wsURL    string // returned by apps.connections.open
	wsHandle http.HandlerFunc
}

// fakeCall is one recorded API call.
type fakeCall struct {
	Method string
	Form   url.Values
	Auth   string // Authorization header
}

// fakeMsg is a message stored by the fake.
type fakeMsg struct {
	Channel  string
	TS       string
	ThreadTS string
	Text     string
	Blocks   string // JSON as sent
	Metadata map[string]any
}

// fault is an injected failure for the next call of a method.
type fault struct {
	status     int    // HTTP status; 0 means 200
	retryAfter string // Retry-After header for 429
	code       string // Slack error code for {"ok":false}
	accept     bool   // perform the call, then answer with status (an ambiguous outcome)
	drop       bool   // with accept: close the connection instead of answering
}

// readJSON decodes a fake server's request body into v. On a body that is
// not JSON it fails the test with t.Errorf (handlers run on their own
// goroutine, where t.Fatal must not be called), answers 400 and returns false.
func readJSON(t *testing.T, w http.ResponseWriter, r *http.Request, v any) bool {
	t.Helper()
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		t.Errorf("%s %s: request body: %v", r.Method, r.URL.Path, err)
		http.Error(w, "bad request", http.StatusBadRequest)
		return false
	}
	return true
}

// mustJSON encodes v and fails the test when it cannot.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode %T: %v", v, err)
	}
	return b
}

func newFakeSlack(t *testing.T) *fakeSlack {
	t.Helper()
	f := &fakeSlack{t: t, users: map[string]map[string]any{}, faults: map[string][]fault{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// apiURL is the base URL to give slack-go (trailing slash).
func (f *fakeSlack) apiURL() string { return f.srv.URL + "/" }

func (f *fakeSlack) failNext(method string, ft fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[method] = append(f.faults[method], ft)
}

func (f *fakeSlack) callsOf(method string) []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeCall
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeSlack) messages() []fakeMsg {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]fakeMsg, len(f.msgs))
	for i, m := range f.msgs {
		out[i] = *m
	}
	return out
}

func (f *fakeSlack) serve(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/")
	if method == "ws" && f.wsHandle != nil {
		f.wsHandle(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		f.badRequest(w, "%s: read body: %v", method, err)
		return
	}
	form := url.Values{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		if err := json.Unmarshal(body, &m); len(body) > 0 && err != nil { // apps.connections.open has no body
			f.badRequest(w, "%s: JSON body: %v", method, err)
			return
		}
		for k, v := range m {
			form.Set(k, fmt.Sprint(v))
		}
	} else if form, err = url.ParseQuery(string(body)); err != nil {
		f.badRequest(w, "%s: form body: %v", method, err)
		return
	}
	for k, v := range r.URL.Query() {
		form[k] = v
	}

	f.mu.Lock()
	f.calls = append(f.calls, fakeCall{Method: method, Form: form, Auth: r.Header.Get("Authorization")})
	var ft *fault
	if q := f.faults[method]; len(q) > 0 {
		ft = &q[0]
		f.faults[method] = q[1:]
	}
	f.mu.Unlock()

	if ft != nil && !ft.accept {
		f.writeFault(w, *ft)
		return
	}
	resp := f.handle(method, form)
	if ft != nil && ft.drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
	}
	if ft != nil {
		f.writeFault(w, *ft)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// badRequest fails the test from a handler goroutine (t.Errorf, not
// t.Fatal) and answers 400.
func (f *fakeSlack) badRequest(w http.ResponseWriter, format string, args ...any) {
	f.t.Errorf("fake slack: "+format, args...)
	http.Error(w, "bad request", http.StatusBadRequest)
}

func (f *fakeSlack) writeFault(w http.ResponseWriter, ft fault) {
	if ft.retryAfter != "" {
		w.Header().Set("Retry-After", ft.retryAfter)
	}
	if ft.status != 0 && ft.status != http.StatusOK {
		w.WriteHeader(ft.status)
		_, _ = io.WriteString(w, "<html>error</html>")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": ft.code})
}

func (f *fakeSlack) handle(method string, form url.Values) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch method {
	case "chat.postMessage":
		f.seq++
		m := &fakeMsg{
			Channel:  form.Get("channel"),
			TS:       fmt.Sprintf("1700000000.%06d", f.seq),
			ThreadTS: form.Get("thread_ts"),
			Text:     form.Get("text"),
			Blocks:   form.Get("blocks"),
		}
		if md := form.Get("metadata"); md != "" {
			if err := json.Unmarshal([]byte(md), &m.Metadata); err != nil {
				f.t.Errorf("fake slack: chat.postMessage metadata %q: %v", md, err)
				return map[string]any{"ok": false, "error": "invalid_metadata"}
			}
		}
		f.msgs = append(f.msgs, m)
		return map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS,
			"message": map[string]any{"type": "message", "ts": m.TS, "text": m.Text}}
	case "chat.update":
		for _, m := range f.msgs {
			if m.Channel == form.Get("channel") && m.TS == form.Get("ts") {
				m.Text, m.Blocks = form.Get("text"), form.Get("blocks")
				return map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS, "text": m.Text}
			}
		}
		return map[string]any{"ok": false, "error": "message_not_found"}
	case "conversations.history":
		var out []map[string]any
		latest, oldest, incl := form.Get("latest"), form.Get("oldest"), form.Get("inclusive") == "1"
		inRange := func(ts string) bool { // fixed-width ts strings compare in time order
			if latest != "" && (ts > latest || (!incl && ts == latest)) {
				return false
			}
			return oldest == "" || ts > oldest || (incl && ts == oldest)
		}
		for i := len(f.msgs) - 1; i >= 0; i-- { // newest first
			m := f.msgs[i]
			if m.Channel == form.Get("channel") && (m.ThreadTS == "" || m.ThreadTS == m.TS) && inRange(m.TS) {
				out = append(out, wireMsg(m, form.Get("include_all_metadata") == "1"))
			}
		}
		if n, err := strconv.Atoi(form.Get("limit")); err == nil && n > 0 && len(out) > n { // no limit: all
			out = out[:n]
		}
		return map[string]any{"ok": true, "messages": out, "has_more": false}
	case "conversations.replies":
		var out []map[string]any
		for _, m := range f.msgs {
			if m.Channel == form.Get("channel") && (m.TS == form.Get("ts") || m.ThreadTS == form.Get("ts")) {
				out = append(out, wireMsg(m, form.Get("include_all_metadata") == "1"))
			}
		}
		if len(out) == 0 {
			return map[string]any{"ok": false, "error": "thread_not_found"}
		}
		return map[string]any{"ok": true, "messages": out, "has_more": false}
	case "users.info":
		u, ok := f.users[form.Get("user")]
		if !ok {
			return map[string]any{"ok": false, "error": "user_not_found"}
		}
		return map[string]any{"ok": true, "user": u}
	case "auth.test":
		return map[string]any{"ok": true, "team_id": "T1", "user_id": "UBOT", "bot_id": "B1"}
	case "apps.connections.open":
		return map[string]any{"ok": true, "url": f.wsURL}
	}
	return map[string]any{"ok": false, "error": "unknown_method"}
}

func wireMsg(m *fakeMsg, withMeta bool) map[string]any {
	w := map[string]any{"type": "message", "ts": m.TS, "text": m.Text}
	if m.ThreadTS != "" {
		w["thread_ts"] = m.ThreadTS
	}
	if withMeta && m.Metadata != nil {
		w["metadata"] = m.Metadata
	}
	return w
}

// newTestAdapter builds the real adapter (real slack-go client) against f.
// Sleeps are recorded, not slept.
func newTestAdapter(t *testing.T, f *fakeSlack, h commandHandler) (*Adapter, *[]time.Duration) {
	t.Helper()
	a, err := New(Config{BotToken: "xoxb-test-token", SigningSecret: testSecret, APIURL: f.apiURL()}, h,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var mu sync.Mutex
	slept := &[]time.Duration{}
	a.sleep = func(ctx context.Context, d time.Duration) error {
		if d > 0 {
			mu.Lock()
			*slept = append(*slept, d)
			mu.Unlock()
		}
		return ctx.Err()
	}
	return a, slept
}

const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"
