// Package chatfake provides fake Slack Web API and Discord REST servers for
// sitrep's end-to-end tests. They speak the platforms' wire formats well
// enough for slack-go and discordgo, record every message, and behave like
// the real services where sitrep's guarantees depend on it: Slack returns
// message metadata in conversations.history, Discord de-duplicates a nonce
// sent with enforce_nonce. Both can answer HTTP 429 on demand.
package chatfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
)

// SlackMessage is one message the fake Slack accepted.
type SlackMessage struct {
	Channel  string
	TS       string
	ThreadTS string
	Text     string
	Blocks   json.RawMessage
	// EventType and Payload are the message metadata, if any.
	EventType string
	Payload   map[string]any
	Updates   int // chat.update calls on this message; Text and Blocks are the latest edit's
}

// Slack is a fake Slack Web API.
type Slack struct {
	Server *httptest.Server
	mu     sync.Mutex
	msgs   []*SlackMessage
	calls  map[string]int
	limit  map[string]int // method → 429s still to answer
	seq    int
}

// NewSlack starts a fake Slack. Close it with Close.
func NewSlack() *Slack {
	s := &Slack{calls: map[string]int{}, limit: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the api_url to configure (with the trailing slash slack-go wants).
func (s *Slack) URL() string { return s.Server.URL + "/" }

// Close stops the server.
func (s *Slack) Close() { s.Server.Close() }

// RateLimit makes the next n calls of method answer HTTP 429.
func (s *Slack) RateLimit(method string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit[method] += n
}

// Calls returns how many times method was called.
func (s *Slack) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Messages returns copies of every accepted message, in order.
func (s *Slack) Messages() []SlackMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SlackMessage, len(s.msgs))
	for i, m := range s.msgs {
		out[i] = *m
	}
	return out
}

func (s *Slack) serve(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/")
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		for k, v := range body {
			if str, ok := v.(string); ok {
				r.Form.Set(k, str)
			} else {
				b, _ := json.Marshal(v)
				r.Form.Set(k, string(b))
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[method]++
	if s.limit[method] > 0 {
		s.limit[method]--
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"ok":false,"error":"ratelimited"}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "auth.test":
		writeJSON(w, map[string]any{"ok": true, "user_id": "UBOT", "team_id": "T1", "bot_id": "B1"})
	case "chat.postMessage":
		s.seq++
		m := &SlackMessage{Channel: r.Form.Get("channel"), TS: fmt.Sprintf("1700000000.%06d", s.seq),
			ThreadTS: r.Form.Get("thread_ts"), Text: r.Form.Get("text"), Blocks: json.RawMessage(r.Form.Get("blocks"))}
		if md := r.Form.Get("metadata"); md != "" {
			var meta struct {
				EventType    string         `json:"event_type"`
				EventPayload map[string]any `json:"event_payload"`
			}
			json.Unmarshal([]byte(md), &meta)
			m.EventType, m.Payload = meta.EventType, meta.EventPayload
		}
		s.msgs = append(s.msgs, m)
		writeJSON(w, map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS, "message": s.wire(m)})
	case "chat.update":
		for _, m := range s.msgs {
			if m.Channel == r.Form.Get("channel") && m.TS == r.Form.Get("ts") {
				m.Updates++
				// The edit replaces the message's text and blocks.
				m.Text = r.Form.Get("text")
				m.Blocks = json.RawMessage(r.Form.Get("blocks"))
				writeJSON(w, map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS})
				return
			}
		}
		writeJSON(w, map[string]any{"ok": false, "error": "message_not_found"})
	case "conversations.history":
		limit, _ := strconv.Atoi(r.Form.Get("limit"))
		if limit <= 0 {
			limit = 100
		}
		var list []map[string]any
		for i := len(s.msgs) - 1; i >= 0 && len(list) < limit; i-- {
			m := s.msgs[i]
			if m.Channel == r.Form.Get("channel") && m.ThreadTS == "" {
				list = append(list, s.wire(m))
			}
		}
		writeJSON(w, map[string]any{"ok": true, "messages": list, "has_more": false})
	case "conversations.replies":
		var list []map[string]any
		ts := r.Form.Get("ts")
		for _, m := range s.msgs {
			if m.Channel == r.Form.Get("channel") && (m.TS == ts || m.ThreadTS == ts) {
				list = append(list, s.wire(m))
			}
		}
		writeJSON(w, map[string]any{"ok": true, "messages": list, "has_more": false})
	case "users.info":
		writeJSON(w, map[string]any{"ok": true, "user": map[string]any{"id": r.Form.Get("user"), "name": "analyst", "is_admin": true}})
	default:
		writeJSON(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

// wire renders a message as the Web API returns it.
func (s *Slack) wire(m *SlackMessage) map[string]any {
	out := map[string]any{"type": "message", "ts": m.TS, "text": m.Text, "bot_id": "B1"}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if m.EventType != "" {
		out["metadata"] = map[string]any{"event_type": m.EventType, "event_payload": m.Payload}
	}
	return out
}

func writeJSON(w http.ResponseWriter, v any) {
	json.NewEncoder(w).Encode(v)
}
