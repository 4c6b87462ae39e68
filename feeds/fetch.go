package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/sitrep-bot/sitrep/internal/redact"
)

// Defaults for Options fields left zero.
const (
	DefaultTimeout      = 20 * time.Second
	DefaultMaxRedirects = 5
	DefaultPerHost      = 2
)

// maxRetryAfter caps a server's Retry-After hint.
const maxRetryAfter = 24 * time.Hour

// feedAccept is the Accept header of feed requests.
const feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"

// htmlAccept is the Accept header of article requests.
const htmlAccept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

// Request names a feed to fetch and the validators of the last fetch.
type Request struct {
	URL          string
	ETag         string // sent as If-None-Match
	LastModified string // sent as If-Modified-Since
}

// Result is the outcome of one feed fetch.
type Result struct {
	NotModified  bool   // 304, or a 200 whose ETag equals Request.ETag; Items is empty
	Status       int    // HTTP status of the final response
	FinalURL     string // URL after redirects
	FeedTitle    string
	SiteURL      string // the site the feed links to, "" when it names none
	Items        []Item // oldest first
	ETag         string // validators to store for the next request
	LastModified string
	RetryAfter   time.Duration // from Retry-After on 429/503 (also returned with an error)
	TTL          time.Duration // from <ttl> / Cache-Control max-age, 0 when absent
}

// Options configure a Fetcher. Zero values select the defaults.
type Options struct {
	UserAgent    string        // default "sitrep/<version> (+https://github.com/sitrep-bot/sitrep)"
	Timeout      time.Duration // per request including the body, default 20s
	MaxBody      int64         // after decompression, default 10 MiB
	MaxRedirects int           // default 5; negative: follow none
	// AllowPrivate false refuses loopback, private, link-local, CGNAT,
	// unspecified and multicast addresses at dial time.
	AllowPrivate bool
	PerHost      int // concurrent requests per host (host:port), default 2
	Logger       *slog.Logger
}

// Fetcher fetches feeds and pages with the limits of its Options.
// It is safe for concurrent use.
type Fetcher struct {
	opt    Options
	client *http.Client
	log    *slog.Logger

	mu    sync.Mutex
	hosts map[string]*hostSlot
}

// hostSlot limits concurrent requests to one host.
type hostSlot struct {
	sem   chan struct{}
	users int
}

// defaultUserAgent names sitrep and its version.
func defaultUserAgent() string {
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "sitrep/" + v + " (+https://github.com/sitrep-bot/sitrep)"
}

// NewFetcher returns a Fetcher with opt's limits.
func NewFetcher(opt Options) *Fetcher {
	return newFetcher(opt, isNonPublic)
}

// newFetcher is NewFetcher with the predicate of refused addresses (used
// when opt.AllowPrivate is false); tests substitute it.
func newFetcher(opt Options, refuse func(netip.Addr) bool) *Fetcher {
	if opt.UserAgent == "" {
		opt.UserAgent = defaultUserAgent()
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = DefaultMaxBody
	}
	if opt.MaxRedirects == 0 {
		opt.MaxRedirects = DefaultMaxRedirects
	}
	if opt.PerHost <= 0 {
		opt.PerHost = DefaultPerHost
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dialer := &net.Dialer{Timeout: min(10*time.Second, opt.Timeout), KeepAlive: 30 * time.Second}
	if !opt.AllowPrivate {
		dialer.Control = guardControl(refuse)
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would bypass the address guard
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   min(10*time.Second, opt.Timeout),
		ResponseHeaderTimeout: opt.Timeout,
		IdleConnTimeout:       30 * time.Second,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   max(opt.PerHost, 2),
		DisableCompression:    true, // we decode ourselves so the cap counts decoded bytes
	}
	f := &Fetcher{opt: opt, log: log, hosts: make(map[string]*hostSlot)}
	f.client = &http.Client{Transport: tr, CheckRedirect: f.checkRedirect}
	return f
}

// checkRedirect caps redirect chains, detects loops and keeps to http(s).
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if f.opt.MaxRedirects < 0 || len(via) > f.opt.MaxRedirects {
		return fmt.Errorf("%w (%d)", ErrTooManyRedirects, len(via))
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("redirect to unsupported scheme %q", req.URL.Scheme)
	}
	next := req.URL.String()
	for _, v := range via {
		if v.URL.String() == next {
			return fmt.Errorf("%w: %s", ErrRedirectLoop, next)
		}
	}
	return nil
}

// acquire waits for a request slot on host.
func (f *Fetcher) acquire(ctx context.Context, host string) (release func(), err error) {
	f.mu.Lock()
	s := f.hosts[host]
	if s == nil {
		s = &hostSlot{sem: make(chan struct{}, f.opt.PerHost)}
		f.hosts[host] = s
	}
	s.users++
	f.mu.Unlock()
	done := func() {
		f.mu.Lock()
		s.users--
		if s.users == 0 {
			delete(f.hosts, host)
		}
		f.mu.Unlock()
	}
	select {
	case s.sem <- struct{}{}:
		return func() { <-s.sem; done() }, nil
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
}

// response is a finished HTTP exchange with its (decoded, capped) body.
type response struct {
	status   int
	header   http.Header
	finalURL string
	body     []byte
}

// get performs one guarded GET and reads the body within the limits.
// Non-2xx statuses other than 304 are returned as response with a nil body.
func (f *Fetcher) get(ctx context.Context, rawURL, accept string, hdr map[string]string) (*response, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("parse url: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("unsupported url %q", rawURL)
	}
	ctx, cancel := context.WithTimeout(ctx, f.opt.Timeout)
	defer cancel()
	release, err := f.acquire(ctx, strings.ToLower(u.Host))
	if err != nil {
		return nil, fmt.Errorf("wait for host slot: %w", err)
	}
	defer release()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("new request: %w", err)
	}
	req.Header.Set("User-Agent", f.opt.UserAgent)
	req.Header.Set("Accept", accept)
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	for k, v := range hdr {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	resp, err := f.client.Do(req)
	if err != nil {
		logRefused(f.log, u.String(), err)
		// The client's error quotes the URL (and a redirect's); it ends up in
		// logs, the store's last error and chat.
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = redact.URL(ue.URL)
		}
		return nil, err
	}
	defer resp.Body.Close()
	r := &response{status: resp.StatusCode, header: resp.Header, finalURL: resp.Request.URL.String()}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// drain a little so the connection can be reused
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		return r, nil
	}
	r.body, err = readBody(resp, f.opt.MaxBody)
	if err != nil {
		return r, err
	}
	return r, nil
}

// Fetch performs a conditional GET of req.URL and parses the feed.
// A 304 (or a 200 with an unchanged ETag) gives Result.NotModified.
// Other non-2xx responses give a *StatusError (with RetryAfter on 429/503).
func (f *Fetcher) Fetch(ctx context.Context, req Request) (Result, error) {
	start := time.Now()
	resp, err := f.get(ctx, req.URL, feedAccept, map[string]string{
		"If-None-Match":     req.ETag,
		"If-Modified-Since": req.LastModified,
	})
	if err != nil {
		res := Result{}
		if resp != nil {
			res.Status, res.FinalURL = resp.status, resp.finalURL
		}
		f.log.Debug("feeds: fetch failed", slog.String("feed_url", redact.URL(req.URL)), slog.String("error", err.Error()))
		return res, fmt.Errorf("feeds: fetch %s: %w", redact.URL(req.URL), err)
	}
	res := Result{
		Status:       resp.status,
		FinalURL:     resp.finalURL,
		ETag:         resp.header.Get("ETag"),
		LastModified: resp.header.Get("Last-Modified"),
		TTL:          maxAge(resp.header.Get("Cache-Control")),
	}
	switch {
	case resp.status == http.StatusNotModified:
		res.NotModified = true
		if res.ETag == "" {
			res.ETag = req.ETag
		}
		if res.LastModified == "" {
			res.LastModified = req.LastModified
		}
		return res, nil
	case resp.status == http.StatusTooManyRequests || resp.status == http.StatusServiceUnavailable:
		res.RetryAfter = retryAfter(resp.header.Get("Retry-After"), time.Now())
		return res, fmt.Errorf("feeds: fetch %s: %w", redact.URL(req.URL), &StatusError{Code: resp.status, RetryAfter: res.RetryAfter})
	case resp.status < 200 || resp.status > 299:
		return res, fmt.Errorf("feeds: fetch %s: %w", redact.URL(req.URL), &StatusError{Code: resp.status})
	}
	if req.ETag != "" && res.ETag == req.ETag {
		res.NotModified = true
		return res, nil
	}
	title, site, items, ttl, err := parseFeed(resp.body, resp.header.Get("Content-Type"), res.FinalURL, f.opt.MaxBody)
	if err != nil {
		f.log.Debug("feeds: parse failed", slog.String("feed_url", redact.URL(req.URL)), slog.String("error", err.Error()))
		return res, fmt.Errorf("feeds: fetch %s: %w", redact.URL(req.URL), err)
	}
	res.FeedTitle, res.SiteURL, res.Items = title, site, items
	res.TTL = max(res.TTL, ttl)
	f.log.Debug("feeds: fetched", slog.String("feed_url", redact.URL(req.URL)), slog.Int("status", res.Status),
		slog.Int("bytes", len(resp.body)), slog.Int("items", len(items)),
		slog.Int64("duration_ms", time.Since(start).Milliseconds()))
	return res, nil
}

// retryAfter parses a Retry-After value: delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := parseUint(v); err == nil {
		d = time.Duration(min(n, uint64(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now).Round(time.Second)
	}
	return min(max(d, 0), maxRetryAfter)
}

// maxAge returns the max-age of a Cache-Control value (0 when absent).
func maxAge(cc string) time.Duration {
	for _, part := range strings.Split(cc, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "max-age") {
			continue
		}
		n, err := parseUint(strings.Trim(strings.TrimSpace(v), `"`))
		if err != nil {
			return 0
		}
		return min(time.Duration(min(n, uint64(maxTTL/time.Second)))*time.Second, maxTTL)
	}
	return 0
}

// parseUint parses a decimal without sign, saturating instead of overflowing.
func parseUint(s string) (uint64, error) {
	if s == "" {
		return 0, errors.New("empty")
	}
	var n uint64
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, errors.New("not a number")
		}
		if n > 1<<40 {
			continue // saturate
		}
		n = n*10 + uint64(c-'0')
	}
	return n, nil
}
