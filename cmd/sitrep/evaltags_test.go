package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/topics"
	"github.com/sitrep-bot/sitrep/topics/tageval"
)

func TestEvalTags(t *testing.T) {
	const data = "testdata/evaltags.jsonl"
	code, out, errOut := runCmd(t, "", "eval", "tags", "--data", data)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"items: 4", "regions", "topics", "security (3)", "severity accuracy", "of 2 security items"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// --json reports what scoring the built-in tagger's tags of the same items gives.
	code, out, errOut = runCmd(t, "", "eval", "tags", "--json", "--data", data)
	if code != 0 {
		t.Fatalf("--json exit %d: %s", code, errOut)
	}
	f, err := os.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, err := tageval.Read(f, data)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := topics.NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := mustJSON(t, tageval.Score(items, func(it tageval.Item) tageval.Labels { return evalLabels(tg.Tag(evalDoc(it))) }))
	if strings.TrimSpace(out) != string(want) {
		t.Errorf("--json = %s\nwant %s", out, want)
	}
	var rep struct {
		Items   int `json:"items"`
		Regions struct {
			TP int `json:"tp"`
		} `json:"regions"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Items != 4 || rep.Regions.TP == 0 {
		t.Errorf("--json report %s: %v", out, err)
	}

	// -v adds the region errors; --days keeps the items of those days.
	code, out, errOut = runCmd(t, "", "eval", "tags", "-v", "--days", "2026-01-04", "--data", data)
	if code != 0 {
		t.Fatalf("-v exit %d: %s", code, errOut)
	}
	for _, want := range []string{"items: 2", "region errors by slug", "items with region errors:"} {
		if !strings.Contains(out, want) {
			t.Errorf("-v output lacks %q:\n%s", want, out)
		}
	}

	if code, _, _ := runCmd(t, "", "eval", "tags"); code != 2 {
		t.Errorf("without --data: exit %d, want 2", code)
	}
	if code, _, _ := runCmd(t, "", "eval", "tags", "--data", "testdata/missing.jsonl"); code != 1 {
		t.Errorf("missing file: exit %d, want 1", code)
	}
}
