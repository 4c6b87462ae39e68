//go:build unix

// Package cputime reports the CPU time the process has used, which benchmarks print beside wall
// time: other load on a shared machine inflates wall time, not the process's own CPU time.
package cputime

import (
	"syscall"
	"time"
)

// Process returns the user+system CPU time this process has used so far (0 where unknown).
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
