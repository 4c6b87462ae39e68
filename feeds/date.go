package feeds

import (
	"strconv"
	"strings"
	"time"
)

// extraDateLayouts are date forms seen in the wild that gofeed does not parse.
var extraDateLayouts = []string{
	"02 Jan 06 1504 MST",
	"02 Jan 2006 1504 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"02.01.2006 15:04",
}

// parseLooseDate parses what gofeed left unparsed: Unix timestamps and a
// few non-standard layouts. It returns the zero time when nothing fits, and
// refuses dates before 1990 or more than two days ahead of now.
func parseLooseDate(s string, now time.Time) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	var t time.Time
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		switch {
		case n > 1e12 && n < 1e14: // milliseconds
			t = time.UnixMilli(n)
		case n > 6e8 && n < 1e11: // seconds
			t = time.Unix(n, 0)
		}
	} else {
		for _, layout := range extraDateLayouts {
			if p, err := time.Parse(layout, s); err == nil {
				t = p
				break
			}
		}
	}
	if t.IsZero() || t.Year() < 1990 || t.After(now.Add(48*time.Hour)) {
		return time.Time{}
	}
	return t.UTC()
}
