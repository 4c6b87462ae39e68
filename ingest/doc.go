// Package ingest is the feed side of sitrep: the Scheduler runs each
// feed's poll on its cron schedule, and the Pipeline turns a poll's new
// items into stored, tagged items grouped into stories, with an outbox
// delivery for each real-time subscription that wants them:
//
//	Scheduler.pollFeed → Pipeline.Poll → prepare (fetch → unseen →
//	  fetchArticles → processItem) → assignStories → finish (mergeStories
//	  → insertBatcher → store.InsertItems (items, stories, outbox))
//
// PollAll prepares every feed, then assigns the stories of all their new
// items in one clusterer batch, then finishes each feed, so the stories do
// not depend on the order the feeds are listed in or answer in.
//
// The chat side (bot) sends what the outbox holds. ingest imports no chat
// code.
package ingest
