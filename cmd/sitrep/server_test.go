package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store/storetest"

	"github.com/sitrep-bot/sitrep/config"
	"github.com/sitrep-bot/sitrep/store/sqlite"
)

// bodyReader reads the whole body like the Slack and Discord endpoints do,
// and counts the bodies it got in full.
func bodyReader(complete *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		complete.Add(1)
		fmt.Fprintln(w, "ok")
	})
}

// trickle opens a connection to addr, sends a POST's headers and then one
// body byte every interval, and returns how long the server kept the
// connection open (until it answered or closed it), or the deadline.
func trickle(t *testing.T, addr string, interval, deadline time.Duration) time.Duration {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Error(err)
		return 0
	}
	defer conn.Close()
	start := time.Now()
	if _, err := fmt.Fprintf(conn, "POST /slack/commands HTTP/1.1\r\nHost: sitrep\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4096\r\n\r\n"); err != nil {
		t.Error(err)
		return 0
	}
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		io.Copy(io.Discard, conn) // returns when the server closes
	}()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	limit := time.After(deadline)
	for {
		select {
		case <-closed:
			return time.Since(start)
		case <-limit:
			return deadline
		case <-tick.C:
			if _, err := conn.Write([]byte("a")); err != nil {
				tick.Stop() // the server cut the connection: the reader sees it next
			}
		}
	}
}

func serveFor(t *testing.T, h http.Handler, to httpTimeouts) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(h, to, slog.New(slog.DiscardHandler))
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// TestSlowBodyCutOff: clients that send their headers and then trickle
// the body are disconnected once the read timeout passes, and never
// complete a request; a normal request on the same server is answered.
func TestSlowBodyCutOff(t *testing.T) {
	to := httpTimeouts{ReadHeader: 200 * time.Millisecond, Read: 500 * time.Millisecond, Write: time.Second,
		Idle: time.Second, Scrape: time.Second}
	var complete atomic.Int64
	addr := serveFor(t, bodyReader(&complete), to)

	const clients = 40
	var wg sync.WaitGroup
	held := make([]time.Duration, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			held[i] = trickle(t, addr, 100*time.Millisecond, 5*time.Second)
		}()
	}
	wg.Wait()
	for i, d := range held {
		if d >= 5*time.Second || d < to.Read/2 {
			t.Errorf("client %d: connection held %v, want cut off soon after the %v read timeout", i, d, to.Read)
		}
	}
	if n := complete.Load(); n != 0 {
		t.Errorf("%d trickled bodies were accepted", n)
	}
	resp, err := http.Post("http://"+addr+"/slack/commands", "text/plain", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || complete.Load() != 1 {
		t.Errorf("normal request: status %d, %d complete", resp.StatusCode, complete.Load())
	}
}

// TestSlowBodyCutOffDefaults is the finding as reported: one byte every
// 2 s, against the timeouts sitrep runs with.
func TestSlowBodyCutOffDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the production read timeout")
	}
	t.Parallel()
	var complete atomic.Int64
	addr := serveFor(t, bodyReader(&complete), defaultHTTPTimeouts)
	if d := trickle(t, addr, 2*time.Second, 3*defaultHTTPTimeouts.Read); d >= 3*defaultHTTPTimeouts.Read {
		t.Errorf("a 1 byte / 2 s body held the connection for %v", d)
	}
	if complete.Load() != 0 {
		t.Error("a trickled body was accepted")
	}
}

// TestSlowHeadersCutOff: a client trickling its headers is cut off too.
func TestSlowHeadersCutOff(t *testing.T) {
	to := httpTimeouts{ReadHeader: 300 * time.Millisecond, Read: time.Second, Write: time.Second, Idle: time.Second}
	var complete atomic.Int64
	addr := serveFor(t, bodyReader(&complete), to)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\n"); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for time.Since(start) < 3*time.Second {
			if _, err := conn.Write([]byte("X")); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	if err := conn.SetReadDeadline(time.Now().Add(3 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, bufio.NewReader(conn)); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Logf("read until the server closed: %v", err) // a reset is a close too
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("trickled headers held the connection %v", d)
	}
	conn.Close()
	<-done
}

// testApp wires an app on a fresh SQLite file, serving metrics.
func testApp(t *testing.T, mutate func(*config.Config)) *app {
	t.Helper()
	cfg := config.Default()
	cfg.Database = "sqlite:" + filepath.Join(t.TempDir(), "sitrep.db")
	if mutate != nil {
		mutate(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := newApp(context.Background(), cfg, slog.New(slog.DiscardHandler), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	return a
}

// TestMetricsListenApart: with http.metrics_listen, /metrics answers on
// its own listener only; the main listener keeps health and 404s metrics.
func TestMetricsListenApart(t *testing.T) {
	a := testApp(t, func(c *config.Config) {
		c.HTTP.Listen = "127.0.0.1:0"
		c.HTTP.MetricsListen = "127.0.0.1:0"
	})
	hl, addrs, err := startHTTP(a, adapters{}, defaultHTTPTimeouts)
	if err != nil {
		t.Fatal(err)
	}
	defer hl.close()
	if len(addrs) != 2 {
		t.Fatalf("listening on %v, want two addresses", addrs)
	}
	get := func(addr, path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	if code, _ := get(addrs[0].String(), "/metrics"); code != http.StatusNotFound {
		t.Errorf("main listener /metrics: %d, want 404", code)
	}
	if code, body := get(addrs[0].String(), "/healthz"); code != 200 || !strings.Contains(body, "ok") {
		t.Errorf("main listener /healthz: %d %q", code, body)
	}
	code, body := get(addrs[1].String(), "/metrics")
	if code != 200 {
		t.Fatalf("metrics listener /metrics: %d", code)
	}
	for _, series := range []string{"sitrep_outbox_pending 0", "sitrep_outbox_failed 0", "sitrep_feeds 0", "sitrep_feeds_failing 0", "sitrep_deliveries_total"} {
		if !strings.Contains(body, series) {
			t.Errorf("/metrics lacks %q", series)
		}
	}
	if code, _ := get(addrs[1].String(), "/slack/commands"); code != http.StatusNotFound {
		t.Errorf("metrics listener serves other paths: %d", code)
	}
}

// TestMetricsScrapesKeepPoolBounded: 1,000 concurrent GET /metrics leave
// the SQLite pool within its bound; each scrape is answered (200) or shed
// (503), never left hanging.
func TestMetricsScrapesKeepPoolBounded(t *testing.T) {
	a := testApp(t, nil)
	db, ok := a.store.(*sqlite.DB)
	if !ok {
		t.Fatalf("store is %T, want *sqlite.DB", a.store)
	}
	h, _ := httpHandlers(a, adapters{}, defaultHTTPTimeouts, false)
	stopSampling := storetest.PeakConns(db, 200*time.Microsecond)
	var wg sync.WaitGroup
	var ok200, shed, other atomic.Int64
	for range 1000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			switch rec.Code {
			case 200:
				ok200.Add(1)
			case http.StatusServiceUnavailable:
				shed.Add(1)
			default:
				other.Add(1)
			}
		}()
	}
	wg.Wait()
	peak := stopSampling()
	if p := peak; p > sqlite.MaxOpenConns {
		t.Errorf("open connections peaked at %d, bound %d", p, sqlite.MaxOpenConns)
	}
	if n := db.Stats().OpenConnections; n > sqlite.MaxOpenConns {
		t.Errorf("%d connections open after the scrapes", n)
	}
	if ok200.Load() == 0 || other.Load() != 0 {
		t.Errorf("scrapes: %d ok, %d shed, %d other", ok200.Load(), shed.Load(), other.Load())
	}
	t.Logf("scrapes: %d ok, %d shed; peak %d connections", ok200.Load(), shed.Load(), peak)
}
