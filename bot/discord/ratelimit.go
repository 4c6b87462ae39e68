package discord

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// route names one REST route for rate limiting: the route template and its
// major parameter (channel id, or webhook id and token), which Discord uses
// to key its buckets.
type route struct {
	name  string // e.g. "POST /channels/{c}/messages"
	major string // e.g. the channel id
}

// bucket is what the last response told us about one bucket.
type bucket struct {
	remaining int
	reset     time.Time
}

// limiter tracks Discord's rate-limit buckets from the X-RateLimit-* response
// headers: routes that share an X-RateLimit-Bucket hash share one bucket per
// major parameter, and a global 429 pauses every route. It never sleeps; it
// only says how long to wait.
type limiter struct {
	mu      sync.Mutex
	hashes  map[string]string  // route name → bucket hash
	buckets map[string]*bucket // bucket key → state
	global  time.Time          // no request before this
	now     func() time.Time
}

func newLimiter() *limiter {
	return &limiter{hashes: map[string]string{}, buckets: map[string]*bucket{}, now: time.Now}
}

// maxBuckets bounds the limiter's memory; stale buckets are dropped first.
const maxBuckets = 4096

func (l *limiter) key(r route) string {
	if h, ok := l.hashes[r.name]; ok {
		return h + "|" + r.major
	}
	return r.name + "|" + r.major
}

// delay reports how long a request on r must wait, and reserves one request
// from the bucket when it may go now.
func (l *limiter) delay(r route) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Before(l.global) {
		return l.global.Sub(now)
	}
	b, ok := l.buckets[l.key(r)]
	if !ok {
		return 0
	}
	if !now.Before(b.reset) {
		delete(l.buckets, l.key(r))
		return 0
	}
	if b.remaining <= 0 {
		return b.reset.Sub(now)
	}
	b.remaining--
	return 0
}

// update records the rate-limit headers of a response on r.
func (l *limiter) update(r route, h http.Header) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if hash := h.Get("X-RateLimit-Bucket"); hash != "" && len(hash) <= 64 {
		if len(l.hashes) >= maxBuckets {
			clear(l.hashes)
		}
		l.hashes[r.name] = hash
	}
	rem, errRem := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	after, errAfter := parseSeconds(h.Get("X-RateLimit-Reset-After"))
	if errRem != nil || errAfter != nil {
		return
	}
	if len(l.buckets) >= maxBuckets {
		l.prune()
	}
	l.buckets[l.key(r)] = &bucket{remaining: rem, reset: l.now().Add(after)}
}

// limited records a 429 on r that asked us to wait d.
func (l *limiter) limited(r route, d time.Duration, global bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until := l.now().Add(d)
	if global {
		if until.After(l.global) {
			l.global = until
		}
		return
	}
	if len(l.buckets) >= maxBuckets {
		l.prune()
	}
	l.buckets[l.key(r)] = &bucket{remaining: 0, reset: until}
}

// prune drops expired buckets, or all of them if none has expired.
func (l *limiter) prune() {
	now := l.now()
	for k, b := range l.buckets {
		if !now.Before(b.reset) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}

// parseSeconds parses a non-negative float number of seconds, as Discord
// sends in retry_after and X-RateLimit-Reset-After. It caps at one day.
func parseSeconds(s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, err
	}
	return secondsToDuration(f), nil
}

func secondsToDuration(f float64) time.Duration {
	if math.IsNaN(f) || f <= 0 {
		return 0
	}
	if f > 86400 {
		f = 86400
	}
	return time.Duration(f * float64(time.Second))
}
