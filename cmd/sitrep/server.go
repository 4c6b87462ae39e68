package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// httpTimeouts bound every connection sitrep's HTTP listeners accept, so a
// client that trickles its headers or body, or never reads the answer,
// cannot hold a descriptor for long.
type httpTimeouts struct {
	ReadHeader time.Duration // request line and headers
	Read       time.Duration // the whole request, body included
	Write      time.Duration // from the end of the headers to the end of the answer
	Idle       time.Duration // a kept-alive connection between requests
	// Scrape bounds producing one /metrics answer (it counts in the
	// database); a slower scrape gets a 503 instead of a cut connection.
	Scrape time.Duration
}

// defaultHTTPTimeouts fit what the endpoints do: Slack and Discord send
// bodies of a few KiB at once and want an answer within 3 s; health
// checks and scrapes are small. Tests shorten them.
var defaultHTTPTimeouts = httpTimeouts{
	ReadHeader: 5 * time.Second,
	Read:       10 * time.Second,
	Write:      20 * time.Second,
	Idle:       60 * time.Second,
	Scrape:     10 * time.Second,
}

// maxHeaderBytes caps request headers (Go's default is 1 MiB).
const maxHeaderBytes = 64 << 10

// newHTTPServer returns a server for h with the timeouts t, logging its
// connection errors through log.
func newHTTPServer(h http.Handler, t httpTimeouts, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// httpHandlers builds the main handler (slash commands and interactions,
// health, and /metrics unless it has a listener of its own) and, when
// metricsApart, the handler of the metrics listener.
func httpHandlers(a *app, ad adapters, t httpTimeouts, metricsApart bool) (main, metrics http.Handler) {
	mux := http.NewServeMux()
	ad.routes(mux)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		pctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.store.Ping(pctx); err != nil {
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	scrape := http.TimeoutHandler(promhttp.HandlerFor(a.metrics.reg, promhttp.HandlerOpts{
		// Scrapes wait for each other rather than pile up on the database.
		MaxRequestsInFlight: 4,
	}), t.Scrape, "metrics scrape timed out\n")
	if !metricsApart {
		mux.Handle("GET /metrics", scrape)
		return mux, nil
	}
	mmux := http.NewServeMux()
	mmux.Handle("GET /metrics", scrape)
	mmux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	return mux, mmux
}

// httpListeners are the running HTTP servers.
type httpListeners struct {
	servers []*http.Server
}

// startHTTP listens on cfg's addresses and serves a's endpoints until
// shutdown: the main listener, and the metrics listener when
// http.metrics_listen is set. It logs the addresses it listens on.
func startHTTP(a *app, ad adapters, t httpTimeouts) (*httpListeners, []net.Addr, error) {
	apart := a.cfg.HTTP.MetricsListen != ""
	main, metrics := httpHandlers(a, ad, t, apart)
	type plan struct {
		addr string
		h    http.Handler
	}
	plans := []plan{{a.cfg.HTTP.Listen, main}}
	if apart {
		plans = append(plans, plan{a.cfg.HTTP.MetricsListen, metrics})
	}
	var lns []net.Listener
	for _, p := range plans {
		ln, err := net.Listen("tcp", p.addr)
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return nil, nil, fmt.Errorf("run: listen %s: %w", p.addr, err)
		}
		lns = append(lns, ln)
	}
	hl := &httpListeners{}
	var addrs []net.Addr
	for i, ln := range lns {
		srv := newHTTPServer(plans[i].h, t, a.log)
		hl.servers = append(hl.servers, srv)
		addrs = append(addrs, ln.Addr())
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.log.Error("http server", slog.String("addr", ln.Addr().String()), slog.Any("error", err))
			}
		}()
	}
	return hl, addrs, nil
}

// shutdown stops every server, letting requests in flight finish until ctx ends.
func (hl *httpListeners) shutdown(ctx context.Context) {
	for _, s := range hl.servers {
		s.Shutdown(ctx)
	}
}

// close stops every server at once.
func (hl *httpListeners) close() {
	for _, s := range hl.servers {
		s.Close()
	}
}
