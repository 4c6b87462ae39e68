package feeds

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestOutletName(t *testing.T) {
	tests := []struct {
		title, site, feed, want string
	}{
		{"Al Jazeera – Breaking News, World News and Video from Al Jazeera", "https://www.aljazeera.com", "", "Al Jazeera"},
		{"World News - Breaking international news and headlines | Sky News", "https://news.sky.com/world", "", "Sky News"},
		{"World News - Breaking News, Top Stories", "https://www.huffpost.com/section/world-news", "", "huffpost.com"},
		{"www.arab48.com: Rss", "https://www.arab48.com/rss", "", "arab48.com"},
		{"World news | The Guardian", "https://www.theguardian.com/world", "", "The Guardian"},
		{"NYT > World News", "https://www.nytimes.com/section/world", "", "NYT"},
		{"BBC News - Middle East", "https://www.bbc.co.uk/news/world/middle_east", "", "BBC News"},
		{"Reuters: World News", "http://www.reuters.com", "", "Reuters"},
		{"Jornal de Notícias - Últimas Notícias", "http://www.jn.pt", "", "Jornal de Notícias"},
		{"Flux RSS du magazine de psychologie Le Cercle Psy", "https://le-cercle-psy.scienceshumaines.com/rss", "", "Le Cercle Psy"},
		// The feed's own host stands in for a missing site link.
		{"Daily Sabah - Mideast", "", "https://www.dailysabah.com/rss/mideast", "Daily Sabah"},
		// No host to compare with: the first part that is not generic.
		{"Google Alert - Slack", "", "", "Google Alert"},
		{"Rss | World News", "", "https://feeds.example-outlet.org/world.xml", "example-outlet.org"},
		// A single name-like title on a loopback host is kept.
		{"abna24", "http://127.0.0.1/abna24", "", "abna24"},
		{"", "https://www.tehrantimes.com/", "", "tehrantimes.com"},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		if got := OutletName(tt.title, tt.site, tt.feed); got != tt.want {
			t.Errorf("OutletName(%q, %q, %q) = %q, want %q", tt.title, tt.site, tt.feed, got, tt.want)
		}
	}
}

// uncleanName matches what a clean outlet name never carries: title
// separators, feed words, tagline words, a "www." host.
var uncleanName = regexp.MustCompile(`(?i)\s[-–—|>:»]\s|\s\|\s|:\s|\brss\b|\bfeed\b|breaking|top stories|headlines|^www\.|^https?:`)

// TestOutletNamesCorpus names every real outlet of the shared corpus and
// the labelled set as a feed configured without a name would be named:
// each gets a short clean name, and the well-known ones the expected one.
func TestOutletNamesCorpus(t *testing.T) {
	dirs := []string{
		filepath.Join(corpusDir, "feeds", "regional"),
		filepath.Join(corpusDir, "feeds", "multilingual"),
		filepath.Join(corpusDir, "labelled", "feeds"),
	}
	want := map[string]string{
		"regional/aljazeera-en-all_2026-08-13.xml":  "Al Jazeera",
		"regional/aljazeera-america_2016-02-26.xml": "Al Jazeera America",
		"regional/arab48-ar_2026-10-03_excerpt.xml": "arab48.com",
		"regional/bbc-news-world_2026-08-13.xml":    "BBC News",
		"regional/huffpost-world_2019-06-30.xml":    "huffpost.com",
		"regional/mehrnews-en_2026-08-13.xml":       "Mehr News Agency",
		"regional/reuters-worldnews_2018-01-30.xml": "Reuters",
		"regional/guardian-us_2018-01-31.rss":       "The Guardian",
		"feeds/aljazeera_en.xml":                    "Al Jazeera",
		"feeds/skynews_world.xml":                   "Sky News",
		"feeds/guardian_world.xml":                  "The Guardian",
		"feeds/nyt_world.xml":                       "NYT",
		"feeds/bbc_mideast.xml":                     "BBC News",
		"feeds/dailysabah.xml":                      "Daily Sabah",
		"feeds/polsat_swiat.xml":                    "Polsat News",
		"feeds/interia_zagranica.xml":               "Wydarzenia Interia",
		"feeds/newarab.xml":                         "The New Arab",
		"feeds/tehrantimes.xml":                     "Tehran Times",
		"feeds/timesofisrael.xml":                   "The Times of Israel",
	}
	seen := 0
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*"))
		if err != nil || len(files) == 0 {
			t.Logf("skipping %s: not available", dir)
			continue
		}
		for _, p := range files {
			key := filepath.Base(dir) + "/" + filepath.Base(p)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			title, site, _, _, err := parseFeed(b, "", "", DefaultMaxBody)
			if err != nil {
				t.Errorf("%s: %v", key, err)
				continue
			}
			seen++
			// The feed URL of a configured feed served from a file server.
			name := OutletName(title, site, "http://127.0.0.1:8080/"+filepath.Base(p))
			t.Logf("%-45s %q → %q", key, title, name)
			if name == "" || utf8.RuneCountInString(name) > 40 || uncleanName.MatchString(name) {
				t.Errorf("%s: title %q (site %q) named %q, not a clean outlet name", key, title, site, name)
			}
			if w, ok := want[key]; ok && name != w {
				t.Errorf("%s: named %q, want %q", key, name, w)
			}
		}
	}
	if seen == 0 {
		t.Skip("corpus not available")
	}
}

func TestTitleParts(t *testing.T) {
	got := strings.Join(titleParts("  Al Jazeera –  Breaking | News: x  "), "/")
	if got != "Al Jazeera/Breaking/News/x" {
		t.Errorf("titleParts = %q", got)
	}
}
