// Package feeds fetches and parses news feeds and article pages for sitrep.
//
// It owns everything between a feed URL and a list of normalised items:
// polite HTTP fetching (conditional GET, size and time limits, redirect
// limits, Retry-After, a guard against private network addresses),
// charset handling, parsing with gofeed, item identity (dedupe keys and
// canonical URLs), feed discovery, article text extraction and OPML.
//
// Nothing here panics on bad input: every failure is an error for that
// feed or page only.
package feeds
