package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/sitrep-bot/sitrep/bot"
)

// TestSocketModeSlashCommand runs the real socketmode client against a
// fake Socket Mode server: apps.connections.open hands out a ws:// URL on
// the fake, which sends hello, a slash_commands envelope and an
// interactive one, and reads the acks.
func TestSocketModeSlashCommand(t *testing.T) {
	f := newFakeSlack(t)
	f.wsURL = "ws://" + strings.TrimPrefix(f.srv.URL, "http://") + "/ws"
	acks := make(chan map[string]any, 8)
	f.wsHandle = func(w http.ResponseWriter, r *http.Request) {
		up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }} // the client sends Origin: https://api.slack.com
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			t.Errorf("upgrade: %v", err)
			return
		}
		defer conn.Close()
		frames := []string{
			`{"type":"hello","num_connections":1}`,
			`{"envelope_id":"env-1","type":"slash_commands","accepts_response_payload":true,"payload":{"team_id":"T1","channel_id":"C9","user_id":"U1","user_name":"ana","command":"/sitrep","text":"latest iraq","response_url":"https://hooks.example/x"}}`,
			`{"envelope_id":"env-2","type":"interactive","accepts_response_payload":false,"payload":{"type":"block_actions","channel":{"id":"C9"}}}`,
		}
		for _, fr := range frames {
			if err := conn.WriteMessage(websocket.TextMessage, []byte(fr)); err != nil {
				return
			}
		}
		for {
			_, b, err := conn.ReadMessage()
			if err != nil {
				return
			}
			var m map[string]any
			if json.Unmarshal(b, &m) == nil {
				acks <- m
			}
		}
	}
	h := &recordingHandler{reply: bot.Reply{Ephemeral: true, Title: "Latest", Text: "Two stories about iraq."}}
	a, err := New(Config{BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: f.apiURL()}, h,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()

	got := map[string]map[string]any{}
	timeout := time.After(10 * time.Second)
	for len(got) < 2 {
		select {
		case m := <-acks:
			id, _ := m["envelope_id"].(string)
			got[id] = m
		case err := <-done:
			t.Fatalf("Run returned early: %v", err)
		case <-timeout:
			t.Fatalf("acks so far: %v", got)
		}
	}
	payload, _ := got["env-1"]["payload"].(map[string]any)
	if payload["text"] != "Latest\nTwo stories about iraq." || payload["response_type"] != "ephemeral" || payload["blocks"] == nil {
		t.Errorf("slash command ack payload = %v", payload)
	}
	if _, ok := got["env-2"]; !ok {
		t.Errorf("interactive envelope not acked: %v", got)
	}
	if cmds := h.commands(); len(cmds) != 1 || cmds[0].Channel != "C9" || cmds[0].Name != "latest" {
		t.Errorf("commands = %+v", cmds)
	}
	if calls := f.callsOf("apps.connections.open"); len(calls) == 0 || calls[0].Auth != "Bearer xapp-test" {
		t.Errorf("apps.connections.open calls = %+v, want one with the app token", calls)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop after cancel")
	}
}

func TestRunWithoutAppTokenReturnsAtOnce(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	if err := a.Run(t.Context()); err != nil {
		t.Errorf("Run without app token = %v", err)
	}
	if n := len(f.callsOf("apps.connections.open")); n != 0 {
		t.Errorf("apps.connections.open called %d times", n)
	}
}

func TestRunInvalidAppToken(t *testing.T) {
	f := newFakeSlack(t)
	f.failNext("apps.connections.open", fault{code: "invalid_auth"})
	a, err := New(Config{BotToken: "xoxb-test", AppToken: "xapp-bad", APIURL: f.apiURL()}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := a.Run(ctx); err == nil || ctx.Err() != nil {
		t.Errorf("Run with a refused app token = %v (ctx %v), want an error at once", err, ctx.Err())
	}
}

// fakeAcker records acks; it refuses the first one when refuseFirst is set.
type fakeAcker struct {
	mu          sync.Mutex
	refuseFirst bool
	acks        []socketAck
}

type socketAck struct {
	envelope string
	payload  any
}

func (f *fakeAcker) AckCtx(_ context.Context, id string, payload any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refuseFirst {
		f.refuseFirst = false
		return errors.New("socket mode response too large")
	}
	f.acks = append(f.acks, socketAck{id, payload})
	return nil
}

func (f *fakeAcker) list() []socketAck {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]socketAck(nil), f.acks...)
}

func TestSocketEnvelopeAck(t *testing.T) {
	tests := []struct {
		name        string
		slow        bool
		refuseFirst bool
		wantAck     string // text of the ack payload
		wantHook    string // text posted to response_url, "" for none
	}{
		{"fast", false, false, "Answer", ""},
		{"slow", true, false, "Working on it…", "Answer"},
		{"ack refused", false, true, "Working on it…", "Answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hooked := make(chan string, 1)
			hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var m map[string]any
				if !readJSON(t, w, r, &m) {
					return
				}
				s, _ := m["text"].(string)
				hooked <- s
			}))
			defer hook.Close()
			f := newFakeSlack(t)
			h := &recordingHandler{reply: bot.Reply{Text: "Answer"}}
			if tt.slow {
				h.release = make(chan struct{})
			}
			a, _ := newTestAdapter(t, f, h)
			if tt.slow {
				a.budget = 20 * time.Millisecond // the handler blocks until released
			}
			ack := &fakeAcker{refuseFirst: tt.refuseFirst}
			evt := socketEvent("env-9", slackapi.SlashCommand{ChannelID: "C1", UserID: "U1", Text: "brief", ResponseURL: hook.URL})
			a.handleSocketEvent(t.Context(), ack, evt)
			if tt.slow {
				// Wait for the acknowledgement, then let the handler finish.
				deadline := time.Now().Add(5 * time.Second)
				for len(ack.list()) == 0 && time.Now().Before(deadline) {
					time.Sleep(5 * time.Millisecond)
				}
				close(h.release)
			}
			if err := a.Shutdown(t.Context()); err != nil {
				t.Fatal(err)
			}
			acks := ack.list()
			if len(acks) != 1 || acks[0].envelope != "env-9" {
				t.Fatalf("acks = %+v, want one for env-9", acks)
			}
			if p, ok := acks[0].payload.(replyPayload); !ok || p.Text != tt.wantAck {
				t.Errorf("ack payload = %+v, want text %q", acks[0].payload, tt.wantAck)
			}
			select {
			case s := <-hooked:
				if s != tt.wantHook {
					t.Errorf("response_url got %q, want %q", s, tt.wantHook)
				}
			default:
				if tt.wantHook != "" {
					t.Errorf("no response_url post, want %q", tt.wantHook)
				}
			}
		})
	}
}

// socketEvent builds the event the socketmode client emits for a
// slash_commands envelope.
func socketEvent(envelope string, sc slackapi.SlashCommand) socketmode.Event {
	return socketmode.Event{Type: socketmode.EventTypeSlashCommand, Data: sc,
		Request: &socketmode.Request{Type: "slash_commands", EnvelopeID: envelope}}
}
