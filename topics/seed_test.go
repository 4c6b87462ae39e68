package topics

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// splitSeedPage splits ../shared/seed/news-page.txt into its four reports: the first article (top
// to "Hashtags") and each "Source / N ago / - Source / title / body" block.
func splitSeedPage(text string, now time.Time) []Doc {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var docs []Doc
	var first []string
	i := 0
	for ; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "Hashtags" {
			break
		}
		if l := strings.TrimSpace(lines[i]); l != "" {
			first = append(first, l)
		}
	}
	if len(first) > 0 {
		docs = append(docs, Doc{ID: "seed-0", Title: first[0], Text: strings.Join(first[1:], "\n"), Source: "Daily8", Published: now})
	}
	for ; i+4 < len(lines); i++ {
		src := strings.TrimSpace(lines[i])
		ago := strings.TrimSpace(lines[i+1])
		if src == "" || !strings.HasSuffix(ago, " ago") || strings.TrimSpace(lines[i+2]) != "- "+src {
			continue
		}
		docs = append(docs, Doc{
			ID:        "seed-" + strconv.Itoa(len(docs)),
			Title:     strings.TrimSpace(lines[i+3]),
			Text:      strings.TrimSpace(lines[i+4]),
			Source:    src,
			Published: now.Add(-parseAgo(ago)),
		})
		i += 4
	}
	return docs
}

func parseAgo(s string) time.Duration {
	f := strings.Fields(s)
	if len(f) < 2 {
		return 0
	}
	n, err := strconv.Atoi(f[0])
	if err != nil {
		return 0
	}
	switch {
	case strings.HasPrefix(f[1], "minute"):
		return time.Duration(n) * time.Minute
	case strings.HasPrefix(f[1], "hour"):
		return time.Duration(n) * time.Hour
	case strings.HasPrefix(f[1], "day"):
		return time.Duration(n) * 24 * time.Hour
	}
	return 0
}

func TestSeedPageStories(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "seed", "news-page.txt")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("seed page not available: %v", err)
	}
	now := time.Date(2025, 8, 20, 12, 0, 0, 0, time.UTC)
	docs := splitSeedPage(string(raw), now)
	if len(docs) != 4 {
		t.Fatalf("split seed page into %d items, want 4", len(docs))
	}
	if !strings.Contains(docs[3].Title, "de-Baathification") {
		t.Fatalf("fourth item title = %q, want the de-Baathification report", docs[3].Title)
	}
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := NewClusterer(0)
	ids := make([]string, len(docs))
	for i, d := range docs {
		tags := tg.Tag(d)
		ids[i] = c.Add(d, tags, "")
		t.Logf("%d %q regions=%v topics=%v severity=%s story=%s", i, d.Title, tags.Regions, tags.Topics, tags.Severity, ids[i])
		if i < 3 {
			for _, want := range []string{"iraq", "iran"} {
				if !slices.Contains(tags.Regions, want) {
					t.Errorf("item %d %q: regions %v lack %q", i, d.Title, tags.Regions, want)
				}
			}
		}
	}
	if ids[0] != ids[1] || ids[1] != ids[2] {
		t.Errorf("agreement reports in stories %v, want one story", ids[:3])
	}
	if ids[3] == ids[0] {
		t.Errorf("de-Baathification report joined the agreement story %s", ids[0])
	}
}
