package discord

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// recorded is one request the fake Discord received.
type recorded struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
}

// decode unmarshals the request body into v.
func (r recorded) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s %s body %q: %v", r.Method, r.Path, r.Body, err)
	}
}

// reply is a scripted answer.
type reply struct {
	status int
	header map[string]string
	body   string
}

// fakeDiscord is an httptest fake of Discord's REST API under /api/v10/.
// It records every request, answers like Discord (201 message objects,
// nonce dedupe with enforce_nonce), and plays scripted replies first.
type fakeDiscord struct {
	t   *testing.T
	srv *httptest.Server

	mu     sync.Mutex
	reqs   []recorded
	script []reply           // consumed in order before default answers
	always *reply            // answers every request when set
	nonces map[string]string // nonce → message id
	nextID int
	onReq  func(recorded)
	// dropCreates makes the next n created messages lose their response:
	// the message is stored, then the connection is cut.
	dropCreates int
	// posted holds created messages per channel, oldest first.
	posted map[string][]json.RawMessage
	// gatewayURL is what GET /gateway returns.
	gatewayURL string
}

func newFakeDiscord(t *testing.T) *fakeDiscord {
	t.Helper()
	f := &fakeDiscord{t: t, nonces: map[string]string{}, nextID: 1000, posted: map[string][]json.RawMessage{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// apiURL is the api_url to configure.
func (f *fakeDiscord) apiURL() string { return f.srv.URL + "/api/v10/" }

func (f *fakeDiscord) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

func (f *fakeDiscord) push(rs ...reply) {
	f.mu.Lock()
	f.script = append(f.script, rs...)
	f.mu.Unlock()
}

func (f *fakeDiscord) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.badRequest(w, "read body: %v", err)
		return
	}
	rec := recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
	f.mu.Lock()
	f.reqs = append(f.reqs, rec)
	var scripted *reply
	if f.always != nil {
		scripted = f.always
	} else if len(f.script) > 0 {
		scripted = &f.script[0]
		f.script = f.script[1:]
	}
	hook := f.onReq
	f.mu.Unlock()
	if hook != nil {
		hook(rec)
	}
	if scripted != nil {
		for k, v := range scripted.header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(scripted.status)
		io.WriteString(w, scripted.body)
		return
	}
	f.answer(w, r, rec)
}

// badRequest fails the test from a handler goroutine (t.Errorf, not
// t.Fatal) and answers 400.
func (f *fakeDiscord) badRequest(w http.ResponseWriter, format string, args ...any) {
	f.t.Errorf("fake discord: "+format, args...)
	http.Error(w, "bad request", http.StatusBadRequest)
}

// answer plays Discord's normal behaviour for the routes the adapter uses.
func (f *fakeDiscord) answer(w http.ResponseWriter, r *http.Request, rec recorded) {
	w.Header().Set("Content-Type", "application/json")
	p := strings.TrimPrefix(rec.Path, "/api/v10/")
	parts := strings.Split(p, "/")
	switch {
	case r.Method == "POST" && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		var m struct {
			Nonce        string `json:"nonce"`
			EnforceNonce bool   `json:"enforce_nonce"`
		}
		// Stored as GET would return it: with id and author, no nonce.
		var obj map[string]any
		if err := json.Unmarshal(rec.Body, &m); err != nil {
			f.badRequest(w, "message body: %v", err)
			return
		}
		if err := json.Unmarshal(rec.Body, &obj); err != nil {
			f.badRequest(w, "message body: %v", err)
			return
		}
		f.mu.Lock()
		id, dup := f.nonces[m.Nonce]
		if !dup || !m.EnforceNonce {
			f.nextID++
			id = fmt.Sprint(f.nextID)
			if m.Nonce != "" {
				f.nonces[m.Nonce] = id
			}
		}
		status := http.StatusCreated
		if dup && m.EnforceNonce {
			status = http.StatusOK
		} else {
			delete(obj, "nonce")
			delete(obj, "enforce_nonce")
			obj["id"], obj["channel_id"] = id, parts[1]
			obj["author"] = map[string]any{"id": "99", "username": "sitrep", "bot": true}
			b, err := json.Marshal(obj)
			if err != nil {
				f.t.Errorf("fake discord: encode message: %v", err)
			}
			f.posted[parts[1]] = append(f.posted[parts[1]], b)
		}
		drop := f.dropCreates > 0
		if drop {
			f.dropCreates--
		}
		f.mu.Unlock()
		if drop {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"id":%q,"channel_id":%q,"nonce":%q,"content":"","embeds":[]}`, id, parts[1], m.Nonce)
	case r.Method == "GET" && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		f.mu.Lock()
		var list []json.RawMessage
		ms := f.posted[parts[1]]
		for i := len(ms) - 1; i >= 0 && len(list) < 50; i-- {
			list = append(list, ms[i])
		}
		f.mu.Unlock()
		if list == nil {
			list = []json.RawMessage{}
		}
		b, err := json.Marshal(list)
		if err != nil {
			f.badRequest(w, "encode messages: %v", err)
			return
		}
		w.Write(b)
	case r.Method == "PATCH" && len(parts) == 4 && parts[0] == "channels":
		fmt.Fprintf(w, `{"id":%q,"channel_id":%q}`, parts[3], parts[1])
	case r.Method == "PUT" && parts[0] == "applications":
		w.Write(rec.Body)
	case r.Method == "POST" && parts[0] == "webhooks":
		fmt.Fprintf(w, `{"id":"9001","channel_id":"1","content":""}`)
	case r.Method == "DELETE" && parts[0] == "webhooks" && len(parts) == 5 && parts[3] == "messages":
		w.WriteHeader(http.StatusNoContent)
	case r.Method == "POST" && parts[0] == "interactions":
		w.WriteHeader(http.StatusNoContent)
	case r.Method == "GET" && p == "gateway":
		f.mu.Lock()
		u := f.gatewayURL
		f.mu.Unlock()
		fmt.Fprintf(w, `{"url":%q}`, u)
	default:
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message":"404: Not Found","code":0}`)
	}
}

// stored returns how many messages channel holds.
func (f *fakeDiscord) stored(channel string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.posted[channel])
}

// forgetNonces simulates Discord's nonce memory running out.
func (f *fakeDiscord) forgetNonces() {
	f.mu.Lock()
	clear(f.nonces)
	f.mu.Unlock()
}

// count returns how many requests had method and a path ending in suffix.
func (f *fakeDiscord) count(method, suffix string) int {
	n := 0
	for _, r := range f.requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

// newTestAdapter returns an adapter pointed at f.
func newTestAdapter(t *testing.T, f *fakeDiscord, cfg Config, h commandHandler) *Adapter {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = "test-token"
	}
	cfg.APIURL = f.apiURL()
	a, err := New(cfg, h, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}
