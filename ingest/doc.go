// Package ingest is the feed side of sitrep: the Scheduler runs each
// feed's poll on its cron schedule, and the Pipeline turns a poll's new
// items into stored, tagged items grouped into stories, with an outbox
// delivery for each real-time subscription that wants them:
//
//	Scheduler.pollFeed → Pipeline.Poll
//	  prepare: fetch → process (unseen → fetchArticles → processItem)
//	  assignStories → finish: commit (mergeStories → insertBatcher.insert)
//	  → store.InsertItems (items, stories, outbox)
//
// The chat side (package bot) sends what the outbox holds; ingest imports
// no chat code. ARCHITECTURE.md at the repository root walks the whole path.
package ingest
