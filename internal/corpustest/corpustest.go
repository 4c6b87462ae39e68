// Package corpustest loads the real feeds of ../shared/corpus for tests and benchmarks. A user's
// clone has no ../shared: the loaders skip the test or benchmark when the corpus is missing.
package corpustest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sitrep-bot/sitrep/feeds"
)

// Feeds parses every *.xml feed in dir (such as ../../shared/corpus/labelled/feeds from a
// package's directory) and returns each feed's items and their number; feeds that do not parse
// or have no items are left out. It skips tb when no item is found.
func Feeds(tb testing.TB, dir string) ([][]feeds.Item, int) {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil {
		tb.Fatal(err)
	}
	var all [][]feeds.Item
	n := 0
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			tb.Fatal(err)
		}
		if _, its, _, err := feeds.Parse(data, "", ""); err == nil && len(its) > 0 {
			all = append(all, its)
			n += len(its)
		}
	}
	if n == 0 {
		tb.Skipf("feed corpus not available (%s)", dir)
	}
	return all, n
}
