// Package clip shortens text for display: the one truncation rule for
// summaries, replies and logs (platform limits that count other units,
// such as Discord's UTF-16 lengths, have their own).
package clip

// Runes shortens s to at most n runes, marking a cut with a final "…"
// (which counts toward n). n <= 0 gives "".
func Runes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	count := 0
	for i := range s {
		if count == n {
			return cut(s, i, n)
		}
		count++
	}
	return s
}

// Prefix returns s's first n runes, unmarked (a key, not display text).
func Prefix(s string, n int) string {
	count := 0
	for i := range s {
		if count == n {
			return s[:i]
		}
		count++
	}
	return s
}

// cut returns s, known to have more than n runes with rune n starting at
// byte end, cut to n-1 runes and "…" (or to n runes when n is 1).
func cut(s string, end, n int) string {
	if n == 1 {
		return s[:end]
	}
	last := 0
	for i := range s[:end] {
		last = i
	}
	return s[:last] + "…"
}
