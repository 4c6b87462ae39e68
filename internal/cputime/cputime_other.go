//go:build !unix

// Package cputime reports the CPU time the process has used, which benchmarks print beside wall
// time: other load on a shared machine inflates wall time, not the process's own CPU time.
package cputime

import "time"

// Process returns the user+system CPU time this process has used so far (0 where unknown).
func Process() time.Duration { return 0 }
