package slack

import (
	"context"
	"log/slog"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/sitrep-bot/sitrep/bot"
)

// moreActionID is the "More like this" button under a story post. Its
// value is the command it runs for whoever clicks: "latest <target>".
const moreActionID = "sitrep_more"

// moreTarget picks the story's first region, else its first topic, as the
// target of "More like this"; "" when it has neither.
func moreTarget(p bot.Post) string {
	for _, list := range [][]string{p.Regions, p.Topics} {
		for _, s := range list {
			if s = strings.TrimSpace(s); s != "" && !strings.ContainsAny(s, " \t\n") && len(s) <= 100 {
				return s
			}
		}
	}
	return ""
}

// moreButton is the actions block with the "More like this" button.
func moreButton(target string) slackapi.Block {
	btn := slackapi.NewButtonBlockElement(moreActionID, "latest "+target, plain("More like this"))
	return slackapi.NewActionBlock("sitrep_actions", btn)
}

// handleCallback acts on an interaction payload: a "More like this" click
// runs `latest <target>` for the clicking user and answers only them,
// through the payload's response_url. Everything else is just acknowledged.
func (a *Adapter) handleCallback(ctx context.Context, cb slackapi.InteractionCallback) {
	if cb.Type != slackapi.InteractionTypeBlockActions {
		return
	}
	for _, act := range cb.ActionCallback.BlockActions {
		if act == nil || act.ActionID != moreActionID {
			continue
		}
		words := strings.Fields(act.Value)
		if len(words) != 2 || words[0] != "latest" {
			continue
		}
		h := a.getHandler()
		if h == nil {
			return
		}
		cmd := bot.Command{
			Platform: "slack", Team: cb.Team.ID, Channel: cb.Channel.ID, User: cb.User.ID, UserName: cb.User.Name,
			Name: "latest", Args: words[1:], Text: act.Value, IsAdmin: a.isAdmin(cb.Team.ID, cb.User.ID),
			Served: a.served(cb.Team.ID, cb.Enterprise.ID),
		}
		log := a.log.With(slog.String("channel_id", cb.Channel.ID), slog.String("command", "latest"))
		responseURL := cb.ResponseURL
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.deadline)
			defer cancel()
			r := a.safeHandle(hctx, h, cmd, log)
			r.Ephemeral = true // a click answers the clicker only
			a.respondLater(hctx, responseURL, payloadFor(r), log)
		}()
		return // one command per click
	}
}
