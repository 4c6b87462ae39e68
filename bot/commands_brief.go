package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sitrep-bot/sitrep/internal/clip"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/summarize"
	"github.com/sitrep-bot/sitrep/topics"
)

// Brief limits.
const (
	briefGroups       = 8   // sections before the rest goes under "Other"
	briefLines        = 5   // stories listed per section
	briefDocs         = 10  // story summaries fed to each section's summary
	briefStories      = 200 // stories considered
	briefSentences    = 3
	briefSectionChars = 700
	briefMaxPeriod    = 7 * 24 * time.Hour
)

// itemLister is the store method briefs need besides Stories.
type itemLister interface {
	Items(ctx context.Context, f store.ItemFilter) ([]store.Item, error)
}

// parsePeriod reads 24h, 7d, 3d, 12h, day, week. ok is false for other words.
func parsePeriod(s string) (time.Duration, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "day", "today", "daily":
		return 24 * time.Hour, true
	case "week", "weekly":
		return 7 * 24 * time.Hour, true
	}
	if len(s) < 2 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 || n > 1000 {
		return 0, false
	}
	switch s[len(s)-1] {
	case 'h':
		return time.Duration(n) * time.Hour, true
	case 'd':
		return time.Duration(n) * 24 * time.Hour, true
	case 'w':
		return time.Duration(n) * 7 * 24 * time.Hour, true
	}
	return 0, false
}

// describePeriod says "the last 24 hours", "the last 7 days".
func describePeriod(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		days := int(d / (24 * time.Hour))
		if days == 1 {
			return "the last 24 hours"
		}
		return fmt.Sprintf("the last %d days", days)
	case d >= 2*time.Hour:
		return fmt.Sprintf("the last %d hours", int(d.Round(time.Hour)/time.Hour))
	case d == time.Hour:
		return "the last hour"
	case d > time.Minute:
		return fmt.Sprintf("the last %d minutes", int(d.Round(time.Minute)/time.Minute))
	}
	return "the last minute"
}

// brief answers "brief [24h|7d] [target]".
func (r *Router) brief(ctx context.Context, cmd Command) (Reply, error) {
	period := 24 * time.Hour
	var words []string
	if hasOptions(cmd, "period", "target") {
		words = []string{cmd.Options["period"], cmd.Options["target"]}
	} else {
		words = cmd.Args
	}
	var rest []string
	for _, w := range words {
		if strings.TrimSpace(w) == "" {
			continue
		}
		if d, ok := parsePeriod(w); ok {
			if d > briefMaxPeriod {
				return Reply{}, sayf("A brief covers at most 7 days.")
			}
			period = d
			continue
		}
		rest = append(rest, w)
	}
	target, err := r.oneTarget(rest, "Usage: /sitrep brief [24h|7d] [target] — e.g. /sitrep brief 7d yemen")
	if err != nil {
		return Reply{}, err
	}
	var targets []string
	if target != "" {
		targets = []string{target}
	}
	stories, err := r.matchingStories(ctx, r.now().Add(-period), targets, briefStories)
	if err != nil {
		return Reply{}, err
	}
	about := ""
	if target != "" {
		about = " on " + target
	}
	if len(stories) == 0 {
		return Reply{Ephemeral: true, Text: fmt.Sprintf("No stories%s in %s.", about, describePeriod(period))}, nil
	}
	secs, err := buildBrief(ctx, r.store, stories, targets)
	if err != nil {
		return Reply{}, err
	}
	return Reply{
		Title:    "Brief" + about + ": " + describePeriod(period),
		Text:     briefIntro(stories),
		Sections: secs,
	}, nil
}

// briefIntro counts stories and reports.
func briefIntro(stories []store.Story) string {
	reports := 0
	for _, st := range stories {
		reports += max(st.Items, 1)
	}
	return fmt.Sprintf("%d stor%s from %d report%s.", len(stories), plural(len(stories), "y", "ies"),
		reports, plural(reports, "", "s"))
}

// groupByTopic decides the brief's grouping from what was asked for:
// a single region is split by topic; topics are split by region, as is
// everything else. Several topic targets are grouped by those topics.
func groupByTopic(targets []string) bool {
	if len(targets) == 1 {
		return topics.IsRegion(targets[0])
	}
	if len(targets) == 0 {
		return false
	}
	for _, t := range targets {
		if topics.IsRegion(t) {
			return false
		}
	}
	return true
}

// byImportance orders stories: most reports, then most severe, then newest.
func byImportance(a, b store.Story) int {
	if c := cmp.Compare(b.Items, a.Items); c != 0 {
		return c
	}
	if c := b.Severity.Compare(a.Severity); c != 0 {
		return c
	}
	if c := b.LastSeen.Compare(a.LastSeen); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// labelName is a group heading for a region slug or topic name.
func labelName(label string) string {
	for _, reg := range topics.Regions() {
		if reg.Slug == label {
			return reg.Name
		}
	}
	if label == "" {
		return "Other"
	}
	s := strings.ReplaceAll(label, "-", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// buildBrief groups stories by region or topic (see groupByTopic) and
// writes each group a multi-document summary of its stories' summaries
// and a list of its most important stories. Each story appears once, in
// its largest group.
func buildBrief(ctx context.Context, st itemLister, stories []store.Story, targets []string) ([]Section, error) {
	byTopic := groupByTopic(targets)
	labels := func(s store.Story) []string {
		ls := s.Regions
		if byTopic {
			ls = s.Topics
		}
		// Several targets: those of the grouping's kind head the groups.
		if len(targets) > 1 {
			var in []string
			for _, l := range ls {
				if slices.Contains(targets, l) {
					in = append(in, l)
				}
			}
			if len(in) > 0 {
				ls = in
			}
		}
		return ls
	}
	count := map[string]int{}
	for _, s := range stories {
		for _, l := range labels(s) {
			count[l]++
		}
	}
	groups := map[string][]store.Story{}
	for _, s := range stories {
		best := ""
		for _, l := range labels(s) {
			if best == "" || count[l] > count[best] || count[l] == count[best] && l < best {
				best = l
			}
		}
		groups[best] = append(groups[best], s)
	}
	var order []string
	for l := range groups {
		if l != "" {
			order = append(order, l)
		}
	}
	slices.SortFunc(order, func(a, b string) int {
		if c := cmp.Compare(len(groups[b]), len(groups[a])); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	if len(order) > briefGroups {
		for _, l := range order[briefGroups:] {
			groups[""] = append(groups[""], groups[l]...)
		}
		order = order[:briefGroups]
	}
	if len(groups[""]) > 0 {
		order = append(order, "")
	}
	secs := make([]Section, 0, len(order))
	for _, l := range order {
		sec, err := briefSection(ctx, st, labelName(l), groups[l])
		if err != nil {
			return nil, err
		}
		secs = append(secs, sec)
	}
	return secs, nil
}

// briefSection summarizes one group of stories.
func briefSection(ctx context.Context, st itemLister, heading string, stories []store.Story) (Section, error) {
	slices.SortFunc(stories, byImportance)
	docs := make([]summarize.Document, 0, min(len(stories), briefDocs))
	for _, s := range stories[:min(len(stories), briefDocs)] {
		text := strings.TrimSpace(s.Summary)
		if text == "" {
			text = s.Title
		}
		docs = append(docs, summarize.Document{Title: s.Title, Text: text})
	}
	sec := Section{Heading: fmt.Sprintf("%s (%d)", heading, len(stories))}
	sum, err := summarize.SummarizeMany(docs, summarize.Options{Sentences: briefSentences, MaxChars: briefSectionChars})
	switch {
	case err == nil:
		sec.Text = sum.Text()
	case !errors.Is(err, summarize.ErrEmpty):
		return Section{}, fmt.Errorf("brief: summarize %s: %w", heading, err)
	}
	for _, s := range stories[:min(len(stories), briefLines)] {
		items, err := storyItems(ctx, st, s.ID, 100)
		if err != nil {
			return Section{}, err
		}
		sec.Stories = append(sec.Stories, briefLine(s, items))
	}
	if rest := len(stories) - briefLines; rest > 0 {
		sec.Text = strings.TrimSpace(sec.Text + fmt.Sprintf("\n(+%d more stor%s)", rest, plural(rest, "y", "ies")))
	}
	return sec, nil
}

// briefLine lists a story: title, first report's link, source count.
func briefLine(s store.Story, items []store.Item) StoryLine {
	l := StoryLine{StoryID: s.ID, Title: s.Title, Sources: max(s.Items, len(items)), Regions: s.Regions,
		Topics: s.Topics, Summary: clip.Runes(s.Summary, 300), Time: s.LastSeen}
	if len(items) > 0 {
		l.URL = items[0].URL
	}
	return l
}
