// Package store defines sitrep's persistence: the records it keeps and the one
// Store interface that every backend (store/sqlite, store/postgres) implements.
// Behaviour is specified once, by the conformance suite in store/storetest.
package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/sitrep-bot/sitrep/topics"
)

// Sentinel errors returned by every backend; test them with errors.Is.
var (
	// ErrNotFound means the record asked for does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict means a unique constraint would be violated.
	ErrConflict = errors.New("store: conflict")
	// ErrLeaseLost means the caller no longer holds the lease it acted under.
	ErrLeaseLost = errors.New("store: lease lost")
)

// Feed is a configured or user-added feed with its fetch state and health.
type Feed struct {
	ID           int64
	URL          string
	Name         string
	Schedule     string // cron spec; "" means the configured default
	Article      string // auto | always | never
	AddedBy      string // "config" or "platform:channel" of the chat user's channel
	ETag         string
	LastModified string
	FirstFetched time.Time // zero until the first successful fetch (backfill window)
	LastSuccess  time.Time
	LastError    string
	LastErrorAt  time.Time
	Failures     int       // consecutive failures
	NextPoll     time.Time // earliest next poll (backoff, Retry-After, TTL)
}

// FromChat reports whether the feed was added from a chat channel
// (AddedBy "platform:channel") rather than by the operator (configuration,
// OPML import). Chat-added feeds never reach private addresses and never
// take their self-declared title as their name.
func (f Feed) FromChat() bool { return strings.Contains(f.AddedBy, ":") }

// Item is one stored news item.
type Item struct {
	ID        int64
	FeedID    int64
	FeedName  string
	Key       string // stable dedupe key, unique per feed
	GUID      string
	URL       string
	Title     string
	Text      string // cleaned text
	Summary   string
	Published time.Time
	Fetched   time.Time
	Regions   []string
	Topics    []string
	Security  bool            // security news (topics.Tags.Security)
	Severity  topics.Severity // low, medium or high on security news, else SeverityNone
	StoryID   string
	// Deliveries to enqueue in the same transaction when (and only when) this
	// item turns out to be new. Not read back.
	Deliveries []Delivery
}

// Story groups the items that report one event.
type Story struct {
	ID        string
	Title     string
	Summary   string
	Regions   []string
	Topics    []string
	Severity  topics.Severity
	Security  bool // any of its reports is security news
	FirstSeen time.Time
	LastSeen  time.Time
	Items     int       // number of items, filled on reads
	Arrived   time.Time // when sitrep first fetched one of its items, filled on reads
	// MergedFrom and Moved carry, on a version given to InsertItems, a
	// change of the stored partition that the story clusterer found (see
	// Regroup); they are never read back. MergedFrom names stored stories
	// that report this story's event: each is merged into this one. Moved
	// names stored items that now belong to this story.
	MergedFrom []string
	Moved      []ItemRef
}

// ItemRef names a stored item by its feed and key.
type ItemRef struct {
	FeedID int64
	Key    string
}

// Subscription routes stories of some regions/topics to one chat channel.
type Subscription struct {
	ID       int64
	Platform string // slack | discord | console
	Channel  string
	Targets  []string // region slugs, built-in topics or user-topic names; empty means everything
	Digest   string   // cron spec; non-empty: scheduled briefs instead of real-time posts
	// SecurityOnly limits the subscription to security news (items and stories flagged Security).
	SecurityOnly bool
	Created      time.Time
}

// Wants reports whether an item or story with these regions, topics and security flag falls
// under the subscription: its targets match (Matches) and, for a security-only subscription,
// it is security news.
func (s Subscription) Wants(regions, topics []string, security bool) bool {
	if s.SecurityOnly && !security {
		return false
	}
	return Matches(s.Targets, regions, topics)
}

// Matches reports whether an item or story with these regions and topics
// (built-in and user topics) falls under a subscription's targets: any one
// target suffices, and no targets means everything.
func Matches(targets, regions, topics []string) bool {
	if len(targets) == 0 {
		return true
	}
	for _, t := range targets {
		if slices.Contains(regions, t) || slices.Contains(topics, t) {
			return true
		}
	}
	return false
}

// Delivery kinds.
const (
	KindPost   = "post"   // a story's root message in a channel
	KindUpdate = "update" // a later report, threaded under the root
	KindRollup = "rollup" // several stories folded into one post
	KindDigest = "digest" // a scheduled brief
	KindReply  = "reply"  // a deferred answer to a slash command
)

// Delivery statuses.
const (
	StatusPending = "pending"
	StatusSent    = "sent"
	StatusFailed  = "failed"  // permanent failure, not retried
	StatusDropped = "dropped" // cancelled (unsubscribed, folded into a roll-up)
)

// Delivery is one outbox entry: a message to send to one channel.
type Delivery struct {
	ID         int64
	Platform   string
	Channel    string
	Kind       string
	StoryID    string // post/update: the story; digest: its fire-time key (one digest per channel and key); "" for rollup/reply
	ItemID     int64  // update: the item being reported; filled by InsertItems
	Payload    []byte // kind-specific JSON (e.g. rollup story ids, digest text); may be nil
	Status     string
	Attempts   int
	NextTry    time.Time
	LeaseOwner string
	LeaseUntil time.Time
	MessageRef string // platform message id once sent
	LastError  string
	Created    time.Time
	SentAt     time.Time
}

// ItemFilter selects items for searches and listings.
type ItemFilter struct {
	Query   string // full-text words; "" for none
	Since   time.Time
	StoryID string
	FeedID  int64
	Limit   int // 0 means 50
}

// StoryFilter selects stories, newest LastSeen first.
type StoryFilter struct {
	Since time.Time // LastSeen at or after Since
	// Arrived, when set, keeps only stories that reached sitrep at or
	// after it: whose first item was fetched then, however old its
	// publication date (scheduled digests).
	Arrived time.Time
	Limit   int // 0 means 50
}

// FeedStore keeps feeds and their fetch state.
type FeedStore interface {
	// UpsertFeed inserts f by URL, or updates Name/Schedule/Article of an
	// existing feed (reviving a deleted one, with f.AddedBy), and returns
	// the stored feed.
	UpsertFeed(ctx context.Context, f Feed) (Feed, error)
	// DeleteFeed removes the feed with this URL from Feed, Feeds and
	// polling. Its items stay (searchable, and never new again): adding
	// the URL back resumes the same feed. Returns ErrNotFound.
	DeleteFeed(ctx context.Context, url string) error
	// Feed returns one feed by URL. Returns ErrNotFound.
	Feed(ctx context.Context, url string) (Feed, error)
	// Feeds lists every feed, by ID.
	Feeds(ctx context.Context) ([]Feed, error)
	// SaveFeedState stores ETag, LastModified, FirstFetched, LastSuccess,
	// LastError(At), Failures and NextPoll of f (by ID).
	SaveFeedState(ctx context.Context, f Feed) error
	// ClaimFeedPoll takes the right to poll feed id until leaseUntil, for
	// owner, if nobody else holds it and NextPoll has come. It reports
	// whether the claim succeeded. Replicas use it so one polls each tick.
	ClaimFeedPoll(ctx context.Context, id int64, owner string, now, leaseUntil time.Time) (bool, error)
}

// ItemStore keeps items.
type ItemStore interface {
	// KnownKeys returns the subset of keys already stored for the feed
	// (including items since pruned: a key is never new twice).
	KnownKeys(ctx context.Context, feedID int64, keys []string) (map[string]bool, error)
	// InsertItems stores the items whose Key is new for their feed, merges
	// the given stories into the stored ones, and enqueues each new item's
	// Deliveries, all in one transaction. The merge does not depend on the
	// order versions arrive in: regions and topics are unioned, severity is
	// the highest (low < medium < high), security is set when any version has it, FirstSeen/LastSeen widen, and title
	// and summary come from the version with the earlier FirstSeen. It returns only the items that were new, with IDs set,
	// in the order given; of a key that items repeat, the first occurrence is the one stored.
	// A KindPost delivery for a (platform, channel, story) that already has
	// a post is stored as a KindUpdate of that item instead, so a channel
	// gets one root per story and later reports thread under it.
	//
	// Stories carrying MergedFrom or Moved change the stored partition
	// first, in the same transaction, by the rules of Regroup: merged
	// stories continue as the story they were merged into, moved items
	// change story, and the stories whose items changed are recomputed
	// from their items (StoryOfItems). A story ID that was merged away
	// stands for the story it was merged into, in items, story versions
	// and deliveries given here as in Story and Items.
	InsertItems(ctx context.Context, items []Item, stories []Story) ([]Item, error)
	// Items lists items matching f, newest first; with a Query, best match
	// first. A StoryID that was merged away lists the items of the story
	// it was merged into.
	Items(ctx context.Context, f ItemFilter) ([]Item, error)
	// RecentItems returns items published or fetched since t, oldest first,
	// to reload the story clusterer.
	RecentItems(ctx context.Context, since time.Time) ([]Item, error)
}

// ItemStager is implemented by a store that can begin an InsertItems before
// the items' stories are known, so a caller can have the items written
// while it assigns their stories (ingest's PollAll does, on another core).
// A store that cannot (one connection only) returns an error wrapping
// errors.ErrUnsupported, and the caller uses InsertItems.
type ItemStager interface {
	// StageItems begins an insert of items: their Deliveries are not read
	// yet, and their StoryID is a guess ("" for none) that SetStories and
	// Commit correct where it is wrong (a good guess saves the store
	// writing the story twice). Nothing is visible or stored before Commit. The
	// store's writes wait for the staged insert to end, so the caller
	// ends it promptly with Commit or Abort and makes no write of its own
	// meanwhile.
	StageItems(ctx context.Context, items []Item) (StagedInsert, error)
}

// StagedInsert is an insert begun by ItemStager.StageItems.
type StagedInsert interface {
	// Commit ends the insert as InsertItems(ctx, items, stories) would have
	// stored it. items are the staged items, in the order staged, now with
	// their StoryID and Deliveries set (their other fields are those
	// staged); any other list is an error and nothing is stored. Whether
	// or not it succeeds, the staged insert has ended.
	Commit(ctx context.Context, items []Item, stories []Story) ([]Item, error)
	// SetStories may be called once before Commit, as soon as the stories
	// are known, with the story of each staged item (in the order staged):
	// the store writes them while the caller prepares the story versions,
	// and Commit then rewrites only those that changed.
	SetStories(ctx context.Context, storyIDs []string) error
	// Abort ends the insert, storing nothing; after Commit it does nothing.
	Abort()
}

// StoryStore keeps stories.
type StoryStore interface {
	// Story returns one story with its item count; for an id that was
	// merged into another story (see Regroup), the story it was merged
	// into, under that story's ID. Returns ErrNotFound.
	Story(ctx context.Context, id string) (Story, error)
	// Stories lists stories, newest LastSeen first; stories merged into
	// others are not listed.
	Stories(ctx context.Context, f StoryFilter) ([]Story, error)
}

// SubscriptionStore keeps subscriptions.
type SubscriptionStore interface {
	// Subscribe creates or replaces the subscription of (platform, channel).
	Subscribe(ctx context.Context, s Subscription) (Subscription, error)
	// Unsubscribe removes the subscription of the channel and drops its
	// pending deliveries. Returns ErrNotFound.
	Unsubscribe(ctx context.Context, platform, channel string) error
	// Subscriptions lists all subscriptions, or one platform's when platform != "".
	Subscriptions(ctx context.Context, platform string) ([]Subscription, error)
}

// OutboxStore keeps deliveries.
type OutboxStore interface {
	// Enqueue adds deliveries outside an item transaction (digests, replies, roll-ups).
	Enqueue(ctx context.Context, ds []Delivery) error
	// ClaimDeliveries leases up to max due pending deliveries (NextTry <= now,
	// no live lease) to owner until now+lease, oldest first.
	ClaimDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration, max int) ([]Delivery, error)
	// MarkSent records the platform's message ref and, in the same
	// transaction, makes that message the thread root of each story in roots
	// for the delivery's channel (a post roots its story, a roll-up all of
	// its stories). The channel's other pending KindPost deliveries of those
	// stories become threaded updates of their items, or are dropped when
	// they report no item: the story has its root now.
	// Returns ErrLeaseLost when owner no longer holds the lease.
	MarkSent(ctx context.Context, id int64, owner, ref string, at time.Time, roots []string) error
	// MarkRetry releases the lease and schedules another attempt.
	MarkRetry(ctx context.Context, id int64, owner string, next time.Time, reason string) error
	// MarkFailed records a permanent failure.
	MarkFailed(ctx context.Context, id int64, owner, reason string) error
	// MarkDropped cancels pending deliveries (e.g. folded into a roll-up).
	MarkDropped(ctx context.Context, ids []int64, reason string) error
	// DropUpdates cancels the channel's pending KindUpdate deliveries of
	// these items: a root post that already lists them makes them moot.
	DropUpdates(ctx context.Context, platform, channel string, itemIDs []int64, reason string) error
	// RootRef returns the message ref recorded by MarkSent as the root of a
	// story in a channel, or "" when there is none yet.
	RootRef(ctx context.Context, platform, channel, storyID string) (string, error)
	// Deliveries lists deliveries with the given status ("" for all), newest first.
	Deliveries(ctx context.Context, status string, limit int) ([]Delivery, error)
	// LastDigest returns the channel's newest KindDigest delivery that is
	// pending or sent (by Created, then ID); a failed or dropped digest
	// never reached the channel. Returns ErrNotFound when there is none.
	LastDigest(ctx context.Context, platform, channel string) (Delivery, error)
}

// Counts are the sizes /metrics and `sitrep status` report.
type Counts struct {
	Feeds        int // feeds followed (not deleted)
	FeedsFailing int // of those, feeds whose last fetch failed
	Pending      int // deliveries waiting in the outbox
	Failed       int // deliveries that failed for good
}

// Store is everything sitrep persists. Implementations are safe for
// concurrent use by several goroutines and several processes.
type Store interface {
	FeedStore
	ItemStore
	StoryStore
	SubscriptionStore
	OutboxStore
	// Counts returns how many feeds and deliveries there are, by counting
	// in the database (for /metrics and status: never loads rows).
	Counts(ctx context.Context) (Counts, error)
	// Ping checks the database is reachable.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}
