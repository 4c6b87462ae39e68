package discord

import (
	"context"
	"encoding/hex"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/internal/logtest"
)

func TestLogsHoldNoSecretsOrBodies(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	var logs logtest.Buffer
	done := make(chan struct{})
	router := &fakeRouter{HandleFn: func(ctx context.Context, cmd bot.Command) bot.Reply {
		<-done
		return bot.Reply{Text: "secret-reply-body"}
	}}
	a, err := New(Config{Token: "bot-token-xyz", ApplicationID: "42", PublicKey: hex.EncodeToString(s.pub), APIURL: f.apiURL()},
		router, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	a.ackBudget = 10 * time.Millisecond

	// A send that fails, a send that succeeds.
	p := samplePost()
	p.Summary = "secret-summary-body"
	f.push(reply{status: 500, body: `{"message":"oops","code":0}`})
	if _, err := a.Send(t.Context(), bot.Delivery{ID: 1, Channel: "555", Post: p}); err == nil {
		t.Fatal("send against the scripted 500: no error")
	}
	if _, err := a.Send(t.Context(), bot.Delivery{ID: 2, Channel: "555", Post: p}); err != nil {
		t.Fatalf("second send: %v", err)
	}

	// A deferred command whose follow-up cannot reach Discord.
	body := strings.Replace(commandBody(`{"name":"help","type":1}`, "0"), "itok-abc", "itok-secret-123", 1)
	if ans := decodeAnswer(t, serve(a, s.request(t, body, time.Now()))); ans.Type != 5 {
		t.Fatalf("answer type %d, want 5", ans.Type)
	}
	f.srv.Close()
	close(done)
	if err := a.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "follow-up failed") {
		t.Fatalf("expected a follow-up failure in the logs:\n%s", out)
	}
	for _, secret := range []string{"bot-token-xyz", "itok-secret-123", "secret-summary-body", "secret-reply-body"} {
		if strings.Contains(out, secret) {
			t.Errorf("logs contain %q:\n%s", secret, out)
		}
	}
}

func TestAutocompleteSlowHandlerStillAnswers(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	router := &fakeRouter{CompleteFn: func(ctx context.Context, _ bot.Command, _, _ string) []string {
		time.Sleep(200 * time.Millisecond) // ignores ctx on purpose
		return []string{"late"}
	}}
	a := newHTTPAdapter(t, f, s, router)
	a.ackBudget = 20 * time.Millisecond
	body := `{"id":"7","application_id":"42","type":4,"token":"t","version":1,"channel_id":"555",
	"data":{"id":"c","name":"sitrep","type":1,"options":[{"name":"latest","type":1,"options":[{"name":"target","type":3,"value":"y","focused":true}]}]}}`
	ans := decodeAnswer(t, serve(a, s.request(t, body, time.Now())))
	if ans.Type != 8 || ans.Data == nil || len(ans.Data.Choices) != 0 {
		t.Errorf("answer = %+v, want type 8 with no choices", ans)
	}
}
