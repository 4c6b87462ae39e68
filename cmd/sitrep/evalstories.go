package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/sitrep-bot/sitrep/topics"
	"github.com/sitrep-bot/sitrep/topics/storyeval"
)

// cmdEvalStories scores story grouping on a labelled JSONL file (dev.jsonl format).
func cmdEvalStories(_ context.Context, args []string, e env) error {
	fs := newFlags("eval stories", e)
	data := fs.String("data", "", "labelled JSONL file with a story field (dev.jsonl format)")
	verbose := fs.Bool("v", false, "list wrong merges and splits with titles")
	days := fs.String("days", "", "comma-separated UTC dates (2006-01-02) to keep; default all")
	feedList := fs.String("feeds", "", "comma-separated feed names to keep; default all")
	skip := fs.String("skip-feeds", "", "comma-separated feed names to leave out")
	seed := fs.Uint64("shuffle", 0, "feed the items in an order shuffled with this seed (0: publication order)")
	polls := fs.Int("polls", 1, "split the arrivals into this many polls")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *data == "" {
		return fmt.Errorf("%w: --data is required", errUsage)
	}
	items, err := storyeval.Load(*data)
	if err != nil {
		return err
	}
	items = storyeval.Filter{Days: splitList(*days), Feeds: splitList(*feedList), Skip: splitList(*skip)}.Apply(items)
	tg, err := topics.NewTagger(nil)
	if err != nil {
		return err
	}
	got := storyeval.Cluster(tg, items, storyeval.Arrival{Seed: *seed, Polls: *polls})
	rep := storyeval.Score(got, storyeval.Gold(items))
	fmt.Fprintf(e.stdout, "items %d, labelled stories %d (%d with several items), predicted stories %d\n", rep.Items, rep.Labelled, rep.Multi, rep.Predicted)
	fmt.Fprintf(e.stdout, "B-cubed P %.3f R %.3f F1 %.3f\n", rep.P, rep.R, rep.F1)
	fmt.Fprintf(e.stdout, "predicted stories mixing labelled stories: %d\n", len(rep.Mixed))
	fmt.Fprintf(e.stdout, "labelled multi-item stories split: %d of %d\n", len(rep.Split), rep.Multi)
	if *verbose {
		titles := map[string]string{}
		for _, it := range items {
			titles[it.Key()] = strings.TrimSuffix(it.Feed, ".xml") + ": " + it.Title
		}
		printGroups(e.stdout, "wrong merge: predicted story", rep.Mixed, "label", titles)
		printGroups(e.stdout, "split: labelled story", rep.Split, "predicted", titles)
	}
	return nil
}

func printGroups(w io.Writer, head string, groups []storyeval.Group, part string, titles map[string]string) {
	for _, g := range groups {
		fmt.Fprintf(w, "\n%s %s\n", head, g.ID)
		for _, p := range g.Parts {
			fmt.Fprintf(w, "  %s %s (%d)\n", part, p.Key, len(p.IDs))
			for _, id := range p.IDs {
				fmt.Fprintf(w, "    %s\n", titles[id])
			}
		}
	}
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
