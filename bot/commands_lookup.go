package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sitrep-bot/sitrep/internal/clip"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/topics"
)

// hasOptions reports whether any of the named typed options is set: then
// options alone are read (Discord); otherwise the words in Args are.
func hasOptions(cmd Command, names ...string) bool {
	for _, n := range names {
		if strings.TrimSpace(cmd.Options[n]) != "" {
			return true
		}
	}
	return false
}

// targetAndCount reads "[target] [n]" for latest.
func (r *Router) targetAndCount(cmd Command) (target string, n int, err error) {
	n = latestDefault
	var words []string
	if hasOptions(cmd, "target", "count") {
		words = []string{cmd.Options["target"], cmd.Options["count"]}
	} else {
		words = cmd.Args
	}
	var rest []string
	for _, w := range words {
		w = strings.TrimSpace(w)
		if w == "" {
			continue
		}
		if v, convErr := strconv.Atoi(w); convErr == nil {
			if v < 1 {
				return "", 0, sayf("The number of stories must be between 1 and %d.", latestMax)
			}
			n = min(v, latestMax)
			continue
		}
		rest = append(rest, w)
	}
	target, err = r.oneTarget(rest, "Usage: /sitrep latest [target] [n] — e.g. /sitrep latest iraq 10")
	return target, n, err
}

// oneTarget resolves the words naming at most one target ("" for none).
func (r *Router) oneTarget(words []string, usage string) (string, error) {
	if len(words) == 0 {
		return "", nil
	}
	targets, problems := r.resolveTargets(words)
	if len(problems) > 0 {
		return "", sayf("%s", problems[0])
	}
	if len(targets) > 1 {
		return "", sayf("%s", usage)
	}
	return targets[0], nil
}

// matchingStories returns up to n stories since since (zero: any time),
// newest first, that fall under target ("" for all).
func (r *Router) matchingStories(ctx context.Context, since time.Time, targets []string, n int) ([]store.Story, error) {
	all, err := r.store.Stories(ctx, store.StoryFilter{Since: since, Limit: storyScanLimit})
	if err != nil {
		return nil, fmt.Errorf("router: stories: %w", err)
	}
	var out []store.Story
	for _, st := range all {
		if store.Matches(targets, st.Regions, st.Topics) {
			out = append(out, st)
			if n > 0 && len(out) == n {
				break
			}
		}
	}
	return out, nil
}

// storyItems returns a story's reports, first report first.
func storyItems(ctx context.Context, st interface {
	Items(ctx context.Context, f store.ItemFilter) ([]store.Item, error)
}, id string, limit int) ([]store.Item, error) {
	items, err := st.Items(ctx, store.ItemFilter{StoryID: id, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("router: story %s items: %w", id, err)
	}
	store.SortReports(items)
	return items, nil
}

// sourceList names a story's reports with their links, at most max.
func sourceList(items []store.Item, max int) string {
	var b strings.Builder
	for i, it := range items {
		if i == max {
			fmt.Fprintf(&b, "\n+%d more (see /sitrep story)", len(items)-max)
			break
		}
		name := it.FeedName
		if name == "" {
			name = "report"
		}
		fmt.Fprintf(&b, "\n• %s: %s", name, it.URL)
	}
	return strings.TrimPrefix(b.String(), "\n")
}

// storySection presents one story: summary, sources with links, id and tags.
func storySection(st store.Story, items []store.Item) Section {
	var b strings.Builder
	if s := strings.TrimSpace(st.Summary); s != "" {
		b.WriteString(clip.Runes(s, 400) + "\n")
	}
	if src := sourceList(items, 4); src != "" {
		b.WriteString(src + "\n")
	}
	b.WriteString(storyMeta(st))
	return Section{Heading: st.Title, Text: b.String()}
}

// storyMeta is the id / tags / time line under a story.
func storyMeta(st store.Story) string {
	parts := []string{"story " + st.ID}
	if tags := slices.Concat(st.Regions, st.Topics); len(tags) > 0 {
		parts = append(parts, strings.Join(tags, ", "))
	}
	if !st.LastSeen.IsZero() {
		parts = append(parts, st.LastSeen.UTC().Format("2 Jan 15:04 UTC"))
	}
	return strings.Join(parts, " · ")
}

// latest lists the newest stories, optionally for one target.
func (r *Router) latest(ctx context.Context, cmd Command) (Reply, error) {
	target, n, err := r.targetAndCount(cmd)
	if err != nil {
		return Reply{}, err
	}
	var targets []string
	if target != "" {
		targets = []string{target}
	}
	stories, err := r.matchingStories(ctx, time.Time{}, targets, n)
	if err != nil {
		return Reply{}, err
	}
	about := ""
	if target != "" {
		about = " on " + target
	}
	if len(stories) == 0 {
		return Reply{Ephemeral: true, Text: "No stories" + about + " yet."}, nil
	}
	rep := Reply{Title: "Latest stories" + about}
	for _, st := range stories {
		items, err := storyItems(ctx, r.store, st.ID, 20)
		if err != nil {
			return Reply{}, err
		}
		rep.Sections = append(rep.Sections, storySection(st, items))
	}
	rep.Text = fmt.Sprintf("%d newest stor%s%s.", len(stories), plural(len(stories), "y", "ies"), about)
	return rep, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// splitSearch separates the plain words of a search (for the store's
// full-text index) from its qualifiers. conj is false when the query is
// more than "all these words" (OR, NOT, parentheses, prefixes), and the
// full-text index cannot pre-filter it.
func splitSearch(text string) (words string, conj bool) {
	conj = true
	var plain []string
	for _, tok := range strings.Fields(text) {
		up := strings.ToUpper(tok)
		switch {
		case up == "AND" || up == "&&":
			continue
		case up == "OR" || up == "||" || up == "NOT" || strings.HasPrefix(tok, "-") ||
			strings.ContainsAny(tok, "()*"):
			conj = false
		case strings.Contains(tok, ":"):
			name, _, _ := strings.Cut(strings.TrimLeft(tok, `"`), ":")
			if name != "" && strings.IndexFunc(name, func(r rune) bool { return !isLetter(r) }) < 0 {
				continue // region:iraq, topic:x, source:y
			}
			plain = append(plain, strings.Trim(tok, `"“”`))
		default:
			plain = append(plain, strings.Trim(tok, `"“”`))
		}
	}
	return strings.Join(plain, " "), conj
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// search finds stored reports by words and query qualifiers.
func (r *Router) search(ctx context.Context, cmd Command) (Reply, error) {
	text := strings.TrimSpace(cmdRest(cmd, "query", 0))
	if text == "" {
		return Reply{}, sayf("What should I look for? Usage: /sitrep search <words> — e.g. /sitrep search region:iraq drone")
	}
	text = clip.Runes(text, 500)
	q, err := topics.ParseQuery(text)
	if err != nil {
		var qe *topics.QueryError
		if errors.As(err, &qe) {
			return Reply{}, sayf("I couldn't read that search: %s.", strings.TrimPrefix(qe.Error(), "query: "))
		}
		return Reply{}, sayf("I couldn't read that search.")
	}
	words, conj := splitSearch(text)
	f := store.ItemFilter{Limit: storyScanLimit}
	if words != "" && conj {
		f = store.ItemFilter{Query: words, Limit: 200}
	}
	items, err := r.store.Items(ctx, f)
	if err != nil {
		return Reply{}, fmt.Errorf("router: search: %w", err)
	}
	var lines []StoryLine
	seen := map[string]bool{}
	for _, it := range items {
		if it.StoryID != "" && seen[it.StoryID] {
			continue
		}
		doc := topics.Doc{Title: it.Title, Text: it.Summary + "\n" + it.Text, Source: it.FeedName, Published: it.Published}
		if !q.Match(doc, topics.Tags{Regions: it.Regions, Topics: it.Topics, UserTopics: it.Topics}) {
			continue
		}
		seen[it.StoryID] = true
		lines = append(lines, itemLine(it))
		if len(lines) == searchMax {
			break
		}
	}
	if len(lines) == 0 {
		return Reply{Ephemeral: true, Text: fmt.Sprintf("No reports match %q.", text)}, nil
	}
	return Reply{Ephemeral: true, Title: "Search: " + clip.Runes(text, 80),
		Text: fmt.Sprintf("%d matching report%s (one per story); /sitrep story <id> shows all reports of a story.",
			len(lines), plural(len(lines), "", "s")),
		Stories: lines}, nil
}

// itemLine presents one report in a list.
func itemLine(it store.Item) StoryLine {
	title := it.Title
	if it.FeedName != "" {
		title += " — " + it.FeedName
	}
	sum := clip.Runes(strings.TrimSpace(it.Summary), 240)
	if it.StoryID != "" {
		sum = strings.TrimSpace(sum + " (story " + it.StoryID + ")")
	}
	return StoryLine{StoryID: it.StoryID, Title: title, URL: it.URL, Regions: it.Regions, Topics: it.Topics,
		Summary: sum, Time: it.Published}
}

// story shows one story with all its reports.
func (r *Router) story(ctx context.Context, cmd Command) (Reply, error) {
	id := strings.TrimPrefix(strings.TrimSpace(cmdArg(cmd, "id", 0)), "#")
	if id == "" {
		return Reply{}, sayf("Which story? Usage: /sitrep story <id> — ids appear under stories in latest and search.")
	}
	id = clip.Runes(id, 100)
	st, err := r.store.Story(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Reply{}, sayf("No story with id %q. Ids appear under stories in /sitrep latest and search.", id)
	}
	if err != nil {
		return Reply{}, fmt.Errorf("router: story %s: %w", id, err)
	}
	items, err := storyItems(ctx, r.store, id, 100)
	if err != nil {
		return Reply{}, err
	}
	var b strings.Builder
	for _, it := range items {
		name := it.FeedName
		if name == "" {
			name = "report"
		}
		fmt.Fprintf(&b, "• %s: %s — %s", name, it.Title, it.URL)
		if !it.Published.IsZero() {
			b.WriteString(" (" + it.Published.UTC().Format("2 Jan 15:04 UTC") + ")")
		}
		b.WriteString("\n")
	}
	if st.Items > len(items) {
		fmt.Fprintf(&b, "…and %d earlier reports.\n", st.Items-len(items))
	}
	text := strings.TrimSpace(st.Summary)
	if text != "" {
		text += "\n"
	}
	text += storyMeta(st)
	heading := fmt.Sprintf("%d report%s", len(items), plural(len(items), "", "s"))
	return Reply{Title: st.Title, Text: text,
		Sections: []Section{{Heading: heading, Text: strings.TrimSpace(b.String())}}}, nil
}
