package feeds

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors; test for them with errors.Is.
var (
	// ErrPrivateAddress is returned when a connection would reach a loopback,
	// private, link-local, CGNAT, unspecified or multicast address while
	// Options.AllowPrivate is false.
	ErrPrivateAddress = errors.New("refusing to connect to a non-public address")
	// ErrTooLarge is returned when a body exceeds Options.MaxBody after
	// decompression.
	ErrTooLarge = errors.New("response body too large")
	// ErrNotAFeed is returned when a document is not an RSS, Atom or JSON feed.
	ErrNotAFeed = errors.New("not a feed")
	// ErrNotArticle is returned when a page holds no readable article.
	ErrNotArticle = errors.New("no article in page")
	// ErrRedirectLoop is returned when a redirect chain revisits a URL.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrTooManyRedirects is returned when a redirect chain exceeds
	// Options.MaxRedirects.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrEntityDeclaration is returned for XML documents whose DTD declares
	// expanding, external or parameter entities (billion laughs, XXE).
	ErrEntityDeclaration = errors.New("XML document declares expanding or external entities")
)

// StatusError reports a response whose status is neither 2xx nor 304.
type StatusError struct {
	Code       int
	RetryAfter time.Duration // from Retry-After on 429 and 503, else 0
}

// Error implements error.
func (e *StatusError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("http status %d (retry after %s)", e.Code, e.RetryAfter)
	}
	return fmt.Sprintf("http status %d", e.Code)
}
