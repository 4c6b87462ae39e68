package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/topics"
)

// Training on the same data twice writes the same file, and a Tagger can use it.
func TestTrainDeterministic(t *testing.T) {
	dir := t.TempDir()
	var outs [2][]byte
	for i := range outs {
		path := filepath.Join(dir, "model.txt")
		var log bytes.Buffer
		if err := run([]string{"--data", "../../tageval/testdata/small.jsonl", "--out", path, "--cv", "day", "--min-items", "1", "--min-stories", "1", "--iterations", "50"}, &log); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(log.String(), "held back by day") || !strings.Contains(log.String(), "trained and scored on all 4 items") {
			t.Errorf("report lacks the cross-validated and full figures:\n%s", log.String())
		}
		if !strings.Contains(log.String(), "largest story s1 (1 items): topics F1 ") {
			t.Errorf("report lacks the held-back figures of the largest story:\n%s", log.String())
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		outs[i] = b
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("two trainings on the same data wrote different weights")
	}
	if _, err := topics.NewTagger(nil, topics.WithModel(outs[0])); err != nil {
		t.Errorf("the trained weights do not load: %v", err)
	}
	if err := run([]string{"--data", "../../tageval/testdata/small.jsonl", "--cv", "week"}, &bytes.Buffer{}); err == nil {
		t.Error("an unknown split was accepted")
	}
}

// The embedded weights are what the training command makes of the dev set with its defaults:
// when the features change (a new gazetteer, lexicon or rules), retrain with
// go run ./topics/cmd/train --data ../shared/corpus/labelled/dev.jsonl
func TestEmbeddedModelReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the model (seconds)")
	}
	const dev = "../../../../shared/corpus/labelled/dev.jsonl"
	if _, err := os.Stat(dev); err != nil {
		t.Skip("dev set not present:", err)
	}
	path := filepath.Join(t.TempDir(), "model.txt")
	if err := run([]string{"--data", dev, "--out", path, "--cv", ""}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../data/model.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("topics/data/model.txt is not what training on the dev set gives: retrain with go run ./topics/cmd/train --data ../shared/corpus/labelled/dev.jsonl")
	}
}

// --dump writes one line per held-back item and split, with the item, what the tagger said
// and the model's probabilities.
func TestTrainDump(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dump.jsonl")
	if err := run([]string{"--data", "../../tageval/testdata/small.jsonl", "--out", "-", "--cv", "day,outlet", "--dump", path,
		"--min-items", "1", "--min-stories", "1", "--iterations", "20"}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	splits := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var row struct {
			Split string
			Item  struct{ Title string }
			P     map[string]float64
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		splits[row.Split]++
		if row.Item.Title == "" {
			t.Errorf("%q: no item", line)
		}
		for _, o := range topics.ModelOutputs() {
			if p, ok := row.P[o]; !ok || p < 0 || p > 1 {
				t.Errorf("%q: probability of %s %v", line, o, p)
			}
		}
	}
	if splits["day"] != 4 || splits["outlet"] != 4 || len(splits) != 2 {
		t.Errorf("lines per split %v, want 4 for day and for outlet", splits)
	}
}

func TestParsePenalty(t *testing.T) {
	tests := []struct {
		in   string
		want []penaltyRule
		bad  bool
	}{
		{"", nil, false},
		{"w:@topics=10, c:=off", []penaltyRule{{"w:", "topics", 10}, {"c:", "", -1}}, false},
		{"tc:@severity=0.3", []penaltyRule{{"tc:", "severity", 0.3}}, false},
		{"w:", nil, true},
		{"w:=-1", nil, true},
		{"w:=lots", nil, true},
	}
	for _, tt := range tests {
		got, err := parsePenalty(tt.in)
		if (err != nil) != tt.bad {
			t.Errorf("parsePenalty(%q) error %v, want error %v", tt.in, err, tt.bad)
			continue
		}
		if !tt.bad && !slices.Equal(got, tt.want) {
			t.Errorf("parsePenalty(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if _, err := parsePenalty(defaultPenalty); err != nil {
		t.Errorf("the default penalty does not parse: %v", err)
	}
}
