package store

import (
	"cmp"
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
