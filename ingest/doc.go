// Package ingest is the feed side of sitrep: the Scheduler runs each
// feed's poll on its cron schedule, and the Pipeline turns a poll's new
// items into stored, tagged items grouped into stories, with an outbox
// delivery for each real-time subscription that wants them:
//
//	Scheduler.pollFeed → Pipeline.Poll → fetch → ingest
//	  (unseen → fetchArticles → process → assignStories → mergeStories)
//	  → insertBatcher → store.InsertItems (items, stories, outbox)
//
// The chat side (bot) sends what the outbox holds. ingest imports no chat
// code.
package ingest
