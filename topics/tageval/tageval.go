// Package tageval scores a tagger's regions, topics, security flag and severity against items
// labelled by the guide ../shared/corpus/LABELS.md (the JSON lines of labelled/dev.jsonl).
//
// Scores are micro-averaged: every (item, label) pair counts once. Region slugs that the guide
// treats as the same place (turkiye/turkey, czech-republic/czechia, …) are compared as one.
package tageval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Item is one labelled line.
type Item struct {
	Feed        string    `json:"feed"`
	ID          string    `json:"id"`
	Published   time.Time `json:"published"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Regions     []string  `json:"regions"`
	Topics      []string  `json:"topics"`
	Security    *bool     `json:"security"` // nil: borderline, not scored for security
	Severity    *string   `json:"severity"` // nil unless security is true
	Story       string    `json:"story"`
}

// Labels are what a tagger said of one item.
type Labels struct {
	Regions  []string
	Topics   []string
	Security bool
	Severity string // "" when not security news
}

// maxLine bounds one JSON line.
const maxLine = 8 << 20

// Read parses labelled JSON lines; blank lines are skipped. name is used in errors.
func Read(r io.Reader, name string) ([]Item, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var items []Item
	for n := 1; sc.Scan(); n++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var it Item
		if err := json.Unmarshal(b, &it); err != nil {
			return nil, fmt.Errorf("tageval: %s:%d: %w", name, n, err)
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("tageval: %s: %w", name, err)
	}
	return items, nil
}

// PRF counts true positives, false positives and false negatives.
type PRF struct{ TP, FP, FN int }

// Precision is TP/(TP+FP), 0 when nothing was predicted.
func (c PRF) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN), 0 when nothing was expected.
func (c PRF) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of precision and recall.
func (c PRF) F1() float64 { return ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

func (c *PRF) add(o PRF) { c.TP, c.FP, c.FN = c.TP+o.TP, c.FP+o.FP, c.FN+o.FN }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Report is the score of a tagger on a labelled set.
type Report struct {
	Items    int
	Regions  PRF
	Topics   PRF
	PerTopic map[string]PRF
	// PerRegion counts, for every region slug labelled or given (compared spelling), its
	// true positives, false positives and false negatives.
	PerRegion map[string]PRF
	// RegionMisses are the items whose regions were not exactly their labels, in input order.
	RegionMisses []RegionMiss
	// Security is scored on items whose security label is true or false.
	Security      PRF
	SecurityItems int
	// Severity accuracy is scored on items labelled security true with a severity.
	SeverityItems, SeverityRight int
	// SeverityConfusion counts labelled → given severity ("" when none was given).
	SeverityConfusion map[[2]string]int
}

// RegionMiss is one item whose regions differ from its labels.
type RegionMiss struct {
	Feed, Title string
	Want, Got   []string // compared spellings, sorted
}

// SeverityAccuracy is the share of security items given their labelled severity.
func (r Report) SeverityAccuracy() float64 { return ratio(r.SeverityRight, r.SeverityItems) }

// Add scores one item's predicted labels against its labels.
func (r *Report) Add(it Item, got Labels) {
	r.Items++
	wantR, haveR := canonRegions(it.Regions), canonRegions(got.Regions)
	rc := compare(wantR, haveR)
	r.Regions.add(rc)
	if r.PerRegion == nil {
		r.PerRegion = map[string]PRF{}
	}
	for _, s := range union(wantR, haveR) {
		c := r.PerRegion[s]
		c.add(compare(only(wantR, s), only(haveR, s)))
		r.PerRegion[s] = c
	}
	if rc.FP+rc.FN > 0 {
		r.RegionMisses = append(r.RegionMisses, RegionMiss{Feed: it.Feed, Title: it.Title, Want: wantR, Got: haveR})
	}
	want, have := dedupe(it.Topics), dedupe(got.Topics)
	r.Topics.add(compare(want, have))
	if r.PerTopic == nil {
		r.PerTopic = map[string]PRF{}
	}
	for _, t := range union(want, have) {
		c := r.PerTopic[t]
		c.add(compare(only(want, t), only(have, t)))
		r.PerTopic[t] = c
	}
	if it.Security != nil {
		r.SecurityItems++
		switch {
		case *it.Security && got.Security:
			r.Security.TP++
		case *it.Security:
			r.Security.FN++
		case got.Security:
			r.Security.FP++
		}
		if *it.Security && it.Severity != nil && *it.Severity != "" {
			r.SeverityItems++
			if r.SeverityConfusion == nil {
				r.SeverityConfusion = map[[2]string]int{}
			}
			r.SeverityConfusion[[2]string{*it.Severity, got.Severity}]++
			if got.Severity == *it.Severity {
				r.SeverityRight++
			}
		}
	}
}

// Score tags every item with tag and returns the report.
func Score(items []Item, tag func(Item) Labels) Report {
	var r Report
	for _, it := range items {
		r.Add(it, tag(it))
	}
	return r
}

// aliases maps the alternative slugs the guide accepts to one spelling.
var aliases = map[string]string{
	"turkiye":              "turkey",
	"czech-republic":       "czechia",
	"cote-d-ivoire":        "ivory-coast",
	"united-arab-emirates": "uae",
	"burma":                "myanmar",
}

// Canon returns the spelling a region slug is compared under.
func Canon(slug string) string {
	if c, ok := aliases[slug]; ok {
		return c
	}
	return slug
}

func canonRegions(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, Canon(s))
	}
	return dedupe(out)
}

// dedupe returns the sorted distinct values of in.
func dedupe(in []string) []string {
	out := slices.Clone(in)
	slices.Sort(out)
	return slices.Compact(out)
}

func compare(want, have []string) PRF {
	var c PRF
	for _, h := range have {
		if slices.Contains(want, h) {
			c.TP++
		} else {
			c.FP++
		}
	}
	for _, w := range want {
		if !slices.Contains(have, w) {
			c.FN++
		}
	}
	return c
}

func only(in []string, s string) []string {
	if slices.Contains(in, s) {
		return []string{s}
	}
	return nil
}

func union(a, b []string) []string { return dedupe(append(slices.Clone(a), b...)) }

// Write prints the report as aligned text: micro P/R/F1 for regions, topics and security,
// severity accuracy, then one line per topic.
func (r Report) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "items: %d\n", r.Items)
	fmt.Fprintf(bw, "%-20s %6s %6s %6s %6s %6s %6s\n", "", "P", "R", "F1", "TP", "FP", "FN")
	line := func(name string, c PRF) {
		fmt.Fprintf(bw, "%-20s %6.3f %6.3f %6.3f %6d %6d %6d\n", name, c.Precision(), c.Recall(), c.F1(), c.TP, c.FP, c.FN)
	}
	line("regions", r.Regions)
	line("topics", r.Topics)
	line(fmt.Sprintf("security (%d)", r.SecurityItems), r.Security)
	fmt.Fprintf(bw, "%-20s %6.3f (%d of %d security items)\n", "severity accuracy", r.SeverityAccuracy(), r.SeverityRight, r.SeverityItems)
	if len(r.SeverityConfusion) > 0 {
		fmt.Fprintf(bw, "%-20s", "  severity labelled→")
		for _, g := range []string{"high", "medium", "low", ""} {
			fmt.Fprintf(bw, " %7s", "got "+cmpOr(g, "none"))
		}
		fmt.Fprintln(bw)
		for _, l := range []string{"high", "medium", "low"} {
			fmt.Fprintf(bw, "%-20s", "  "+l)
			for _, g := range []string{"high", "medium", "low", ""} {
				fmt.Fprintf(bw, " %7d", r.SeverityConfusion[[2]string{l, g}])
			}
			fmt.Fprintln(bw)
		}
	}
	for _, t := range r.topicNames() {
		line("  "+t, r.PerTopic[t])
	}
	return bw.Flush()
}

// WriteRegionErrors prints where the regions went wrong: every region slug with false positives
// or negatives (most errors first), then every item whose regions differ from its labels.
func (r Report) WriteRegionErrors(w io.Writer) error {
	bw := bufio.NewWriter(w)
	var slugs []string
	for s, c := range r.PerRegion {
		if c.FP+c.FN > 0 {
			slugs = append(slugs, s)
		}
	}
	slices.SortFunc(slugs, func(a, b string) int {
		ca, cb := r.PerRegion[a], r.PerRegion[b]
		if d := (cb.FP + cb.FN) - (ca.FP + ca.FN); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	fmt.Fprintf(bw, "\nregion errors by slug\n%-34s %6s %6s %6s\n", "", "TP", "FP", "FN")
	for _, s := range slugs {
		c := r.PerRegion[s]
		fmt.Fprintf(bw, "  %-32s %6d %6d %6d\n", s, c.TP, c.FP, c.FN)
	}
	fmt.Fprintf(bw, "\nitems with region errors: %d\n", len(r.RegionMisses))
	for _, m := range r.RegionMisses {
		fmt.Fprintf(bw, "  %s: %s\n    labelled %s  got %s\n", strings.TrimSuffix(m.Feed, ".xml"), m.Title,
			listOr(m.Want), listOr(m.Got))
	}
	return bw.Flush()
}

func listOr(s []string) string {
	if len(s) == 0 {
		return "[]"
	}
	return "[" + strings.Join(s, " ") + "]"
}

// OnDays returns the items published on one of days (UTC dates as 2006-01-02); all of them
// when days is empty.
func OnDays(items []Item, days []string) []Item {
	if len(days) == 0 {
		return items
	}
	var out []Item
	for _, it := range items {
		if slices.Contains(days, it.Published.UTC().Format(time.DateOnly)) {
			out = append(out, it)
		}
	}
	return out
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (r Report) topicNames() []string {
	var names []string
	for t := range r.PerTopic {
		names = append(names, t)
	}
	slices.Sort(names)
	return names
}

// jsonPRF is a PRF with its ratios, as --json prints it.
type jsonPRF struct {
	P  float64 `json:"p"`
	R  float64 `json:"r"`
	F1 float64 `json:"f1"`
	TP int     `json:"tp"`
	FP int     `json:"fp"`
	FN int     `json:"fn"`
}

func toJSON(c PRF) jsonPRF {
	return jsonPRF{P: c.Precision(), R: c.Recall(), F1: c.F1(), TP: c.TP, FP: c.FP, FN: c.FN}
}

// MarshalJSON writes the report with precision, recall and F1 worked out.
func (r Report) MarshalJSON() ([]byte, error) {
	per := map[string]jsonPRF{}
	for t, c := range r.PerTopic {
		per[t] = toJSON(c)
	}
	return json.Marshal(struct {
		Items         int                `json:"items"`
		Regions       jsonPRF            `json:"regions"`
		Topics        jsonPRF            `json:"topics"`
		Security      jsonPRF            `json:"security"`
		SecurityItems int                `json:"security_items"`
		Severity      float64            `json:"severity_accuracy"`
		SeverityItems int                `json:"severity_items"`
		PerTopic      map[string]jsonPRF `json:"per_topic"`
	}{r.Items, toJSON(r.Regions), toJSON(r.Topics), toJSON(r.Security), r.SecurityItems,
		r.SeverityAccuracy(), r.SeverityItems, per})
}
