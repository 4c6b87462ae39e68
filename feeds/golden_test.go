package feeds

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goldenFeeds are testdata feeds whose parsed form is kept in
// testdata/<name>.golden.json (regenerate with -update and review the diff).
var goldenFeeds = []struct{ file, contentType string }{
	{"arabic_windows-1256.xml", ""},
	{"arabic_windows-1256_undeclared.xml", "text/xml; charset=ISO-8859-1"},
	{"persian_windows-1256_header.xml", "text/xml; charset=windows-1256"},
	{"kurdish_utf8_declared-latin1.xml", ""},
	{"utf16le_bom.xml", ""},
}

// goldenFeed is the JSON form of a Parse result.
type goldenFeed struct {
	Title string        `json:"title"`
	TTL   time.Duration `json:"ttl"`
	Items []Item        `json:"items"`
}

func TestParseGolden(t *testing.T) {
	for _, g := range goldenFeeds {
		t.Run(g.file, func(t *testing.T) {
			title, items, ttl, err := Parse(readFixture(t, g.file), g.contentType, "https://news.example.org/feed")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got, err := json.MarshalIndent(goldenFeed{title, ttl, items}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", strings.TrimSuffix(g.file, filepath.Ext(g.file))+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden (run with -update): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%s) differs from %s:\n%s", g.file, path, got)
			}
		})
	}
}
