package slack

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/internal/logtest"
)

// TestReplayMixedCaseRefused: the verifier accepts the MAC in any hex
// case, so the replay table must key on the MAC, not its text: the same
// request with its signature upper- or mixed-cased is a replay.
func TestReplayMixedCaseRefused(t *testing.T) {
	for _, path := range []string{"/slack/commands", "/slack/interactions"} {
		t.Run(strings.TrimPrefix(path, "/slack/"), func(t *testing.T) {
			f := newFakeSlack(t)
			h := &recordingHandler{reply: bot.Reply{Text: "ok"}}
			a, _ := newTestAdapter(t, f, h)
			now := time.Now().Unix()
			body := commandForm("subscribe iraq", "")
			if path == "/slack/interactions" {
				body = "payload=" + `{"type":"block_actions","team":{"id":"T1"},"user":{"id":"U1"},"actions":[]}`
			}
			sig := sign(testSecret, now, body)
			hexPart := strings.TrimPrefix(sig, "v0=")
			mixed := []byte(hexPart)
			for i := range mixed {
				if i%2 == 0 {
					mixed[i] = strings.ToUpper(string(mixed[i]))[0]
				}
			}
			var codes []int
			for _, s := range []string{sig, "v0=" + strings.ToUpper(hexPart), "v0=" + string(mixed)} {
				r := signedRequest(path, body, now, testSecret)
				r.Header.Set("X-Slack-Signature", s)
				w := httptest.NewRecorder()
				serveMux(a).ServeHTTP(w, r)
				codes = append(codes, w.Code)
			}
			if codes[0] != 200 || codes[1] != http.StatusUnauthorized || codes[2] != http.StatusUnauthorized {
				t.Errorf("statuses = %v, want [200 401 401]", codes)
			}
			if path == "/slack/commands" && len(h.commands()) != 1 {
				t.Errorf("handler ran %d times, want 1", len(h.commands()))
			}
		})
	}
}

// TestUpperCaseSignatureStillVerified: refusing case variants as replays
// does not refuse a first request whose MAC is written in upper case, and
// a forged MAC is still refused.
func TestUpperCaseSignatureStillVerified(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, &recordingHandler{reply: bot.Reply{Text: "ok"}})
	now := time.Now().Unix()
	body := commandForm("help", "")
	r := signedRequest("/slack/commands", body, now, testSecret)
	r.Header.Set("X-Slack-Signature", "v0="+strings.ToUpper(strings.TrimPrefix(sign(testSecret, now, body), "v0=")))
	w := httptest.NewRecorder()
	serveMux(a).ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("upper-case MAC, first use: status %d", w.Code)
	}
	w = httptest.NewRecorder()
	serveMux(a).ServeHTTP(w, signedRequest("/slack/commands", body, now+1, "another-secret"))
	if w.Code != http.StatusUnauthorized {
		t.Errorf("forged MAC: status %d, want 401", w.Code)
	}
}

// TestLateReplyFailureRedactsResponseURL: when posting a late answer to
// the response_url fails, the log names its host but never the URL's path
// (which lets anyone answer as sitrep for 30 minutes).
func TestLateReplyFailureRedactsResponseURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close() // nothing listens: the post fails with an error quoting the URL
	const pathSecret = "/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN"

	f := newFakeSlack(t)
	h := &recordingHandler{reply: bot.Reply{Text: "late"}, release: make(chan struct{})}
	a, _ := newTestAdapter(t, f, h)
	logs := &logtest.Buffer{}
	a.log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a.budget = 20 * time.Millisecond
	w := httptest.NewRecorder()
	serveMux(a).ServeHTTP(w, signedRequest("/slack/commands", commandForm("brief 7d", dead+pathSecret), time.Now().Unix(), testSecret))
	if !strings.Contains(w.Body.String(), "Working on it") {
		t.Fatalf("immediate answer %s, want the acknowledgement", w.Body.String())
	}
	close(h.release)
	if err := a.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "late reply failed") {
		t.Fatalf("no late reply failure logged:\n%s", out)
	}
	for _, leak := range []string{"397700885554", "96rGlfmibIGlgcZRskXaIFfN"} {
		if strings.Contains(out, leak) {
			t.Errorf("log shows the response_url path (%s):\n%s", leak, out)
		}
	}
	if !strings.Contains(out, dead) {
		t.Errorf("log does not name the response_url host:\n%s", out)
	}
}

// TestSocketSlashEnvelopeWithUnexpectedDataAcked: a slash_commands
// envelope whose data is not a slash command is still acknowledged (else
// Slack resends it), and runs nothing.
func TestSocketSlashEnvelopeWithUnexpectedDataAcked(t *testing.T) {
	f := newFakeSlack(t)
	h := &recordingHandler{reply: bot.Reply{Text: "Answer"}}
	a, _ := newTestAdapter(t, f, h)
	ack := &fakeAcker{}
	for i, data := range []any{nil, "junk", map[string]any{"text": "brief"}, &slackapi.SlashCommand{Text: "brief"}} {
		evt := socketmode.Event{Type: socketmode.EventTypeSlashCommand, Data: data,
			Request: &socketmode.Request{Type: "slash_commands", EnvelopeID: "env-" + string(rune('a'+i))}}
		a.handleSocketEvent(t.Context(), ack, evt)
	}
	if err := a.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	acks := ack.list()
	if len(acks) != 4 {
		t.Fatalf("acks = %+v, want one per envelope (4)", acks)
	}
	for _, k := range acks {
		if k.payload != nil {
			t.Errorf("envelope %s acked with %+v, want an empty ack", k.envelope, k.payload)
		}
	}
	if n := len(h.commands()); n != 0 {
		t.Errorf("handler ran %d times for envelopes without a command", n)
	}
}

// errReader fails like a body cut off by the server's read timeout.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("read tcp: i/o timeout") }

// TestUnreadableBodyLogged: a request whose body cannot be read (a slow
// client cut off by the read timeout) is refused and logged, not dropped
// silently.
func TestUnreadableBodyLogged(t *testing.T) {
	f := newFakeSlack(t)
	h := &recordingHandler{reply: bot.Reply{Text: "ok"}}
	a, _ := newTestAdapter(t, f, h)
	logs := &logtest.Buffer{}
	a.log = slog.New(slog.NewTextHandler(logs, nil))
	r := httptest.NewRequest(http.MethodPost, "/slack/commands", errReader{})
	w := httptest.NewRecorder()
	serveMux(a).ServeHTTP(w, r)
	if w.Code != http.StatusBadRequest || len(h.commands()) != 0 {
		t.Errorf("status %d, %d commands run", w.Code, len(h.commands()))
	}
	if !strings.Contains(logs.String(), "body_unreadable") || !strings.Contains(logs.String(), "i/o timeout") {
		t.Errorf("refusal not logged:\n%s", logs.String())
	}
}
