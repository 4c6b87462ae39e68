package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/internal/redact"
)

// Routes registers the slash-command and interaction endpoints on mux.
func (a *Adapter) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /slack/commands", a.handleCommand)
	mux.HandleFunc("POST /slack/interactions", a.handleInteraction)
}

// replyPayload is a slash-command answer in Slack's wire format: the HTTP
// response body, the Socket Mode ack payload, or a response_url post.
type replyPayload struct {
	ResponseType string           `json:"response_type"`
	Text         string           `json:"text"`
	Blocks       []slackapi.Block `json:"blocks,omitempty"`
}

// workingReply is the immediate answer when the handler needs longer.
var workingReply = replyPayload{ResponseType: slackapi.ResponseTypeEphemeral, Text: "Working on it…"}

func payloadFor(r bot.Reply) replyPayload {
	m := renderReply(r)
	p := replyPayload{ResponseType: slackapi.ResponseTypeInChannel, Text: m.Text, Blocks: m.Blocks}
	if r.Ephemeral {
		p.ResponseType = slackapi.ResponseTypeEphemeral
	}
	return p
}

// handleCommand serves POST /slack/commands.
func (a *Adapter) handleCommand(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.readVerified(w, r); !ok {
		return
	}
	sc, err := slackapi.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if r.PostForm.Get("ssl_check") == "1" {
		// Slack checking the certificate of the command URL: not a command.
		w.WriteHeader(http.StatusOK)
		return
	}
	writeJSON(w, a.dispatch(r.Context(), sc))
}

// handleInteraction serves POST /slack/interactions: it verifies the
// request, acknowledges it at once and acts on "More like this" clicks.
func (a *Adapter) handleInteraction(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.readVerified(w, r); !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	var cb slackapi.InteractionCallback
	if err := json.Unmarshal([]byte(r.PostForm.Get("payload")), &cb); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	a.log.Debug("slack: interaction", slog.String("type", string(cb.Type)), slog.String("channel_id", cb.Channel.ID))
	a.handleCallback(r.Context(), cb)
	w.WriteHeader(http.StatusOK)
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// commandFrom turns a parsed slash command into a bot.Command.
func (a *Adapter) commandFrom(sc slackapi.SlashCommand) bot.Command {
	text := strings.TrimSpace(sc.Text)
	words := strings.Fields(text)
	cmd := bot.Command{
		Platform: "slack",
		Team:     sc.TeamID,
		Channel:  sc.ChannelID,
		User:     sc.UserID,
		UserName: sc.UserName,
		Text:     text,
		IsAdmin:  a.isAdmin(sc.TeamID, sc.UserID),
		Served:   a.served(sc.TeamID, sc.EnterpriseID),
	}
	if len(words) > 0 {
		cmd.Name = strings.ToLower(words[0])
		cmd.Args = words[1:]
	}
	return cmd
}

// dispatch runs the handler for sc and returns the immediate answer. If
// the handler answers within the budget, that is its reply; otherwise it
// is "Working on it…" and the reply goes to sc.ResponseURL when ready,
// under a context that outlives the request (bounded by a.deadline).
func (a *Adapter) dispatch(reqCtx context.Context, sc slackapi.SlashCommand) replyPayload {
	h := a.getHandler()
	if h == nil {
		return replyPayload{ResponseType: slackapi.ResponseTypeEphemeral, Text: "sitrep is starting up; try again in a moment."}
	}
	cmd := a.commandFrom(sc)
	log := a.log.With(slog.String("channel_id", sc.ChannelID), slog.String("command", cmd.Name))

	ctx, cancel := context.WithTimeout(context.WithoutCancel(reqCtx), a.deadline)
	done := make(chan bot.Reply)
	gaveUp := make(chan struct{})
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer cancel()
		r := a.safeHandle(ctx, h, cmd, log)
		select {
		case done <- r:
		case <-gaveUp:
			a.respondLater(ctx, sc.ResponseURL, payloadFor(r), log)
		}
	}()

	timer := time.NewTimer(a.budget)
	defer timer.Stop()
	select {
	case r := <-done:
		return payloadFor(r)
	case <-timer.C:
	case <-reqCtx.Done():
	}
	close(gaveUp)
	return workingReply
}

// safeHandle calls the handler, turning a panic into a generic reply.
func (a *Adapter) safeHandle(ctx context.Context, h commandHandler, cmd bot.Command, log *slog.Logger) (r bot.Reply) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("slack: command handler panicked", slog.String("panic", fmt.Sprint(p)))
			r = bot.Reply{Ephemeral: true, Text: "Something went wrong."}
		}
	}()
	return h.Handle(ctx, cmd)
}

// respondLater posts p to a command's response_url.
func (a *Adapter) respondLater(ctx context.Context, responseURL string, p replyPayload, log *slog.Logger) {
	u, err := url.Parse(responseURL)
	if responseURL == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		log.Warn("slack: late reply dropped: no usable response_url")
		return
	}
	// The handler may have used most of ctx; give the post its own bound.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	msg := &slackapi.WebhookMessage{Text: p.Text, ResponseType: p.ResponseType}
	if len(p.Blocks) > 0 {
		msg.Blocks = &slackapi.Blocks{BlockSet: p.Blocks}
	}
	if err := slackapi.PostWebhookCustomHTTPContext(pctx, responseURL, a.http, msg); err != nil {
		// The response_url's path is a credential (it answers as sitrep
		// for 30 minutes) and the client's error quotes it: log the host only.
		log.Warn("slack: late reply failed", slog.String("response_host", redact.Origin(responseURL)),
			slog.String("error", strings.ReplaceAll(err.Error(), responseURL, redact.Origin(responseURL)+"/…")))
		return
	}
	log.Debug("slack: late reply posted")
}
