package topics

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestUpperBoundHolds checks, for every candidate best would consider while clustering the
// labelled and synthetic streams, that the bound used to skip exact comparisons is never below
// the exact similarity: skipping changes no result.
func TestUpperBoundHolds(t *testing.T) {
	if testing.Short() {
		t.Skip("every pair of the labelled set (slow)")
	}
	var docs []Doc
	for _, it := range loadJSONL[labelled](t, "labelled.jsonl") {
		docs = append(docs, it.doc())
	}
	docs = append(docs, syntheticDocs(1500)...)
	docs = append(docs, repetitiveDocs(1500)...)
	slices.SortStableFunc(docs, func(a, b Doc) int { return a.Published.Compare(b.Published) })
	c := NewClusterer(0)
	checked, skippable := 0, 0
	for _, d := range docs {
		// Insert the doc, then check the candidates best would consider for it.
		c.insert(d, Tags{})
		cd := c.docs[d.ID]
		c.prefix(cd)
		tot := c.gather(cd)
		for _, o := range c.touched {
			bound := tot.upperBound(cd, o) * c.damping(cd, o)
			exact := c.similarityW(cd, c.wNew, o)
			if exact > bound*(1+1e-9)+1e-12 {
				t.Fatalf("%s vs %s: exact similarity %.6f above bound %.6f", d.ID, o.id, exact, bound)
			}
			checked++
			if bound < joinThreshold {
				skippable++
			}
		}
		clear(c.touched)
		c.reassign(cd, nil)
	}
	if checked < 1000 {
		t.Fatalf("only %d candidate pairs checked", checked)
	}
	t.Logf("%d candidate pairs, %d (%.0f%%) skippable by the bound", checked, skippable, 100*float64(skippable)/float64(checked))
}

// TestTagCarriesClusterFeatures checks that the features Tag hands to Add are the ones Add would
// work out itself, and that Add ignores them when they belong to another doc.
func TestTagCarriesClusterFeatures(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := NewClusterer(0)
	docs := syntheticDocs(200)
	for _, it := range loadJSONL[labelled](t, "labelled.jsonl") {
		docs = append(docs, it.doc())
	}
	// A long article: clustering reads only its start, tagging all of it.
	docs = append(docs, Doc{ID: "long", Title: "Turkish drone strike near Sinjar",
		Text: "SINJAR - A drone struck a car on Tuesday. " + strings.Repeat("Residents said the road was closed for hours on Friday. ", 400)})
	for _, d := range docs {
		tags := tg.Tag(d)
		got, ok := tags.prepared.featuresFor(d, c.g, c.r)
		if !ok {
			t.Fatalf("%s: Tag carried no features", d.ID)
		}
		want := extractFeatures(c.g, c.r, analyzeN(c.g, d, clusterScan))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: Tag's features differ from Add's own\n got %v\nwant %v", d.ID, got, want)
		}
	}
	a, b := docs[0], docs[1]
	if _, ok := tg.Tag(a).prepared.featuresFor(b, c.g, c.r); ok {
		t.Error("features of one doc accepted for another")
	}
	if _, ok := (Tags{}).prepared.featuresFor(a, c.g, c.r); ok {
		t.Error("features found in empty Tags")
	}
	// Add given another doc's Tags clusters as if given none.
	c1, c2 := NewClusterer(0), NewClusterer(0)
	for i, d := range docs[:150] {
		other := docs[(i+7)%len(docs)]
		if s1, s2 := c1.Add(d, tg.Tag(other), ""), c2.Add(d, Tags{}, ""); s1 != s2 {
			t.Fatalf("%s: story %s with another doc's tags, %s without", d.ID, s1, s2)
		}
	}
}
