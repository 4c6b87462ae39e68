package feeds

import (
	"testing"
	"time"
)

func TestParseLooseDate(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"1764158400", time.Unix(1764158400, 0).UTC()},
		{"1764158400000", time.UnixMilli(1764158400000).UTC()},
		{"03 Apr 02 1500 GMT", time.Date(2002, 4, 3, 15, 0, 0, 0, time.UTC)},
		{"2026-11-25 08:30:00", time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC)},
		{"12", time.Time{}},                  // not a timestamp
		{"2036-01-01 00:00:00", time.Time{}}, // far future
		{"yesterday", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		if got := parseLooseDate(tt.in, now); !got.Equal(tt.want) {
			t.Errorf("parseLooseDate(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
