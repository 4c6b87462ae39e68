package summarize

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// seedReports splits the seed page into its reports: the blocks separated by
// two blank lines. The first three report the Iraq–Iran agreement.
func seedReports(t *testing.T) []Document {
	t.Helper()
	page := seedPage(t)
	var docs []Document
	for _, block := range strings.Split(page, "\n\n\n") {
		if strings.TrimSpace(block) != "" {
			docs = append(docs, Document{Text: block})
		}
	}
	if len(docs) < 3 {
		t.Fatalf("seed page split into %d reports, want >= 3", len(docs))
	}
	return docs[:3]
}

// statesSigning reports whether a sentence reports the signing itself: who
// signed it (the sentences of all three reports that name Larijani or
// al-Sudani at the signing).
func statesSigning(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "sign") && (strings.Contains(l, "larijani") || strings.Contains(l, "sudani"))
}

// statesConversion reports whether a sentence reports that the earlier
// protocol became a memorandum of understanding (told by two reports).
func statesConversion(s string) bool {
	return strings.Contains(strings.ToLower(s), "memorandum of understanding")
}

func TestSummarizeManySeedReports(t *testing.T) {
	docs := seedReports(t)
	for _, n := range []int{0, 3, 4, 5} {
		t.Run(fmt.Sprintf("sentences=%d", n), func(t *testing.T) {
			s, err := SummarizeMany(docs, Options{Sentences: n})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range s.Sentences {
				t.Logf("doc %d #%d %.3f also %v %s", x.Doc, x.Index, x.Score, x.Also, x.Text)
			}
			if len(s.Sentences) < 2 {
				t.Fatalf("got %d sentences", len(s.Sentences))
			}
			signing, conv := 0, 0
			docsUsed := map[int]bool{}
			for _, x := range s.Sentences {
				if statesSigning(x.Text) {
					signing++
					if len(x.Also) == 0 {
						t.Errorf("the signing, told by all three reports, lists no other report: %+v", x)
					}
				}
				for k, o := range x.Also {
					if o == x.Doc || o < 0 || o >= len(docs) || k > 0 && o <= x.Also[k-1] {
						t.Errorf("bad Also %v for doc %d", x.Also, x.Doc)
					}
				}
				if statesConversion(x.Text) {
					conv++
				}
				if x.Doc < 0 || x.Doc >= len(docs) {
					t.Fatalf("Doc %d out of range", x.Doc)
				}
				docsUsed[x.Doc] = true
				if !strings.Contains(docs[x.Doc].Text, x.Text) {
					t.Errorf("sentence not traceable to doc %d: %q", x.Doc, x.Text)
				}
			}
			if signing != 1 {
				t.Errorf("the signing is stated %d times, want once:\n%s", signing, s.Text())
			}
			if conv > 1 {
				t.Errorf("the memorandum of understanding is stated %d times, want at most once:\n%s", conv, s.Text())
			}
			if len(docsUsed) < 2 {
				t.Errorf("summary draws on %d report(s), want >= 2", len(docsUsed))
			}
			for _, bad := range []string{"Rudaw Net", "minutes ago", "Hashtags", "Comments", "A+ A-", "Also in Iraq"} {
				if strings.Contains(s.Text(), bad) {
					t.Errorf("furniture %q in summary", bad)
				}
			}
			for i := 1; i < len(s.Sentences); i++ {
				a, b := s.Sentences[i-1], s.Sentences[i]
				if a.Doc > b.Doc || a.Doc == b.Doc && a.Index >= b.Index {
					t.Errorf("sentences not grouped by document in order")
				}
			}
		})
	}
}

func TestSummarizeManyDuplicates(t *testing.T) {
	a := Document{Text: sampleArticle, Source: "a"}
	b := Document{Text: sampleArticle, Source: "b"}
	s, err := SummarizeMany([]Document{a, b}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, x := range s.Sentences {
		if seen[x.Text] {
			t.Errorf("sentence stated twice: %q", x.Text)
		}
		seen[x.Text] = true
	}
	if len(s.Sentences) != 3 {
		t.Errorf("got %d sentences, want 3", len(s.Sentences))
	}
}

func TestSummarizeManyEmpty(t *testing.T) {
	for _, docs := range [][]Document{nil, {}, {{Text: ""}, {Text: "  "}}} {
		if _, err := SummarizeMany(docs, Options{}); !errors.Is(err, ErrEmpty) {
			t.Errorf("SummarizeMany(%v) error = %v, want ErrEmpty", docs, err)
		}
	}
	s, err := SummarizeMany([]Document{{Text: ""}, {Text: sampleArticle}}, Options{Sentences: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range s.Sentences {
		if x.Doc != 1 {
			t.Errorf("Doc = %d, want 1", x.Doc)
		}
	}
}
