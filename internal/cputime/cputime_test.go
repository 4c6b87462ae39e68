package cputime

import (
	"runtime"
	"testing"
)

// The CPU time of a busy process grows.
func TestProcessGrows(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no getrusage")
	}
	before := Process()
	x := 0
	for i := range 50_000_000 {
		x ^= i * 31
	}
	_ = x
	if after := Process(); after <= before {
		t.Errorf("CPU time did not grow: %v then %v", before, after)
	}
}
