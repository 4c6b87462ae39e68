package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sitrep-bot/sitrep/internal/cputime"

	"github.com/mmcdole/gofeed"
	"github.com/sitrep-bot/sitrep/config"
	"github.com/sitrep-bot/sitrep/store"
)

// cmdBench measures the poll pipeline against a bare fetch + parse of the
// same loopback feeds, in one process, and prints the ratios.
func cmdBench(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "poll" {
		return fmt.Errorf("%w: bench poll [--feeds N] [--items N]", errUsage)
	}
	fs := newFlags("bench poll", e)
	nFeeds := fs.Int("feeds", 400, "loopback feeds to serve")
	nItems := fs.Int("items", 25, "items per feed")
	workers := fs.Int("workers", 16, "concurrent fetches (both runs)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the first run's sitrep poll to this file")
	memProfile := fs.String("memprofile", "", "write a profile of the allocations of the first run's sitrep poll to this file")
	runs := fs.Int("runs", 3, "runs (bare, then sitrep on a fresh database); medians are reported")
	floor := fs.String("floor", "same", `bare side: "same" (gofeed and connections set up as sitrep's fetcher) or "defaults" (gofeed's default parser and Go's default client, the floor before 2026-12: it HTML-parses every item for an image and reconnects all but two workers)`)
	if _, err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *floor != "same" && *floor != "defaults" {
		return fmt.Errorf("%w: --floor same|defaults", errUsage)
	}
	srv, base, err := benchServer(*nFeeds, *nItems)
	if err != nil {
		return err
	}
	defer srv.Close()
	urls := make([]string, *nFeeds)
	for i := range urls {
		urls[i] = fmt.Sprintf("%s/feed/%d.xml", base, i)
	}
	fmt.Fprintf(e.stdout, "bench poll: %d loopback feeds × %d items, %d workers, GOMAXPROCS=%d\n", *nFeeds, *nItems, *workers, runtime.GOMAXPROCS(0))

	var bares, fulls, repolls, ratios, cpuRatios []float64
	for run := 1; run <= *runs; run++ {
		// Baseline: concurrent fetch + gofeed parse, nothing else. Each
		// side starts from a collected heap, so neither pays for the
		// other's garbage.
		runtime.GC()
		cpu0, start := cputime.Process(), time.Now()
		items, err := bareFetchParse(ctx, urls, *workers, *floor == "same")
		if err != nil {
			return err
		}
		bare, bareCPU := time.Since(start), cputime.Process()-cpu0
		full, fullCPU, repoll, n, nStories, err := benchPipeline(ctx, urls, *workers, e, run == 1, profiles{cpu: *cpuProfile, mem: *memProfile})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "run %d: bare fetch+parse %.3fs cpu %.3fs (%d items) | sitrep first poll %.3fs cpu %.3fs (%d new items, %d stories) | all-304 repoll %.3fs | ratio %.2f×, cpu %.2f×\n",
			run, bare.Seconds(), bareCPU.Seconds(), items, full.Seconds(), fullCPU.Seconds(), n, nStories, repoll.Seconds(),
			full.Seconds()/bare.Seconds(), fullCPU.Seconds()/bareCPU.Seconds())
		bares = append(bares, bare.Seconds())
		fulls = append(fulls, full.Seconds())
		repolls = append(repolls, repoll.Seconds())
		ratios = append(ratios, full.Seconds()/bare.Seconds())
		cpuRatios = append(cpuRatios, fullCPU.Seconds()/bareCPU.Seconds())
	}
	fmt.Fprintf(e.stdout, "median of %d: bare %.3fs, first poll %.3fs, all-304 repoll %.3fs; ratio first poll / bare %.2f× (runs %.2f–%.2f×), cpu %.2f×; all-304 repoll / bare %.2f×; peak RSS %s\n",
		*runs, median(bares), median(fulls), median(repolls), median(ratios), slices.Min(ratios), slices.Max(ratios),
		median(cpuRatios), median(repolls)/median(bares), peakRSS())
	return nil
}

// profiles names the files to write profiles of the first poll to ("": none).
type profiles struct{ cpu, mem string }

// benchPipeline runs sitrep's first poll (wall and process CPU time) and
// an all-304 repoll of urls into a fresh database, and counts what it stored.
func benchPipeline(ctx context.Context, urls []string, workers int, e env, first bool, prof profiles) (full, fullCPU, repoll time.Duration, n, nStories int, err error) {
	dir, err := os.MkdirTemp("", "sitrep-bench-")
	if err != nil {
		return 0, 0, 0, 0, 0, err
	}
	defer os.RemoveAll(dir)
	cfg := config.Default()
	cfg.Database = "sqlite:" + filepath.Join(dir, "bench.db")
	cfg.Network.AllowPrivate = true
	cfg.Network.PerHost = workers // every bench feed is on one loopback host
	cfg.Defaults.Article = "never"
	for _, u := range urls {
		cfg.Feeds = append(cfg.Feeds, config.Feed{URL: u})
	}
	log := newLogger(config.Config{Log: config.Log{Format: "text", Level: "error"}}, e.stderr)
	a, err := newApp(ctx, cfg, log, false)
	if err != nil {
		return 0, 0, 0, 0, 0, err
	}
	defer a.close()
	if first && prof.cpu != "" {
		f, err := os.Create(prof.cpu)
		if err != nil {
			return 0, 0, 0, 0, 0, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return 0, 0, 0, 0, 0, err
		}
		defer pprof.StopCPUProfile()
	}
	if first && prof.mem != "" {
		// Sample the poll's allocations finely, and only those.
		defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
		runtime.GC()
		runtime.MemProfileRate = 4096
	}
	runtime.GC()
	cpu0, start := cputime.Process(), time.Now()
	n, _, err = pollOnce(ctx, a, nil, io.Discard, false)
	if err != nil {
		return 0, 0, 0, 0, 0, err
	}
	full, fullCPU = time.Since(start), cputime.Process()-cpu0
	if first && prof.cpu != "" {
		pprof.StopCPUProfile() // the profile is of the timed poll, not of the reads and repoll below
	}
	if first && prof.mem != "" {
		if err := writeAllocs(prof.mem); err != nil {
			return 0, 0, 0, 0, 0, err
		}
	}
	stories, err := a.store.Stories(ctx, store.StoryFilter{Limit: 1 << 20})
	if err != nil {
		return 0, 0, 0, 0, 0, err
	}
	start = time.Now()
	if _, _, err := pollOnce(ctx, a, nil, io.Discard, false); err != nil {
		return 0, 0, 0, 0, 0, err
	}
	return full, fullCPU, time.Since(start), n, len(stories), nil
}

// writeAllocs writes the allocation profile to path.
func writeAllocs(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// bareFetchParse is the floor: fetch every feed concurrently and parse it
// with gofeed. With same, both are set up as sitrep's fetcher does, so the
// floor does no work sitrep skips: connections to the one bench host are
// kept for every worker (Go's default transport keeps two and reconnects
// the rest), and gofeed does not HTML-parse each item to look for an image.
func bareFetchParse(ctx context.Context, urls []string, workers int, same bool) (int, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if same {
		tr.MaxIdleConnsPerHost = max(workers, 2)
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Timeout: 20 * time.Second, Transport: tr}
	var (
		mu    sync.Mutex
		total int
		first error
		wg    sync.WaitGroup
	)
	sem := make(chan struct{}, workers)
	for _, u := range urls {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			resp, err := client.Do(req)
			if err == nil {
				fp := gofeed.NewParser()
				if same {
					fp.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
				}
				var f *gofeed.Feed
				f, err = fp.Parse(resp.Body)
				resp.Body.Close()
				if err == nil {
					mu.Lock()
					total += len(f.Items)
					mu.Unlock()
				}
			}
			if err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return total, first
}

// benchServer serves n synthetic feeds of m items with ETags (so a repoll is all 304).
func benchServer(n, m int) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	base := "http://" + ln.Addr().String()
	bodies := make([]string, n)
	now := time.Now().UTC()
	for i := range bodies {
		bodies[i] = benchFeed(base, i, m, now)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed/{name}", func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.PathValue("name"), "%d.xml", &i); err != nil || i < 0 || i >= n {
			http.NotFound(w, r)
			return
		}
		etag := fmt.Sprintf(`"f%d"`, i)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		io.WriteString(w, bodies[i])
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	return srv, base, nil
}

var (
	benchActors  = []string{"Security forces", "Border guards", "Militants", "A drone", "Rebel fighters", "Police", "The army", "Protesters", "Coalition aircraft", "Unidentified gunmen"}
	benchActs    = []string{"attacked a checkpoint", "seized a weapons shipment", "clashed with fighters", "struck a convoy", "arrested suspects", "shelled a village", "blocked a highway", "raided a compound", "intercepted a boat", "stormed a prison"}
	benchPlaces  = []string{"Kirkuk", "Mosul", "Erbil", "Duhok", "Sulaymaniyah", "Basra", "Raqqa", "Idlib", "Aleppo", "Deir ez-Zor", "Hakkari", "Sirnak", "Marib", "Taiz", "Hodeidah", "Aden", "Tyre", "Zahedan", "Ahvaz", "Piranshahr"}
	benchDays    = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	benchDetails = []string{"Officials said the death toll could rise.", "Witnesses described heavy gunfire for several hours.", "The interior ministry said an investigation had been opened.", "No group immediately claimed responsibility.", "Local hospitals received several wounded people.", "The incident follows weeks of rising tension in the area.", "Residents said electricity and water were cut.", "A curfew was imposed in parts of the city."}
)

func benchFeed(base string, feed, items int, now time.Time) string {
	rnd := rand.New(rand.NewPCG(uint64(feed), 99))
	var b strings.Builder
	w := bufio.NewWriter(&b)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench Outlet %d</title><link>%s/</link>`, feed, base)
	for j := 0; j < items; j++ {
		actor, act := benchActors[rnd.IntN(len(benchActors))], benchActs[rnd.IntN(len(benchActs))]
		place := benchPlaces[rnd.IntN(len(benchPlaces))]
		n := 2 + rnd.IntN(40)
		title := fmt.Sprintf("%s %s near %s, %d reported hurt", actor, act, place, n)
		var text strings.Builder
		fmt.Fprintf(&text, "%s %s near %s on %s, officials said, and %d people were reported hurt. ", actor, act, place, benchDays[rnd.IntN(7)], n)
		for k := 0; k < 5; k++ {
			text.WriteString(benchDetails[rnd.IntN(len(benchDetails))])
			text.WriteString(" ")
		}
		fmt.Fprintf(w, `<item><title>%s</title><link>%s/a/%d/%d?utm_source=rss</link><guid isPermaLink="false">b-%d-%d</guid><pubDate>%s</pubDate><description><![CDATA[<p>%s</p>]]></description></item>`,
			title, base, feed, j, feed, j, now.Add(-time.Duration(rnd.IntN(600))*time.Minute).Format(time.RFC1123Z), text.String())
	}
	w.WriteString(`</channel></rss>`)
	w.Flush()
	return b.String()
}

// peakRSS reads the process's peak resident set size from /proc (Linux).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "n/a"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "n/a"
}
