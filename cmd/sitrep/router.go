package main

import (
	"context"
	"log/slog"
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

// fireDigest enqueues a scheduled brief for one channel.
func (s *scheduler) fireDigest(ctx context.Context, platform, channel string) {
	subs, err := s.a.store.Subscriptions(ctx, platform)
	if err != nil {
		s.log.Error("digest: subscriptions", slog.Any("error", err))
		return
	}
	for _, sub := range subs {
		if sub.Channel != channel || sub.Digest == "" {
			continue
		}
		d := bot.NewDigester(s.a.store, s.log, time.Now)
		if err := d.Fire(ctx, sub); err != nil {
			s.log.Error("digest", slog.String("channel_id", channel), slog.Any("error", err))
			return
		}
		s.deliverer.Wake()
	}
}
