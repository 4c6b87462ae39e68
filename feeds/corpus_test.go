package feeds

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

// corpusDir is the shared corpus, relative to this package.
const corpusDir = "../../shared/corpus"

// corpusFeeds returns the feed files of the shared corpus, skipping the test
// when the corpus is missing.
func corpusFeeds(t testing.TB) []string {
	t.Helper()
	root := filepath.Join(corpusDir, "feeds")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("corpus missing: %v", err)
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk corpus: %v", err)
	}
	return files
}

// TestCorpusFeeds ingests every corpus feed without panicking and records
// what came out; the cases plain gofeed fails on are checked.
func TestCorpusFeeds(t *testing.T) {
	files := corpusFeeds(t)
	ok, total, bareOK, bareTotal := 0, 0, 0, 0
	for _, p := range files {
		name := strings.TrimPrefix(p, filepath.Join(corpusDir, "feeds")+"/")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if feed, err := gofeed.NewParser().Parse(bytes.NewReader(b)); err == nil {
				bareOK++
				bareTotal += len(feed.Items)
			} else {
				t.Logf("gofeed alone: %v", err)
			}
			title, items, ttl, err := Parse(b, "", "https://example.org/feed")
			if err != nil {
				t.Logf("error: %v", err)
				return
			}
			ok++
			total += len(items)
			t.Logf("title=%q items=%d ttl=%s", title, len(items), ttl)
			for i, it := range items {
				if !utf8.ValidString(it.Title) || !utf8.ValidString(it.Content) {
					t.Errorf("item %d: invalid UTF-8", i)
				}
				if it.Key == "" {
					t.Errorf("item %d: empty key", i)
				}
				if i < 2 {
					t.Logf("  key=%q url=%q title=%q teaser=%v published=%s content=%.80q",
						it.Key, it.URL, it.Title, it.Teaser, it.Published.Format("2006-01-02"), it.Content)
				}
			}
		})
	}
	t.Logf("corpus: %d of %d feeds parsed, %d items (gofeed alone: %d feeds, %d items)", ok, len(files), total, bareOK, bareTotal)
	if ok < bareOK {
		t.Errorf("Parse handled fewer feeds (%d) than gofeed alone (%d)", ok, bareOK)
	}
}

// TestCorpusMisdeclaredTitles checks feed titles that gofeed alone garbles.
func TestCorpusMisdeclaredTitles(t *testing.T) {
	corpusFeeds(t)
	for file, want := range map[string]string{
		"encodings/miniflux_utf8-body_declared-iso-8859-1.xml":      "테스트 피드",
		"encodings/miniflux_windows-1252-body_incorrect-prolog.xml": "Euro €",
		"regional/bbc-urdu_utf8.xml":                                "BBC News اردو - پاکستان کے لیے امریکی امداد کی بہار و خزاں",
	} {
		b, err := os.ReadFile(filepath.Join(corpusDir, "feeds", file))
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		title, _, _, err := Parse(b, "", "")
		if err != nil || title != want {
			t.Errorf("%s: title %q, err %v; want %q", file, title, err, want)
		}
	}
}

// TestCorpusGoogleAlertsUnwrapped checks every Google Alerts link is unwrapped.
func TestCorpusGoogleAlertsUnwrapped(t *testing.T) {
	corpusFeeds(t)
	b, err := os.ReadFile(filepath.Join(corpusDir, "feeds", "formats", "google-alerts_atom.xml"))
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	_, items, _, err := Parse(b, "", "")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	for _, it := range items {
		if strings.Contains(it.URL, "google.com/url") || strings.Contains(it.Title, "<b>") {
			t.Errorf("not unwrapped/stripped: %q %q", it.URL, it.Title)
		}
	}
}

// TestCorpusFixedCases checks the corpus feeds plain gofeed fails on or
// garbles, and that we fix.
func TestCorpusFixedCases(t *testing.T) {
	corpusFeeds(t)
	tests := []struct {
		file      string
		minItems  int
		wantInAny string // text some title or content must contain
	}{
		{"encodings/cerclepsy_iso-8859-1_no-xml-declaration.xml", 1, "é"},
		{"encodings/feedparser_utf-16le-bom.xml", 0, ""},
		{"malformed/nshipster_gzip-bytes-served-as-xml.xml", 1, ""},
		{"malformed/uol-noticias_no-prolog_cdata-links.rss", 1, "ç"},
		{"encodings/miniflux_utf8-body_declared-iso-8859-1.xml", 1, "Café"},
		{"encodings/feedparser_windows-1255_hebrew_undeclared.xml", 1, "\u05d0"},
		{"encodings/oren-ru_windows-1251.xml", 5, "и"},
		{"regional/bbc-urdu_utf8.xml", 20, "پاکستان"},
		{"regional/arab48-ar_2026-10-03_excerpt.xml", 6, "الحوثي"},
		{"formats/google-alerts_atom.xml", 20, "Slack"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(corpusDir, "feeds", tt.file))
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			title, items, _, err := Parse(b, "", "")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !utf8.ValidString(title) || strings.Contains(title, "\uFFFD") {
				t.Errorf("feed title %q", title)
			}
			if len(items) < tt.minItems {
				t.Fatalf("got %d items, want at least %d", len(items), tt.minItems)
			}
			if tt.wantInAny == "" {
				return
			}
			for _, it := range items {
				if strings.Contains(it.Title, tt.wantInAny) || strings.Contains(it.Content, tt.wantInAny) {
					return
				}
			}
			t.Errorf("no item contains %q; first title %q", tt.wantInAny, items[0].Title)
		})
	}
}
