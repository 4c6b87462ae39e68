package main

import (
	"context"

	"github.com/sitrep-bot/sitrep/bot"
)

func newRouter(a *app) *bot.Router { return nil }

func (s *scheduler) fireDigest(ctx context.Context, platform, channel string) {}
