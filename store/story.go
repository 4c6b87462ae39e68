package store

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/sitrep-bot/sitrep/topics"
)

// MergeStory folds version v of a story into s, the one story-merge rule:
//   - the version seen first gives the title and summary (an unset
//     FirstSeen counts as later than any; a tie keeps s's);
//   - regions and topics become their union, sorted in byte order;
//   - the severity becomes the higher of the two (topics.MaxSeverity);
//   - the story is security news when either is;
//   - FirstSeen and LastSeen widen to cover both (unset times are ignored).
//
// The result does not depend on the order versions are merged in, except
// for title ties. Items is left alone. The pipeline merges each new report
// with it; store/sqlite calls it inside InsertItems, and the SQL upserts of
// store/sqlite and store/postgres mirror it (storetest checks they agree).
// It reports whether s changed.
func MergeStory(s *Story, v Story) bool {
	old := *s
	if s.FirstSeen.IsZero() || (!v.FirstSeen.IsZero() && v.FirstSeen.Before(s.FirstSeen)) {
		s.Title, s.Summary = v.Title, v.Summary
	}
	s.Regions = sortedUnion(old.Regions, v.Regions)
	s.Topics = sortedUnion(old.Topics, v.Topics)
	s.Severity = topics.MaxSeverity(old.Severity, v.Severity)
	s.Security = old.Security || v.Security
	if s.FirstSeen.IsZero() || (!v.FirstSeen.IsZero() && v.FirstSeen.Before(s.FirstSeen)) {
		s.FirstSeen = v.FirstSeen
	}
	if v.LastSeen.After(s.LastSeen) {
		s.LastSeen = v.LastSeen
	}
	return s.Title != old.Title || s.Summary != old.Summary || s.Severity != old.Severity || s.Security != old.Security ||
		!s.FirstSeen.Equal(old.FirstSeen) || !s.LastSeen.Equal(old.LastSeen) ||
		!slices.Equal(s.Regions, old.Regions) || !slices.Equal(s.Topics, old.Topics)
}

// sortedUnion returns the distinct values of a and b in byte order (SQL
// UNION ... ORDER BY with a binary collation).
func sortedUnion(a, b []string) []string {
	out := make([]string, 0, len(a)+len(b))
	out = append(append(out, a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// SeverityRankSQL is an SQL expression (for both SQLite and PostgreSQL)
// ranking the severity held in col as topics.Severity.Rank does.
func SeverityRankSQL(col string) string {
	var b strings.Builder
	b.WriteString("(CASE " + col)
	for rank, l := range topics.Severities {
		if l != topics.SeverityNone {
			b.WriteString(" WHEN '" + string(l) + "' THEN " + strconv.Itoa(rank))
		}
	}
	b.WriteString(" ELSE 0 END)")
	return b.String()
}

// SeverityOfRankSQL is an SQL expression turning the rank computed by
// expr back into its severity, the inverse of SeverityRankSQL: a merge
// writes SeverityOfRankSQL(MAX(SeverityRankSQL(a), SeverityRankSQL(b))).
func SeverityOfRankSQL(expr string) string {
	var b strings.Builder
	b.WriteString("(CASE " + expr)
	for rank, l := range topics.Severities {
		if l != topics.SeverityNone {
			b.WriteString(" WHEN " + strconv.Itoa(rank) + " THEN '" + string(l) + "'")
		}
	}
	b.WriteString(" ELSE '' END)")
	return b.String()
}

// SortReports puts a story's reports in the one order they are shown in
// (posts, /sitrep story): first report first, by publication time, then
// in the order they were stored (ID).
func SortReports(items []Item) {
	slices.SortFunc(items, func(a, b Item) int {
		if c := a.Published.Compare(b.Published); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// Merge records that story From reports the same event as story Into and
// continues as it.
type Merge struct{ From, Into string }

// Move records that a stored item now belongs to story Story.
type Move struct {
	Item  ItemRef
	Story string
}

// Regroup is a change of the stored partition of items into stories,
// decided by the story clusterer when later reports show that stored
// reports belong together (or apart). InsertItems applies it in its
// transaction, the merges before it stores its items and the moves after
// (a move may name an item stored by the same call), by these rules:
//
//   - a merge points every item of From at Into and records From as merged
//     into Into (stories merged into From before follow it): From's ID
//     stands for Into from then on, in Story, Items and InsertItems. In each
//     channel where From has a thread root and Into has none, From's root
//     becomes Into's too, so later reports of the merged story thread under
//     the message the channel already has. From's pending posts become
//     Into's, or threaded updates of their item where the channel already
//     has Into's root or post (dropped when they report no item); its
//     pending updates become Into's. Deliveries already sent stay as they
//     are: nothing is posted again.
//   - a move points one stored item at another story (a story split off).
//     Its deliveries stay as they are.
//   - every story whose items changed is recomputed from its items by
//     StoryOfItems.
//
// Merges and moves name their stories as the caller knew them: a story
// merged away meanwhile stands for the story it was merged into. A merge
// of a story into itself (after that resolution) does nothing.
type Regroup struct {
	Merges []Merge
	Moves  []Move
}

// Empty reports whether the regroup changes nothing.
func (g Regroup) Empty() bool { return len(g.Merges) == 0 && len(g.Moves) == 0 }

// RegroupOf splits story versions given to InsertItems into the versions
// of their content and the regroup they carry. A version carrying
// MergedFrom or Moved with no FirstSeen and no Title carries only the
// regroup and is not a version of the story's content.
func RegroupOf(stories []Story) ([]Story, Regroup) {
	var g Regroup
	found := false
	for _, s := range stories {
		if len(s.MergedFrom) > 0 || len(s.Moved) > 0 {
			found = true
			break
		}
	}
	if !found {
		return stories, g
	}
	content := make([]Story, 0, len(stories))
	for _, s := range stories {
		for _, from := range s.MergedFrom {
			g.Merges = append(g.Merges, Merge{From: from, Into: s.ID})
		}
		for _, it := range s.Moved {
			g.Moves = append(g.Moves, Move{Item: it, Story: s.ID})
		}
		if (len(s.MergedFrom) > 0 || len(s.Moved) > 0) && s.FirstSeen.IsZero() && s.Title == "" {
			continue
		}
		s.MergedFrom, s.Moved = nil, nil
		content = append(content, s)
	}
	return content, g
}

// StoryOfItems returns story id as the merge (MergeStory) of its reports
// taken in SortReports order, the way a regrouped story is recomputed:
// the first report gives the title and summary. Items is set.
func StoryOfItems(id string, items []Item) Story {
	items = slices.Clone(items)
	SortReports(items)
	s := Story{ID: id}
	for _, it := range items {
		MergeStory(&s, Story{Title: it.Title, Summary: it.Summary, Regions: it.Regions, Topics: it.Topics,
			Severity: it.Severity, Security: it.Security, FirstSeen: it.Published, LastSeen: it.Published})
	}
	s.Items = len(items)
	return s
}

// ResolveStories points items, their post and update deliveries, and
// story versions at the stories their ids stand for (alias maps a story
// merged away to the story it was merged into). The slices are copied
// when an id changes; the callers' are left alone.
func ResolveStories(items []Item, stories []Story, alias map[string]string) ([]Item, []Story) {
	to := func(id string) (string, bool) {
		into, ok := alias[id]
		if !ok || into == "" {
			return id, false
		}
		return into, true
	}
	copied := false
	for i := range stories {
		if into, ok := to(stories[i].ID); ok {
			if !copied {
				stories, copied = slices.Clone(stories), true
			}
			stories[i].ID = into
		}
	}
	copied = false
	for i := range items {
		into, ok := to(items[i].StoryID)
		var dels []Delivery
		for j, d := range items[i].Deliveries {
			if d.Kind != KindPost && d.Kind != KindUpdate {
				continue
			}
			if id, ok := to(d.StoryID); ok {
				if dels == nil {
					dels = slices.Clone(items[i].Deliveries)
				}
				dels[j].StoryID = id
			}
		}
		if !ok && dels == nil {
			continue
		}
		if !copied {
			items, copied = slices.Clone(items), true
		}
		if ok {
			items[i].StoryID = into
		}
		if dels != nil {
			items[i].Deliveries = dels
		}
	}
	return items, stories
}

// ApplyMerges carries out merges inside a backend's transaction: each id is
// resolved to the story it stands for now (resolve: through earlier
// merges), merges of a story into itself or of an empty id are skipped, and
// merge does the backend's part. It returns the surviving stories, to be
// recomputed once the items are stored.
func ApplyMerges(ctx context.Context, merges []Merge, resolve func(context.Context, string) (string, error), merge func(ctx context.Context, from, into string) error) ([]string, error) {
	var touched []string
	for _, m := range merges {
		from, err := resolve(ctx, m.From)
		if err != nil {
			return nil, err
		}
		into, err := resolve(ctx, m.Into)
		if err != nil {
			return nil, err
		}
		if from == into || from == "" || into == "" {
			continue
		}
		if err := merge(ctx, from, into); err != nil {
			return nil, err
		}
		touched = slices.DeleteFunc(touched, func(id string) bool { return id == from })
		if !slices.Contains(touched, into) {
			touched = append(touched, into)
		}
	}
	return touched, nil
}

// StoryIDsOf lists, once each, the story ids that items and story versions
// name: the versions' ids, the items' stories and the stories of their post
// and update deliveries — the ids a backend resolves through merges.
func StoryIDsOf(items []Item, stories []Story) []string {
	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, s := range stories {
		add(s.ID)
	}
	for _, it := range items {
		add(it.StoryID)
		for _, d := range it.Deliveries {
			if d.Kind == KindPost || d.Kind == KindUpdate {
				add(d.StoryID)
			}
		}
	}
	return ids
}
