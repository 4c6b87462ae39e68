// Package feeds fetches and parses news feeds and article pages for sitrep.
//
// It owns everything between a feed URL and a list of normalised items:
//
//   - Fetcher.Fetch: a conditional GET (If-None-Match / If-Modified-Since),
//     gzip and deflate decoded by us so Options.MaxBody caps the decoded
//     size, a per-request timeout that covers the body, a redirect cap with
//     loop detection, Retry-After on 429/503, a per-host concurrency limit,
//     and (unless Options.AllowPrivate) a net.Dialer.Control guard that
//     refuses non-public addresses after DNS resolution, on every hop.
//   - Parse: charset handling before gofeed sees the bytes (BOM, UTF-16
//     without BOM, valid UTF-8 kept whatever the label says, XML
//     declaration, HTTP charset, then detection among windows-125x and
//     ISO-8859-7; a latin-1 label is overruled when the bytes read clearly
//     as Arabic, Hebrew, Cyrillic or Greek), raw gzip bodies gunzipped,
//     expanding/external DTD entities refused, HTML stripped to text, and
//     items given stable keys (see Item.Key) and returned oldest first.
//   - ExtractArticle / Fetcher.FetchArticle: the main text of a page
//     (go-readability), ErrNotArticle for stubs and index pages.
//   - Fetcher.Discover, CanonicalURL, Backoff, ReadOPML / WriteOPML.
//
// Nothing here panics on bad input: every failure is an error for that
// feed or page only. Errors wrap the sentinels (ErrPrivateAddress,
// ErrTooLarge, ErrNotAFeed, ErrNotArticle, …) and *StatusError.
package feeds
