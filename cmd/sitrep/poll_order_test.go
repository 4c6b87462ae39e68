package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPollOnceFeedListOrder runs `poll --once` on the eleven labelled outlets' real feeds (served
// from ../shared/corpus/labelled/feeds on loopback; skipped when missing) with the feed list in
// its order and reversed: the stories, read from the JSON lines, must be the same (issue 14).
func TestPollOnceFeedListOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: polls 11 real feeds twice")
	}
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "labelled", "feeds")
	names, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil || len(names) == 0 {
		t.Skipf("labelled feeds not available: %v", err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	var urls []string
	for _, n := range names {
		urls = append(urls, srv.URL+"/"+filepath.Base(n))
	}
	slices.Sort(urls)
	partition := func(urls []string) []string {
		t.Helper()
		tmp := t.TempDir()
		var b strings.Builder
		fmt.Fprintf(&b, "database: sqlite:%s\nnetwork: {allow_private: true}\ndefaults: {article: never}\nfeeds:\n", filepath.Join(tmp, "db.sqlite"))
		for _, u := range urls {
			fmt.Fprintf(&b, "  - {url: %q, name: %q}\n", u, filepath.Base(u))
		}
		cfg := filepath.Join(tmp, "sitrep.yaml")
		if err := os.WriteFile(cfg, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCmd(t, "", "poll", "--once", "--json", "--config", cfg)
		if code != 0 {
			t.Fatalf("poll exit %d: %s", code, errOut)
		}
		groups := map[string][]string{}
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			var it itemJSON
			if err := json.Unmarshal([]byte(l), &it); err != nil {
				t.Fatalf("line %q: %v", l, err)
			}
			groups[it.Story] = append(groups[it.Story], it.Source+"|"+it.ID)
		}
		var parts []string
		for _, g := range groups {
			slices.Sort(g)
			parts = append(parts, strings.Join(g, " "))
		}
		slices.Sort(parts)
		return parts
	}
	want := partition(urls)
	rev := slices.Clone(urls)
	slices.Reverse(rev)
	if got := partition(rev); !slices.Equal(got, want) {
		n := 0
		for _, g := range got {
			if !slices.Contains(want, g) {
				n++
			}
		}
		t.Errorf("feed list reversed: %d stories, in order: %d; %d stories differ", len(got), len(want), n)
	}
	t.Logf("%d stories", len(want))
}
