package feeds

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	if d := Backoff(0, rnd); d != 0 {
		t.Errorf("Backoff(0) = %s, want 0", d)
	}
	if d := Backoff(-3, nil); d != 0 {
		t.Errorf("Backoff(-3) = %s, want 0", d)
	}
	for failures := 1; failures <= 40; failures++ {
		full := min(BackoffBase<<min(failures-1, 20), BackoffMax)
		for range 50 {
			d := Backoff(failures, rnd)
			if d < full/2 || d > full {
				t.Fatalf("Backoff(%d) = %s, want within [%s, %s]", failures, d, full/2, full)
			}
		}
	}
	if d := Backoff(1000, nil); d > BackoffMax || d < BackoffMax/2 {
		t.Errorf("Backoff(1000) = %s, want capped at %s", d, BackoffMax)
	}
	// jitter: draws differ
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[Backoff(5, rnd)] = true
	}
	if len(seen) < 10 {
		t.Errorf("only %d distinct delays in 20 draws: no jitter", len(seen))
	}
}
