//go:build unix

package summarize_test

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time used by this process so far. Benchmarks report
// it beside wall time because wall time is inflated when the machine is shared.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
