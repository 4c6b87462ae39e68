package main

import (
	"context"
	"crypto/ed25519"
	crand "crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	discordadapter "github.com/sitrep-bot/sitrep/bot/discord"
	"github.com/sitrep-bot/sitrep/internal/chatfake"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/store/sqlite"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// sitrepBinary builds the command once per test run.
func sitrepBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sitrep-e2e-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "sitrep")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// places give the synthetic events distinct locations, so each is its own story.
var places = []struct{ town, province, country string }{
	{"Amedi", "Duhok", "Iraq"}, {"Sinjar", "Nineveh", "Iraq"}, {"Kirkuk", "Kirkuk", "Iraq"}, {"Tuz Khurmatu", "Salahuddin", "Iraq"},
	{"Khanaqin", "Diyala", "Iraq"}, {"Qaim", "Anbar", "Iraq"}, {"Basra", "Basra", "Iraq"}, {"Halabja", "Halabja", "Iraq"},
	{"Piranshahr", "West Azerbaijan", "Iran"}, {"Marivan", "Kurdistan province", "Iran"}, {"Zahedan", "Sistan and Baluchestan", "Iran"},
	{"Ahvaz", "Khuzestan", "Iran"}, {"Raqqa", "Raqqa", "Syria"}, {"Deir ez-Zor", "Deir ez-Zor", "Syria"}, {"Idlib", "Idlib", "Syria"},
	{"Qamishli", "Hasakah", "Syria"}, {"Daraa", "Daraa", "Syria"}, {"Hakkari", "Hakkari", "Turkey"}, {"Sirnak", "Sirnak", "Turkey"},
	{"Diyarbakir", "Diyarbakir", "Turkey"}, {"Marib", "Marib", "Yemen"}, {"Taiz", "Taiz", "Yemen"}, {"Hodeidah", "Hodeidah", "Yemen"},
	{"Aden", "Aden", "Yemen"}, {"Saada", "Saada", "Yemen"}, {"Tyre", "South Governorate", "Lebanon"}, {"Baalbek", "Baalbek-Hermel", "Lebanon"},
	{"Jenin", "Jenin", "Palestine"}, {"Irbid", "Irbid", "Jordan"}, {"Arish", "North Sinai", "Egypt"}, {"Najran", "Najran", "Saudi Arabia"},
	{"Jazan", "Jazan", "Saudi Arabia"}, {"Fujairah", "Fujairah", "United Arab Emirates"}, {"Duqm", "Al Wusta", "Oman"},
	{"Zakho", "Duhok", "Iraq"}, {"Sulaymaniyah", "Sulaymaniyah", "Iraq"}, {"Erbil", "Erbil", "Iraq"}, {"Mosul", "Nineveh", "Iraq"},
	{"Bushehr", "Bushehr", "Iran"}, {"Kobani", "Aleppo", "Syria"},
}

var events = []string{
	"A drone strike killed %[1]d people near %[2]s in %[3]s province, %[4]s, local officials said on %[5]s.",
	"Security forces arrested %[1]d suspected militants in a raid near %[2]s in %[3]s province, %[4]s, on %[5]s.",
	"A roadside bomb wounded %[1]d soldiers on a patrol outside %[2]s in %[3]s province, %[4]s, on %[5]s.",
	"Border guards seized %[1]d trucks of smuggled weapons at a crossing near %[2]s, %[3]s province, %[4]s, on %[5]s.",
}

var days = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// storyFeeds serves two outlets: "alpha" with 40 distinct events and
// "bravo" re-reporting 6 of them in other words (threaded updates). Bravo's
// reports appear once bravoLive reports true (nil: from the start).
func storyFeeds(t *testing.T, onPoll func(path string), bravoLive func() bool) *httptest.Server {
	t.Helper()
	var base string
	now := time.Now().UTC()
	item := func(id, title, text string, age time.Duration) string {
		return fmt.Sprintf("<item><title>%s</title><link>%s/%s</link><guid isPermaLink=\"false\">%s</guid><pubDate>%s</pubDate><description>%s</description></item>",
			title, base, id, id, now.Add(-age).Format(time.RFC1123Z), text)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		onPoll(r.URL.Path)
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>`)
		switch r.URL.Path {
		case "/alpha.xml":
			b.WriteString("<title>Alpha News</title>")
			for i, p := range places {
				ev := events[i%len(events)]
				n := 2 + i%7
				text := fmt.Sprintf(ev, n, p.town, p.province, p.country, days[i%7]) +
					fmt.Sprintf(" The incident in %s was the first of its kind there this year, residents of %s said.", p.town, p.town)
				title := fmt.Sprintf("%s: %s", p.town, strings.SplitN(fmt.Sprintf(ev, n, p.town, p.province, p.country, days[i%7]), ",", 2)[0])
				b.WriteString(item(fmt.Sprintf("alpha-%d", i), title, text, time.Duration(i+1)*time.Minute))
			}
		case "/bravo.xml":
			b.WriteString("<title>Bravo Wire</title>")
			for i := 0; i < len(places) && (bravoLive == nil || bravoLive()); i += 7 {
				p := places[i]
				ev := events[i%len(events)]
				n := 2 + i%7
				text := "Officials confirmed: " + fmt.Sprintf(ev, n, p.town, p.province, p.country, days[i%7]) +
					fmt.Sprintf(" Residents of %s described the aftermath to Bravo Wire.", p.town)
				title := fmt.Sprintf("%s incident in %s province: officials confirm %d", p.town, p.province, n)
				b.WriteString(item(fmt.Sprintf("bravo-%d", i), title, text, 30*time.Second))
			}
		default:
			http.NotFound(w, r)
			return
		}
		b.WriteString("</channel></rss>")
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, b.String())
	}))
	base = srv.URL
	t.Cleanup(srv.Close)
	return srv
}

// e2eConfig writes a configuration for sitrep run against the fakes.
func e2eConfig(t *testing.T, dir, database, schedule, feedsURL string, slack *chatfake.Slack, discord *chatfake.Discord) string {
	t.Helper()
	path, _ := e2eConfigKey(t, dir, database, schedule, feedsURL, slack, discord, "")
	return path
}

// e2eConfigKey is e2eConfig with extra subscription lines, returning the
// Discord application's private key for signing interactions.
func e2eConfigKey(t *testing.T, dir, database, schedule, feedsURL string, slack *chatfake.Slack, discord *chatfake.Discord, subs string) (string, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`database: %q
http: {listen: "127.0.0.1:0"}
network: {allow_private: true}
defaults: {schedule: %q, article: never, backfill: 48h, poll_lease: 3s}
delivery: {rollup_after: 0, lease: 6s, batch: 3}
log: {format: json, level: info}
feeds:
  - {url: %q}
  - {url: %q}
subscriptions:
  - {platform: slack, channel: C0ALL}
  - {platform: discord, channel: "222000000000000000"}
%s
slack: {bot_token: "xoxb-e2e-secret-token", signing_secret: "e2e-signing-secret", api_url: %q}
discord: {token: "discord-e2e-secret-token", application_id: "123456", public_key: %q, api_url: %q, guild_ids: ["555"]}
`, database, schedule, feedsURL+"/alpha.xml", feedsURL+"/bravo.xml", subs, slack.URL(), hex.EncodeToString(pub), discord.URL())
	path := filepath.Join(dir, "sitrep.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, priv
}

// proc is one running sitrep process.
type proc struct {
	t    *testing.T
	cmd  *exec.Cmd
	done chan error
}

type syncBuilder struct {
	mu sync.Mutex
	strings.Builder
}

func (b *syncBuilder) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Builder.Write(p)
}

func startSitrep(t *testing.T, cfg string, logs *syncBuilder) *proc {
	t.Helper()
	cmd := exec.Command(sitrepBinary(t), "run", "--config", cfg)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			if err := cmd.Process.Kill(); err != nil {
				t.Logf("kill sitrep: %v", err)
			}
			t.Logf("sitrep stopped at cleanup: %v", <-p.done)
		}
	})
	return p
}

func (p *proc) kill() {
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		p.t.Logf("kill sitrep: %v", err)
	}
	p.t.Logf("sitrep killed: %v", <-p.done)
}

// stop sends SIGTERM; the process must still be running to get it.
func (p *proc) stop() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Errorf("SIGTERM to sitrep: %v", err)
	}
}

// waitDrained waits until the outbox has no pending deliveries and at
// least min deliveries were sent.
func waitDrained(t *testing.T, st store.Store, min int, timeout time.Duration) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		pending, err1 := st.Deliveries(ctx, store.StatusPending, 10000)
		sent, err2 := st.Deliveries(ctx, store.StatusSent, 10000)
		if err1 == nil && err2 == nil && len(pending) == 0 && len(sent) >= min {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	pending, err := st.Deliveries(ctx, store.StatusPending, 10000)
	if err != nil {
		t.Fatal(err)
	}
	t.Fatalf("outbox not drained after %v: %d pending", timeout, len(pending))
}

// checkOnce verifies nothing was lost or duplicated: every sent delivery
// reached its platform exactly once, and each story has one root per channel.
func checkOnce(t *testing.T, st store.Store, slack *chatfake.Slack, discord *chatfake.Discord, wantStories int) (int, int) {
	t.Helper()
	ctx := context.Background()
	all, err := st.Deliveries(ctx, "", 100000)
	if err != nil {
		t.Fatal(err)
	}
	stories, err := st.Stories(ctx, store.StoryFilter{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) < wantStories {
		t.Errorf("got %d stories, want at least %d", len(stories), wantStories)
	}
	sentSlack, sentDiscord := map[string]store.Delivery{}, map[string]store.Delivery{}
	for _, d := range all {
		switch d.Status {
		case store.StatusPending, store.StatusFailed:
			t.Errorf("delivery %d (%s %s) is %s: %s", d.ID, d.Platform, d.Kind, d.Status, d.LastError)
		case store.StatusSent:
			key := fmt.Sprint(d.ID)
			if d.Platform == "slack" {
				sentSlack[key] = d
			} else {
				sentDiscord[key] = d
			}
		}
	}
	// Slack: count by the delivery id carried in message metadata.
	seen := map[string]int{}
	roots := map[string]int{}
	for _, m := range slack.Messages() {
		id := fmt.Sprint(m.Payload["delivery_id"])
		seen[id]++
		if m.ThreadTS == "" {
			roots[fmt.Sprint(m.Payload["story_id"])]++
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("slack: delivery %s posted %d times", id, n)
		}
		if _, ok := sentSlack[id]; !ok {
			t.Errorf("slack: message for delivery %s that the store does not count as sent", id)
		}
	}
	for id := range sentSlack {
		if seen[id] == 0 {
			t.Errorf("slack: delivery %s recorded as sent but never posted", id)
		}
	}
	for _, s := range stories {
		if roots[s.ID] != 1 {
			t.Errorf("slack: story %s has %d root posts, want 1", s.ID, roots[s.ID])
		}
	}
	// Discord: count by nonce.
	dseen := map[string]int{}
	byNonce := map[string]string{}
	for id := range sentDiscord {
		var n int64
		if _, err := fmt.Sscan(id, &n); err != nil {
			t.Fatalf("delivery id %q: %v", id, err)
		}
		byNonce[discordadapter.Nonce(n)] = id
	}
	for _, m := range discord.Messages() {
		id, ok := byNonce[m.Nonce]
		if !ok {
			t.Errorf("discord: message with nonce %q that the store does not count as sent", m.Nonce)
			continue
		}
		dseen[id]++
	}
	for id, n := range dseen {
		if n > 1 {
			t.Errorf("discord: delivery %s posted %d times", id, n)
		}
	}
	for id := range sentDiscord {
		if dseen[id] != 1 {
			t.Errorf("discord: delivery %s recorded as sent, posted %d times", id, dseen[id])
		}
	}
	if len(sentSlack) < wantStories || len(sentDiscord) < wantStories {
		t.Errorf("sent %d slack and %d discord deliveries, want at least %d each", len(sentSlack), len(sentDiscord), wantStories)
	}
	return len(sentSlack), len(sentDiscord)
}

// crashSeed picks the kill moments of TestCrashRecovery. It is fixed by
// default so a failure replays; set it with -crash.seed=N or
// SITREP_CRASH_SEED=N (0: a new seed from the clock, logged).
var crashSeed = flag.Uint64("crash.seed", 1, "random seed of TestCrashRecovery's kill moments (0: from the clock)")

// crashRecoverySeed returns the seed to use: the environment's, else the flag's.
func crashRecoverySeed(t *testing.T) uint64 {
	t.Helper()
	seed := *crashSeed
	if v := os.Getenv("SITREP_CRASH_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("SITREP_CRASH_SEED=%q: %v", v, err)
		}
		seed = n
	}
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	return seed
}

// TestCrashRecovery kills `sitrep run` with SIGKILL at random moments while
// it posts, restarts it, and checks that nothing is lost or posted twice.
// The seed of the kill moments is logged first; replay a run with
// SITREP_CRASH_SEED=N (or -crash.seed=N).
func TestCrashRecovery(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("subprocess crash test")
	}
	slack, discord := chatfake.NewSlack(), chatfake.NewDiscord()
	defer slack.Close()
	defer discord.Close()
	slack.RateLimit("chat.postMessage", 2)
	discord.RateLimit(2)
	feedsSrv := storyFeeds(t, func(string) {}, nil)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "sitrep.db")
	cfg := e2eConfig(t, dir, "sqlite:"+dbPath, "@every 1h", feedsSrv.URL, slack, discord)
	logs := &syncBuilder{}
	seed := crashRecoverySeed(t)
	t.Logf("seed %d (replay with SITREP_CRASH_SEED=%d)", seed, seed)
	rnd := rand.New(rand.NewPCG(seed, 1))
	const kills = 8
	var at []string
	for i := 0; i < kills; i++ {
		p := startSitrep(t, cfg, logs)
		time.Sleep(time.Duration(400+rnd.IntN(2600)) * time.Millisecond)
		p.kill()
		at = append(at, fmt.Sprintf("%d/%d", len(slack.Messages()), len(discord.Messages())))
	}
	t.Logf("killed with SIGKILL after slack/discord messages: %s", strings.Join(at, " "))
	p := startSitrep(t, cfg, logs)
	st, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	waitDrained(t, st, 2*len(places), 4*time.Minute)
	start := time.Now()
	p.stop()
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("sitrep run after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("sitrep run did not stop within 10 s of SIGTERM")
	}
	stopped := time.Since(start)
	ns, nd := checkOnce(t, st, slack, discord, len(places)-2)
	t.Logf("seed %d: %d kills; %d slack and %d discord deliveries sent once each; slack 429s absorbed: %d calls for %d messages; stopped %v after SIGTERM",
		seed, kills, ns, nd, slack.Calls("chat.postMessage"), len(slack.Messages()), stopped.Round(time.Millisecond))
	if strings.Contains(logs.String(), "xoxb-e2e-secret-token") || strings.Contains(logs.String(), "discord-e2e-secret-token") {
		t.Errorf("a token appears in the logs")
	}
	if t.Failed() {
		t.Logf("logs:\n%s", tail(logs.String(), 60))
	}
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
