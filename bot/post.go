// Package bot is sitrep's chat side, independent of any chat platform: the
// Deliverer that sends outbox deliveries through a Platform, the Router
// that answers slash commands, scheduled digests, and the platform-neutral
// posts the adapters (bot/slack, bot/discord, bot/console) render. The
// feed side, which fills the outbox, is package ingest.
package bot

import (
	"time"

	"github.com/sitrep-bot/sitrep/topics"
)

// Post kinds, mirroring the outbox's delivery kinds.
const (
	KindPost   = "post"   // a story's root message
	KindUpdate = "update" // a later report of the story, threaded under the root
	KindRollup = "rollup" // several stories folded into one message
	KindDigest = "digest" // a scheduled brief
	KindReply  = "reply"  // an answer to a slash command
)

// Source is one outlet's report of a story.
type Source struct {
	Name      string // outlet or feed name
	Title     string
	URL       string
	Published time.Time
}

// StoryLine is a story listed inside a roll-up, digest or reply.
type StoryLine struct {
	StoryID string
	Title   string
	URL     string
	Sources int
	Regions []string
	Topics  []string
	Summary string // may be empty
	Time    time.Time
}

// Section is a headed group of lines in a brief or a reply.
type Section struct {
	Heading string
	Text    string      // paragraph(s) of plain text
	Stories []StoryLine // optional
}

// Post is a platform-neutral message. Adapters render it (Block Kit, embeds,
// terminal text) within their platform's limits.
type Post struct {
	Kind     string
	StoryID  string
	Title    string // headline (post/update) or heading (rollup/digest/reply)
	URL      string // link to the original report
	Summary  string
	Sources  []Source // every known report of the story, first report first
	Regions  []string
	Topics   []string
	Severity topics.Severity // low | medium | high | ""
	Time     time.Time
	// Update is the new report, for KindUpdate (it is also in Sources).
	Update *Source
	// Stories lists the stories of a roll-up.
	Stories []StoryLine
	// Sections hold the body of a digest or reply.
	Sections []Section
	// Text is a plain-text body for replies and digests.
	Text string
}

// Delivery is one message to send: a Post to a channel, perhaps in a thread.
type Delivery struct {
	ID       int64  // outbox id: stable across retries, use it for idempotency
	Platform string // slack | discord | console
	Channel  string
	// Thread is the root message's ref to reply under; "" posts a new root.
	Thread string
	// EditRoot asks the adapter to edit the root message (Thread) so it
	// shows Post's full source list, after posting the threaded update.
	EditRoot bool
	// Attempt counts tries, starting at 1. Above 1 an earlier attempt's
	// outcome may be unknown: check before posting again where the platform allows.
	Attempt int
	Post    Post
}
