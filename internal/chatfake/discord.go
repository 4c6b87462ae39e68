package chatfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// DiscordMessage is one message the fake Discord accepted.
type DiscordMessage struct {
	ID        string
	ChannelID string
	Nonce     string
	Content   string
	Embeds    json.RawMessage
	ReplyTo   string // message_reference.message_id
	Edits     int
}

// Discord is a fake Discord REST API (v10).
type Discord struct {
	Server *httptest.Server
	mu     sync.Mutex
	msgs   []*DiscordMessage
	nonces map[string]*DiscordMessage
	limit  int // POSTs still to answer with 429
	posts  int
	next   int64
}

// NewDiscord starts a fake Discord. Close it with Close.
func NewDiscord() *Discord {
	d := &Discord{nonces: map[string]*DiscordMessage{}, next: 900000000000000000}
	d.Server = httptest.NewServer(http.HandlerFunc(d.serve))
	return d
}

// URL is the api_url to configure.
func (d *Discord) URL() string { return d.Server.URL + "/api/v10/" }

// Close stops the server.
func (d *Discord) Close() { d.Server.Close() }

// RateLimit makes the next n message creations answer HTTP 429.
func (d *Discord) RateLimit(n int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.limit += n
}

// Posts returns how many create-message requests arrived (including 429s and nonce repeats).
func (d *Discord) Posts() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.posts
}

// Messages returns copies of every created message, in order.
func (d *Discord) Messages() []DiscordMessage {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]DiscordMessage, len(d.msgs))
	for i, m := range d.msgs {
		out[i] = *m
	}
	return out
}

func (d *Discord) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/api/v10/")
	parts := strings.Split(path, "/")
	d.mu.Lock()
	defer d.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		d.posts++
		if d.limit > 0 {
			d.limit--
			w.Header().Set("Retry-After", "1")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset-After", "0.5")
			w.Header().Set("X-RateLimit-Bucket", "fake-bucket")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"message":"You are being rate limited.","retry_after":0.5,"global":false}`)
			return
		}
		var body struct {
			Content      string          `json:"content"`
			Embeds       json.RawMessage `json:"embeds"`
			Nonce        json.RawMessage `json:"nonce"`
			EnforceNonce bool            `json:"enforce_nonce"`
			Reference    *struct {
				MessageID string `json:"message_id"`
			} `json:"message_reference"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"message":"Invalid Form Body","code":50035}`)
			return
		}
		nonce := strings.Trim(string(body.Nonce), `"`)
		if body.EnforceNonce && nonce != "" {
			if m, ok := d.nonces[parts[1]+"/"+nonce]; ok {
				json.NewEncoder(w).Encode(d.wire(m))
				return
			}
		}
		d.next++
		m := &DiscordMessage{ID: fmt.Sprint(d.next), ChannelID: parts[1], Nonce: nonce, Content: body.Content, Embeds: body.Embeds}
		if body.Reference != nil {
			m.ReplyTo = body.Reference.MessageID
		}
		d.msgs = append(d.msgs, m)
		if body.EnforceNonce && nonce != "" {
			d.nonces[parts[1]+"/"+nonce] = m
		}
		json.NewEncoder(w).Encode(d.wire(m))
	case r.Method == http.MethodPatch && len(parts) == 4 && parts[0] == "channels" && parts[2] == "messages":
		for _, m := range d.msgs {
			if m.ChannelID == parts[1] && m.ID == parts[3] {
				m.Edits++
				json.NewEncoder(w).Encode(d.wire(m))
				return
			}
		}
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Unknown Message","code":10008}`)
	case r.Method == http.MethodPut && strings.Contains(path, "/commands"):
		fmt.Fprint(w, `[]`)
	case r.Method == http.MethodPost && parts[0] == "webhooks":
		d.next++
		fmt.Fprintf(w, `{"id":"%d","channel_id":"0","content":""}`, d.next)
	case r.Method == http.MethodGet && parts[0] == "channels" && len(parts) == 3:
		var list []map[string]any
		for i := len(d.msgs) - 1; i >= 0; i-- {
			if d.msgs[i].ChannelID == parts[1] {
				list = append(list, d.wire(d.msgs[i]))
			}
		}
		json.NewEncoder(w).Encode(list)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"404: Not Found","code":0}`)
	}
}

func (d *Discord) wire(m *DiscordMessage) map[string]any {
	out := map[string]any{"id": m.ID, "channel_id": m.ChannelID, "content": m.Content, "type": 0,
		"author": map[string]any{"id": "1", "username": "sitrep", "bot": true}, "timestamp": "2026-01-01T00:00:00Z"}
	if len(m.Embeds) > 0 {
		out["embeds"] = m.Embeds
	} else {
		out["embeds"] = []any{}
	}
	if m.Nonce != "" {
		out["nonce"] = m.Nonce
	}
	if m.ReplyTo != "" {
		out["message_reference"] = map[string]any{"message_id": m.ReplyTo, "channel_id": m.ChannelID}
	}
	return out
}
