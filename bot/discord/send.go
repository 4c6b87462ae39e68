package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/sitrep-bot/sitrep/bot"
)

// messagePayload is a create-message body. discordgo's MessageSend has no
// nonce fields, so this request is built here (PROTOCOLS.md B4).
type messagePayload struct {
	Content          string                            `json:"content,omitempty"`
	Embeds           []*discordgo.MessageEmbed         `json:"embeds,omitempty"`
	Nonce            string                            `json:"nonce,omitempty"`
	EnforceNonce     bool                              `json:"enforce_nonce,omitempty"`
	AllowedMentions  *discordgo.MessageAllowedMentions `json:"allowed_mentions,omitempty"`
	MessageReference *discordgo.MessageReference       `json:"message_reference,omitempty"`
	Flags            discordgo.MessageFlags            `json:"flags,omitempty"`
}

// editPayload replaces a message's embeds.
type editPayload struct {
	Embeds []*discordgo.MessageEmbed `json:"embeds"`
}

// noMentions stops feed text from pinging anyone (@everyone, roles, users).
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// Nonce returns the idempotency nonce of an outbox delivery: "sitrep-" and
// the id in base 36, at most 21 characters (Discord allows 25). Retries of
// one delivery carry the same nonce, so with enforce_nonce Discord returns
// the first message instead of creating a second one. Id 0 (no outbox row)
// has no nonce.
func Nonce(id int64) string {
	if id == 0 {
		return ""
	}
	return "sitrep-" + strconv.FormatInt(id, 36)
}

// render builds the create-message payload for d.
func render(d bot.Delivery) messagePayload {
	m := messagePayload{AllowedMentions: noMentions()}
	if m.Nonce = Nonce(d.ID); m.Nonce != "" {
		m.EnforceNonce = true
	}
	p := d.Post
	switch p.Kind {
	case bot.KindUpdate:
		if d.Thread == "" {
			m.Embeds = []*discordgo.MessageEmbed{postEmbed(p)}
			break
		}
		no := false
		m.MessageReference = &discordgo.MessageReference{MessageID: d.Thread, ChannelID: d.Channel, FailIfNotExists: &no}
		m.Content = updateContent(p)
	case bot.KindRollup:
		m.Embeds = []*discordgo.MessageEmbed{rollupEmbed(p)}
	case bot.KindDigest, bot.KindReply:
		m.Content, m.Embeds = replyMessage(p.Title, joinText(p.Summary, p.Text), p.Sections, p.Stories, p.Time)
	default: // bot.KindPost and anything unknown
		m.Embeds = []*discordgo.MessageEmbed{postEmbed(p)}
	}
	return m
}

func joinText(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "\n\n")
}

// updateContent is the threaded reply for a later report of a story:
// "Also reported by Outlet: title" and its link, within limitContent.
func updateContent(p bot.Post) string {
	src := p.Update
	if src == nil && len(p.Sources) > 0 {
		src = &p.Sources[len(p.Sources)-1]
	}
	if src == nil {
		return clip("Also reported: "+escape(oneLine(p.Title)), limitContent)
	}
	name := oneLine(src.Name)
	if name == "" {
		name = hostOf(src.URL)
	}
	line := "Also reported by **" + clip(escape(name), 200) + "**"
	if t := oneLine(src.Title); t != "" {
		line += ": " + clip(escape(t), 500)
	}
	if u := safeURL(src.URL); u != "" {
		line += "\n<" + u + ">"
	}
	return clip(line, limitContent)
}

// replyMessage renders a reply or digest: plain content when it is short
// text only, else embeds with the sections.
func replyMessage(title, text string, sections []bot.Section, stories []bot.StoryLine, when time.Time) (string, []*discordgo.MessageEmbed) {
	if title == "" && len(sections) == 0 && len(stories) == 0 && textLen(text) <= limitContent {
		if strings.TrimSpace(text) == "" {
			text = "Done."
		}
		return clip(tame(text), limitContent), nil
	}
	if es := sectionEmbeds(title, text, sections, stories, when, "sitrep"); len(es) > 0 {
		return "", es
	}
	return "Nothing to show.", nil
}

// Send implements bot.Platform: it posts d to d.Channel and returns the new
// message's id. A KindUpdate with d.Thread replies to the root message and,
// with d.EditRoot, then edits the root's embed to list every source.
// Errors are *bot.SendError: permanent for missing access, permissions,
// unknown channel or a bad token; rate limits carry Discord's delay.
func (a *Adapter) Send(ctx context.Context, d bot.Delivery) (string, error) {
	if d.Channel == "" || !isSnowflake(d.Channel) {
		return "", bot.PermanentError("channel_not_found", fmt.Errorf("discord: send: bad channel id %q", d.Channel))
	}
	if d.Thread != "" && !isSnowflake(d.Thread) {
		return "", bot.PermanentError("message_not_found", fmt.Errorf("discord: send: bad thread id %q", d.Thread))
	}
	payload := render(d)
	var msg struct {
		ID string `json:"id"`
	}
	if d.Attempt > 1 && payload.Nonce != "" {
		// An earlier attempt may have landed longer ago than Discord
		// remembers nonces: look before posting again.
		if id, ok := a.findSent(ctx, d, payload); ok {
			a.log.Info("discord message already sent", "channel_id", d.Channel, "delivery_id", d.ID, "message_id", id)
			msg.ID = id
		}
	}
	if msg.ID == "" {
		rt := route{name: "POST /channels/{channel}/messages", major: d.Channel}
		body, err := a.do(ctx, "POST", endpoint("channels/"+d.Channel+"/messages"), rt, payload)
		if err != nil {
			a.log.Warn("discord send failed", "channel_id", d.Channel, "delivery_id", d.ID, "kind", d.Post.Kind, "error", err)
			return "", err
		}
		if err := json.Unmarshal(body, &msg); err != nil || msg.ID == "" {
			// The message exists but we cannot name it; a retry returns it via the nonce.
			return "", &bot.SendError{Reason: "bad_response", Err: fmt.Errorf("discord: send: decode message: %v", err)}
		}
		a.log.Info("discord message sent", "channel_id", d.Channel, "delivery_id", d.ID, "kind", d.Post.Kind, "message_id", msg.ID)
	}
	if d.Post.Kind == bot.KindUpdate && d.EditRoot && d.Thread != "" {
		if err := a.editRoot(ctx, d); err != nil {
			if bot.IsPermanent(err) {
				// The root is gone or not ours to edit; the reply stands.
				a.log.Warn("discord root edit skipped", "channel_id", d.Channel, "message_id", d.Thread, "error", err)
				return msg.ID, nil
			}
			// Retrying is safe: the nonce returns the same reply, the edit is idempotent.
			return "", err
		}
	}
	return msg.ID, nil
}

// editRoot rewrites the story's root embed so it lists all d.Post.Sources.
func (a *Adapter) editRoot(ctx context.Context, d bot.Delivery) error {
	root := d.Post
	root.Kind = bot.KindPost
	root.Update = nil
	rt := route{name: "PATCH /channels/{channel}/messages/{id}", major: d.Channel}
	_, err := a.do(ctx, "PATCH", endpoint("channels/"+d.Channel+"/messages/"+d.Thread), rt, editPayload{Embeds: []*discordgo.MessageEmbed{postEmbed(root)}})
	if err != nil {
		return fmt.Errorf("discord: edit root: %w", err)
	}
	return nil
}

// isSnowflake reports whether s looks like a Discord id (decimal digits),
// so it is safe to put in a URL path.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
