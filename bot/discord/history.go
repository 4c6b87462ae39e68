package discord

import (
	"context"
	"encoding/json"

	"github.com/bwmarrin/discordgo"
	"github.com/sitrep-bot/sitrep/bot"
	clippkg "github.com/sitrep-bot/sitrep/internal/clip"
)

// historyLimit is how many recent channel messages a retry looks through.
const historyLimit = 50

// historyMessage is the part of a message object findSent compares.
type historyMessage struct {
	ID               string                      `json:"id"`
	Content          string                      `json:"content"`
	Embeds           []*discordgo.MessageEmbed   `json:"embeds"`
	MessageReference *discordgo.MessageReference `json:"message_reference"`
}

// findSent looks for a message that an earlier attempt of d may already
// have posted, for the case Discord's nonce memory ("the past few minutes")
// no longer covers: a message among the channel's 50 most recent that
// renders the same (same embed title, footer and opening text, or the same
// reply content under the same root). It is best effort: any error means
// "not found" and the send goes ahead with its nonce.
func (a *Adapter) findSent(ctx context.Context, d bot.Delivery, want messagePayload) (string, bool) {
	rt := route{name: "GET /channels/{channel}/messages", major: d.Channel}
	body, err := a.do(ctx, "GET", endpoint("channels/"+d.Channel+"/messages?limit=50"), rt, nil)
	if err != nil {
		a.log.Info("discord history check skipped", "channel_id", d.Channel, "delivery_id", d.ID, "error", err)
		return "", false
	}
	var msgs []historyMessage
	if err := json.Unmarshal(body, &msgs); err != nil {
		return "", false
	}
	for i, m := range msgs {
		if i == historyLimit {
			break
		}
		// The author is not compared: people cannot post rich embeds, and
		// an identical reply under the same root is a duplicate either way.
		if m.ID != "" && sameMessage(m, want) {
			return m.ID, true
		}
	}
	return "", false
}

// sameMessage reports whether m is what want would have created.
func sameMessage(m historyMessage, want messagePayload) bool {
	if want.MessageReference != nil {
		ref := m.MessageReference
		return ref != nil && ref.MessageID == want.MessageReference.MessageID && oneLine(m.Content) == oneLine(want.Content)
	}
	if len(want.Embeds) == 0 {
		return want.Content != "" && len(m.Embeds) == 0 && oneLine(m.Content) == oneLine(want.Content)
	}
	if len(m.Embeds) == 0 {
		return false
	}
	got, exp := m.Embeds[0], want.Embeds[0]
	return oneLine(got.Title) == oneLine(exp.Title) &&
		footerText(got) == footerText(exp) &&
		clippkg.Prefix(oneLine(got.Description), 200) == clippkg.Prefix(oneLine(exp.Description), 200)
}

func footerText(e *discordgo.MessageEmbed) string {
	if e.Footer == nil {
		return ""
	}
	return oneLine(e.Footer.Text)
}
