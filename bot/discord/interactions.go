package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/sitrep-bot/sitrep/bot"
)

// Limits on incoming interactions.
const (
	maxInteractionBytes = 64 << 10
	maxClockSkew        = 5 * time.Minute
	// gatewayAckMargin is taken off the answer budget on the gateway, where
	// the answer is one more REST call away.
	gatewayAckMargin = 500 * time.Millisecond
	// followupSendTimeout bounds posting a deferred answer.
	followupSendTimeout = 30 * time.Second
)

// InteractionsPath is where Discord posts interactions in HTTP mode.
const InteractionsPath = "/discord/interactions"

// Routes registers POST /discord/interactions on mux. The endpoint answers
// 404 unless Config.PublicKey is set.
func (a *Adapter) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+InteractionsPath, a.ServeInteraction)
}

// ServeInteraction is the HTTP interactions endpoint: it verifies the
// Ed25519 signature over timestamp+body (refusing stale timestamps and
// bodies over 64 KiB), answers PING, runs commands and autocompletes.
func (a *Adapter) ServeInteraction(w http.ResponseWriter, r *http.Request) {
	if a.pubKey == nil {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		// Typically a body trickled past the server's read timeout.
		a.log.Warn("discord interaction refused", "reason", "body unreadable", "remote_addr", r.RemoteAddr, "error", err.Error())
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if err := a.verify(r.Header, body); err != nil {
		a.log.Warn("discord interaction refused", "reason", err.Error(), "remote_addr", r.RemoteAddr)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var in discordgo.Interaction
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	// Discord sends each interaction once; a second copy of a signed one
	// within its timestamp window is a replay.
	if in.Type != discordgo.InteractionPing && (in.ID == "" || !a.seen.First(in.ID, a.now())) {
		a.log.Warn("discord interaction refused", "reason", "replayed", "interaction_id", in.ID, "remote_addr", r.RemoteAddr)
		http.Error(w, "replayed interaction", http.StatusUnauthorized)
		return
	}
	write := func(resp *discordgo.InteractionResponse) error {
		b, err := json.Marshal(resp)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/json")
		_, err = w.Write(b)
		return err
	}
	switch in.Type {
	case discordgo.InteractionPing:
		_ = write(&discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		if err := a.interact(r.Context(), &in, a.ackBudget, write); err != nil {
			a.log.Warn("discord interaction answer failed", "interaction_id", in.ID, "error", err)
		}
	default:
		http.Error(w, "unsupported interaction type", http.StatusBadRequest)
	}
}

// verify checks X-Signature-Ed25519 over X-Signature-Timestamp+body, and
// that the timestamp is within maxClockSkew of now.
func (a *Adapter) verify(h http.Header, body []byte) error {
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("bad signature header")
	}
	ts := h.Get("X-Signature-Timestamp")
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("bad timestamp header")
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(a.pubKey, msg, sig) {
		return errors.New("signature mismatch")
	}
	if skew := a.now().Sub(time.Unix(secs, 0)); skew > maxClockSkew || skew < -maxClockSkew {
		return errors.New("stale timestamp")
	}
	return nil
}

// interact answers a command or autocomplete interaction through respond,
// which must be called exactly once: the HTTP response body, or the
// interaction callback endpoint on the gateway path.
func (a *Adapter) interact(ctx context.Context, in *discordgo.Interaction, budget time.Duration, respond func(*discordgo.InteractionResponse) error) error {
	h := a.getHandler()
	var subs []bot.Subcommand
	if h != nil {
		subs = h.Commands()
	}
	cmd, focused, prefix := commandFrom(in, subs)
	cmd.Served = a.served(cmd.Team, cmd.Channel)
	if in.Type == discordgo.InteractionApplicationCommandAutocomplete {
		var vals []string
		if h != nil && focused != "" {
			vals = a.complete(ctx, budget, h, cmd, focused, prefix)
		}
		return respond(&discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices(vals)},
		})
	}
	a.log.Info("discord command", "interaction_id", in.ID, "guild_id", cmd.Team, "channel_id", cmd.Channel, "user_id", cmd.User, "command", cmd.Name)
	if h == nil {
		return respond(&discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: replyData(bot.Reply{Ephemeral: true, Text: "sitrep is starting up; try again in a moment."}),
		})
	}
	// The handler's context outlives this request: a deferred answer is
	// finished after the HTTP response has gone.
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.followupTimeout)
	done := make(chan bot.Reply, 1)
	go func() { done <- a.safeHandle(hctx, h, cmd) }()

	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case rep := <-done:
		cancel()
		return respond(&discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: replyData(rep),
		})
	case <-timer.C:
	}
	// The deferral decides who sees the answer (Discord keeps the first
	// follow-up as private or public as the "thinking…" message): defer
	// privately when the command answers privately.
	private := deferPrivately(h, cmd)
	deferred := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if private {
		deferred.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	err := respond(deferred)
	a.inflight.Add(1)
	go func() {
		defer a.inflight.Done()
		defer cancel()
		var rep bot.Reply
		select {
		case rep = <-done:
		case <-hctx.Done():
			rep = bot.Reply{Ephemeral: true, Text: "Sorry, that took too long."}
		}
		// A fresh bound: hctx may be spent, and the apology must still go.
		fctx, fcancel := context.WithTimeout(context.WithoutCancel(hctx), followupSendTimeout)
		defer fcancel()
		if err := a.finishDeferred(fctx, in, private, rep); err != nil {
			a.log.Warn("discord follow-up failed", "interaction_id", in.ID, "error", err)
		}
	}()
	return err
}

// deferPrivately reports whether cmd's deferral should be ephemeral, as
// the handler predicts (DeferEphemeral); without a prediction it is
// public, and finishDeferred mends a private answer.
func deferPrivately(h commandHandler, cmd bot.Command) bool {
	d, ok := h.(interface{ DeferEphemeral(bot.Command) bool })
	return ok && d.DeferEphemeral(cmd)
}

// finishDeferred delivers rep after a deferral that was private or not.
// When rep's visibility differs, the "thinking…" message is deleted first,
// so the answer is posted as a new message with its own visibility; if a
// private answer cannot replace a public deferral, it is not posted at all
// (never shown to the channel).
func (a *Adapter) finishDeferred(ctx context.Context, in *discordgo.Interaction, private bool, rep bot.Reply) error {
	if rep.Ephemeral == private {
		return a.followup(ctx, in, rep)
	}
	if err := a.deleteOriginal(ctx, in); err != nil {
		if rep.Ephemeral {
			return fmt.Errorf("private answer withheld after a public deferral: %w", err)
		}
		// A public answer shown privately leaks nothing.
		return a.followup(ctx, in, rep)
	}
	return a.followup(ctx, in, rep)
}

// deleteOriginal deletes a deferred interaction's "thinking…" message
// (DELETE webhooks/{application_id}/{token}/messages/@original).
func (a *Adapter) deleteOriginal(ctx context.Context, in *discordgo.Interaction) error {
	app := in.AppID
	if app == "" {
		app = a.cfg.ApplicationID
	}
	if !isSnowflake(app) || in.Token == "" {
		return errors.New("discord: delete original: interaction lacks application id or token")
	}
	rt := route{name: "DELETE /webhooks/{application}/{token}/messages/@original", major: app + "/" + in.Token}
	path := "webhooks/" + app + "/" + url.PathEscape(in.Token) + "/messages/@original"
	if _, err := a.do(ctx, "DELETE", endpoint(path), rt, nil); err != nil {
		return fmt.Errorf("discord: delete original: %w", err)
	}
	return nil
}

// followup posts rep as the answer to a deferred interaction
// (POST webhooks/{application_id}/{token}).
func (a *Adapter) followup(ctx context.Context, in *discordgo.Interaction, rep bot.Reply) error {
	app := in.AppID
	if app == "" {
		app = a.cfg.ApplicationID
	}
	if !isSnowflake(app) || in.Token == "" {
		return errors.New("discord: follow-up: interaction lacks application id or token")
	}
	rt := route{name: "POST /webhooks/{application}/{token}", major: app + "/" + in.Token}
	path := "webhooks/" + app + "/" + url.PathEscape(in.Token)
	if _, err := a.do(ctx, "POST", endpoint(path), rt, replyData(rep)); err != nil {
		return fmt.Errorf("discord: follow-up: %w", err)
	}
	return nil
}

// safeHandle runs the handler, turning a panic into an apology.
func (a *Adapter) safeHandle(ctx context.Context, h commandHandler, cmd bot.Command) (rep bot.Reply) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("discord command handler panicked", "command", cmd.Name, "panic", fmt.Sprint(p))
			rep = bot.Reply{Ephemeral: true, Text: "Something went wrong."}
		}
	}()
	return h.Handle(ctx, cmd)
}

// complete asks h for suggestions, giving up (no suggestions) after
// budget so the answer still arrives within 3 s.
func (a *Adapter) complete(ctx context.Context, budget time.Duration, h commandHandler, cmd bot.Command, option, prefix string) []string {
	actx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	out := make(chan []string, 1)
	go func() { out <- a.safeComplete(actx, h, cmd, option, prefix) }()
	select {
	case vals := <-out:
		return vals
	case <-actx.Done():
		a.log.Warn("discord autocomplete too slow", "option", option)
		return nil
	}
}

func (a *Adapter) safeComplete(ctx context.Context, h commandHandler, cmd bot.Command, option, prefix string) (vals []string) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("discord autocomplete panicked", "option", option, "panic", fmt.Sprint(p))
			vals = nil
		}
	}()
	return h.Complete(ctx, cmd, option, prefix)
}
