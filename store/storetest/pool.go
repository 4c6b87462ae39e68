package storetest

import (
	"database/sql"
	"sync/atomic"
	"time"
)

// PeakConns samples the open connections of db (a *sql.DB, or a store that reports its pool's
// stats) every interval until the returned stop is called; stop returns the most it saw.
func PeakConns(db interface{ Stats() sql.DBStats }, every time.Duration) (stop func() int) {
	var peak atomic.Int64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if n := int64(db.Stats().OpenConnections); n > peak.Load() {
				peak.Store(n)
			}
			select {
			case <-done:
				return
			case <-time.After(every):
			}
		}
	}()
	return func() int {
		close(done)
		<-sampled
		return int(peak.Load())
	}
}
