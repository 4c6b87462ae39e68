package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/sitrep-bot/sitrep/topics"
	"github.com/sitrep-bot/sitrep/topics/tageval"
)

// cmdEvalTags tags the labelled items of a JSON lines file (the format of
// ../shared/corpus/labelled/dev.jsonl) and prints how the tags score against the labels.
func cmdEvalTags(_ context.Context, args []string, e env) error {
	fs := newFlags("eval tags", e)
	data := fs.String("data", "", "labelled JSON lines (feed, id, title, description, regions, topics, security, severity)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	verbose := fs.Bool("v", false, "also list region errors: false positives and negatives per region slug, and the items with their labelled and given regions")
	days := fs.String("days", "", "comma-separated UTC dates (2006-01-02) to keep; default all")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *data == "" {
		return fmt.Errorf("%w: --data is required", errUsage)
	}
	f, err := os.Open(*data)
	if err != nil {
		return err
	}
	defer f.Close()
	items, err := tageval.Read(f, *data)
	if err != nil {
		return err
	}
	items = tageval.OnDays(items, splitList(*days))
	tagger, err := topics.NewTagger(nil)
	if err != nil {
		return err
	}
	rep := tageval.Score(items, func(it tageval.Item) tageval.Labels {
		return evalLabels(tagger.Tag(evalDoc(it)))
	})
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(rep)
	}
	if err := rep.Write(e.stdout); err != nil {
		return err
	}
	if *verbose {
		return rep.WriteRegionErrors(e.stdout)
	}
	return nil
}

// evalDoc is what the tagger sees of a labelled item: what a reader of the feed sees.
func evalDoc(it tageval.Item) topics.Doc {
	return topics.Doc{ID: it.Feed + "|" + it.ID, Title: it.Title, Text: it.Description, Source: it.Feed, Published: it.Published}
}

// evalLabels turns tags into the labels the evaluation compares.
func evalLabels(t topics.Tags) tageval.Labels {
	return tageval.Labels{Regions: t.Regions, Topics: t.Topics, Security: t.Severity != "", Severity: string(t.Severity)}
}
