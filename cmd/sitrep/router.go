package main

import (
	"time"

	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/topics"
)

// newRouter builds the slash-command router on the app's store.
func newRouter(a *app) *bot.Router {
	var user []topics.UserTopic
	for _, t := range a.cfg.Topics {
		user = append(user, topics.UserTopic{Name: t.Name, Query: t.Query})
	}
	return bot.NewRouter(a.store, bot.RouterOptions{
		Tagger: a.tagger, UserTopics: user, Fetcher: a.fetcher, Now: time.Now, Log: a.log,
		DefaultSchedule: a.cfg.Defaults.Schedule,
		FeedAdmins:      map[string][]string{"slack": a.cfg.Slack.FeedAdmins, "discord": a.cfg.Discord.FeedAdmins},
	})
}
