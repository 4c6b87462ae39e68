package slack

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
)

func TestStoryHasMoreLikeThisButton(t *testing.T) {
	tests := []struct {
		post bot.Post
		want string // button value, "" for no button
	}{
		{bot.Post{Title: "a", Regions: []string{"iraq", "iran"}, Topics: []string{"terrorism"}}, "latest iraq"},
		{bot.Post{Title: "a", Topics: []string{"cyber"}}, "latest cyber"},
		{bot.Post{Title: "a", Regions: []string{"two words"}}, ""},
		{bot.Post{Title: "a"}, ""},
	}
	for _, tt := range tests {
		raw := mustJSON(t, renderStory(tt.post).Blocks)
		var blocks []struct {
			Type     string
			Elements []struct {
				ActionID string `json:"action_id"`
				Value    string `json:"value"`
			} `json:"elements"`
		}
		if err := json.Unmarshal(raw, &blocks); err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, b := range blocks {
			if b.Type == "actions" {
				for _, e := range b.Elements {
					if e.ActionID == moreActionID {
						got = e.Value
					}
				}
			}
		}
		if got != tt.want {
			t.Errorf("story with regions %v topics %v: button value %q, want %q", tt.post.Regions, tt.post.Topics, got, tt.want)
		}
	}
}

func TestMoreLikeThisClick(t *testing.T) {
	tests := []struct {
		name     string
		actionID string
		value    string
		wantRun  bool
	}{
		{"click", moreActionID, "latest iraq", true},
		{"other action", "something_else", "latest iraq", false},
		{"unexpected value", moreActionID, "feeds add https://evil.example", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			posted := make(chan map[string]any, 1)
			hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var m map[string]any
				if !readJSON(t, w, r, &m) {
					return
				}
				posted <- m
			}))
			defer hook.Close()
			f := newFakeSlack(t)
			h := &recordingHandler{reply: bot.Reply{Text: "Latest on iraq", Ephemeral: false}}
			a, _ := newTestAdapter(t, f, h)
			payload := mustJSON(t, map[string]any{
				"type": "block_actions", "team": map[string]any{"id": "T1"}, "channel": map[string]any{"id": "C5"},
				"user": map[string]any{"id": "U7", "name": "ana"}, "response_url": hook.URL,
				"actions": []map[string]any{{"type": "button", "block_id": "sitrep_actions", "action_id": tt.actionID, "value": tt.value}},
			})
			body := "payload=" + url.QueryEscape(string(payload))
			w := httptest.NewRecorder()
			serveMux(a).ServeHTTP(w, signedRequest("/slack/interactions", body, time.Now().Unix(), testSecret))
			if w.Code != 200 {
				t.Fatalf("status = %d", w.Code)
			}
			if err := a.Shutdown(t.Context()); err != nil {
				t.Fatal(err)
			}
			cmds := h.commands()
			if !tt.wantRun {
				if len(cmds) != 0 {
					t.Errorf("handler ran for %s: %+v", tt.name, cmds)
				}
				return
			}
			if len(cmds) != 1 || cmds[0].Name != "latest" || strings.Join(cmds[0].Args, " ") != "iraq" ||
				cmds[0].Channel != "C5" || cmds[0].User != "U7" {
				t.Fatalf("commands = %+v", cmds)
			}
			select {
			case m := <-posted:
				if m["text"] != "Latest on iraq" || m["response_type"] != "ephemeral" || m["replace_original"] != false {
					t.Errorf("response_url payload = %v, want an ephemeral new message", m)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no response_url post")
			}
		})
	}
}

func TestCheckAuth(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, nil)
	if err := a.CheckAuth(t.Context()); err != nil {
		t.Errorf("CheckAuth = %v", err)
	}
	f.failNext("auth.test", fault{code: "invalid_auth"})
	if err := a.CheckAuth(t.Context()); !bot.IsPermanent(err) {
		t.Errorf("CheckAuth with a revoked token = %v, want permanent", err)
	}
}
