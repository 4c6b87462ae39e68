package storyeval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/sitrep-bot/sitrep/topics"
)

// Item is one labelled feed item (a line of dev.jsonl); only the fields story grouping needs.
type Item struct {
	Feed        string    `json:"feed"`
	ID          string    `json:"id"`
	Published   time.Time `json:"published"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Story       string    `json:"story"`
}

// Key is the item's unique key across feeds, as `sitrep poll --json` joins them: feed|id.
func (it Item) Key() string { return it.Feed + "|" + it.ID }

// Load reads labelled items from a JSONL file. Items without a story label are an error.
func Load(path string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("storyeval: open: %w", err)
	}
	defer f.Close()
	var out []Item
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 32<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var it Item
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			return nil, fmt.Errorf("storyeval: %s:%d: %w", path, line, err)
		}
		if it.Story == "" {
			return nil, fmt.Errorf("storyeval: %s:%d: item %q has no story label", path, line, it.ID)
		}
		out = append(out, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("storyeval: read %s: %w", path, err)
	}
	return out, nil
}

// Filter selects the items to score.
type Filter struct {
	Days  []string // UTC dates (2006-01-02) to keep; all when empty
	Feeds []string // feed names (with or without .xml) to keep; all when empty
	Skip  []string // feed names to leave out
}

// Apply returns the items the filter keeps, in their original order.
func (f Filter) Apply(items []Item) []Item {
	feedIn := func(list []string, feed string) bool {
		base := strings.TrimSuffix(feed, ".xml")
		return slices.ContainsFunc(list, func(x string) bool { return strings.TrimSuffix(x, ".xml") == base })
	}
	var out []Item
	for _, it := range items {
		if len(f.Days) > 0 && !slices.Contains(f.Days, it.Published.UTC().Format("2006-01-02")) {
			continue
		}
		if len(f.Feeds) > 0 && !feedIn(f.Feeds, it.Feed) {
			continue
		}
		if feedIn(f.Skip, it.Feed) {
			continue
		}
		out = append(out, it)
	}
	return out
}

// Arrival is the order in which the items reach the clusterer.
type Arrival struct {
	Seed  uint64 // 0: publication order; else a shuffle seeded with it
	Polls int    // split the arrivals into this many polls (batches); 0 or 1: one poll
}

// Cluster tags the items and groups them into stories with a fresh topics.Clusterer, feeding
// them in the given arrival order, and returns item key → story id.
func Cluster(tg *topics.Tagger, items []Item, arr Arrival) map[string]string {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	if arr.Seed != 0 {
		rng := rand.New(rand.NewPCG(arr.Seed, 0x5eed))
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	} else {
		slices.SortStableFunc(order, func(a, b int) int { return items[a].Published.Compare(items[b].Published) })
	}
	polls := max(arr.Polls, 1)
	c := topics.NewClusterer(0)
	got := map[string]string{}
	for p := range polls {
		lo, hi := p*len(order)/polls, (p+1)*len(order)/polls
		batch := make([]topics.Doc, 0, hi-lo)
		tags := make([]topics.Tags, 0, hi-lo)
		for _, i := range order[lo:hi] {
			it := items[i]
			d := topics.Doc{ID: it.Key(), Title: it.Title, Text: it.Description, Source: strings.TrimSuffix(it.Feed, ".xml"), Published: it.Published}
			batch = append(batch, d)
			tags = append(tags, tg.Tag(d))
		}
		for id, s := range c.AddBatch(batch, tags) {
			got[id] = s
		}
	}
	return got
}

// Gold returns item key → labelled story.
func Gold(items []Item) map[string]string {
	m := make(map[string]string, len(items))
	for _, it := range items {
		m[it.Key()] = it.Story
	}
	return m
}
