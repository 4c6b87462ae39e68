package feeds

import (
	"math/rand/v2"
	"time"
)

// Backoff limits.
const (
	BackoffBase = time.Minute
	BackoffMax  = 6 * time.Hour
)

// Backoff returns how long to wait before polling a feed again after
// failures consecutive failures: BackoffBase doubled per failure, capped at
// BackoffMax, with "equal jitter" (a uniform draw in [d/2, d]) so feeds that
// failed together spread out. failures <= 0 gives 0. rnd may be nil (the
// global source is used then).
func Backoff(failures int, rnd *rand.Rand) time.Duration {
	if failures <= 0 {
		return 0
	}
	d := BackoffMax
	if failures <= 20 { // 2^20 minutes is far past the cap
		d = min(BackoffBase<<(failures-1), BackoffMax)
	}
	half := d / 2
	var j int64
	if rnd != nil {
		j = rnd.Int64N(int64(half) + 1)
	} else {
		j = rand.Int64N(int64(half) + 1)
	}
	return half + time.Duration(j)
}
