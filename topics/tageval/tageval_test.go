package tageval

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func readFixture(t *testing.T) []Item {
	t.Helper()
	f, err := os.Open("testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, err := Read(f, "small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func TestScore(t *testing.T) {
	items := readFixture(t)
	if len(items) != 4 {
		t.Fatalf("read %d items, want 4 (blank line skipped)", len(items))
	}
	got := map[string]Labels{
		// right region and topic, security right, severity wrong
		"1": {Regions: []string{"iraq"}, Topics: []string{"armed-conflict"}, Security: true, Severity: "medium"},
		// alias spellings of both regions, an extra topic, severity right
		"2": {Regions: []string{"turkiye", "czech-republic"}, Topics: []string{"diplomacy", "politics"}, Security: true, Severity: "low"},
		// false alarm on a sports item: topic and security false positives, region missed
		"3": {Topics: []string{"armed-conflict"}, Security: true, Severity: "medium"},
		// borderline item: its security call is not scored, its topic is missed
		"4": {Security: true, Severity: "low"},
	}
	r := Score(items, func(it Item) Labels { return got[it.ID] })
	check := func(name string, have, want PRF) {
		t.Helper()
		if have != want {
			t.Errorf("%s = %+v, want %+v", name, have, want)
		}
	}
	check("regions", r.Regions, PRF{TP: 3, FP: 0, FN: 1})
	check("topics", r.Topics, PRF{TP: 2, FP: 2, FN: 1})
	check("armed-conflict", r.PerTopic["armed-conflict"], PRF{TP: 1, FP: 1})
	check("politics", r.PerTopic["politics"], PRF{FP: 1, FN: 1})
	check("security", r.Security, PRF{TP: 2, FP: 1})
	if r.SecurityItems != 3 {
		t.Errorf("security items = %d, want 3 (null skipped)", r.SecurityItems)
	}
	if r.SeverityItems != 2 || r.SeverityRight != 1 || r.SeverityAccuracy() != 0.5 {
		t.Errorf("severity = %d of %d, want 1 of 2", r.SeverityRight, r.SeverityItems)
	}
	if p, rc, f := r.Topics.Precision(), r.Topics.Recall(), r.Topics.F1(); p != 0.5 || rc != 2.0/3 || f != 4.0/7 {
		t.Errorf("topics P/R/F1 = %v/%v/%v", p, rc, f)
	}

	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"items: 4", "regions", "security (3)", "severity accuracy", "  politics"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, buf.String())
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Topics   struct{ F1 float64 }
		Severity float64 `json:"severity_accuracy"`
	}
	if err := json.Unmarshal(b, &back); err != nil || back.Topics.F1 != 4.0/7 || back.Severity != 0.5 {
		t.Errorf("json report %s: %v", b, err)
	}
}

func TestRegionErrors(t *testing.T) {
	items := readFixture(t)
	got := map[string]Labels{
		"1": {Regions: []string{"iraq", "iran"}},       // one false positive
		"2": {Regions: []string{"turkiye", "czechia"}}, // right, in another spelling
		"3": {},                                        // canada missed
		"4": {},                                        // right: no region
	}
	r := Score(items, func(it Item) Labels { return got[it.ID] })
	for slug, want := range map[string]PRF{"iraq": {TP: 1}, "iran": {FP: 1}, "turkey": {TP: 1}, "czechia": {TP: 1}, "canada": {FN: 1}} {
		if r.PerRegion[slug] != want {
			t.Errorf("PerRegion[%s] = %+v, want %+v", slug, r.PerRegion[slug], want)
		}
	}
	if len(r.RegionMisses) != 2 || r.RegionMisses[0].Title != items[0].Title || r.RegionMisses[1].Title != items[2].Title {
		t.Fatalf("RegionMisses = %+v, want items 1 and 3", r.RegionMisses)
	}
	if m := r.RegionMisses[0]; strings.Join(m.Want, " ") != "iraq" || strings.Join(m.Got, " ") != "iran iraq" {
		t.Errorf("miss 1 = %+v", m)
	}
	var buf bytes.Buffer
	if err := r.WriteRegionErrors(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"items with region errors: 2", "a: Drone strike hits northern Iraq", "labelled [iraq]  got [iran iraq]",
		"b: Rybakina title clash in Toronto", "labelled [canada]  got []"} {
		if !strings.Contains(out, want) {
			t.Errorf("region errors lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "  turkey ") {
		t.Errorf("a region without errors is listed:\n%s", out)
	}
}

func TestOnDays(t *testing.T) {
	items := readFixture(t)
	if got := OnDays(items, nil); len(got) != 4 {
		t.Errorf("no days kept %d items, want all 4", len(got))
	}
	got := OnDays(items, []string{"2026-01-04"})
	if len(got) != 2 || got[0].ID != "3" || got[1].ID != "4" {
		t.Errorf("OnDays(2026-01-04) = %+v, want items 3 and 4", got)
	}
}

func TestPRFEmpty(t *testing.T) {
	var c PRF
	if c.Precision() != 0 || c.Recall() != 0 || c.F1() != 0 {
		t.Error("empty counts should score 0, not NaN")
	}
}

func TestReadError(t *testing.T) {
	_, err := Read(strings.NewReader("{\"id\":\"1\"}\n{bad\n"), "x.jsonl")
	if err == nil || !strings.Contains(err.Error(), "x.jsonl:2") {
		t.Errorf("err = %v, want the line number", err)
	}
}
