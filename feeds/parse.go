package feeds

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"
)

// DefaultMaxBody is the default cap on a body after decompression.
const DefaultMaxBody = 10 << 20

// maxTTL bounds a <ttl> or max-age hint.
const maxTTL = 7 * 24 * time.Hour

// entityDeclRe finds DTD entity declarations (see hostileDTD).
var entityDeclRe = regexp.MustCompile(`(?i)<!ENTITY`)

// Parse parses a feed document (RSS 0.9x/1.0/2.0, Atom, JSON Feed) into
// normalised items, oldest first. contentType is the HTTP Content-Type (used
// for its charset) and may be empty; baseURL resolves relative links.
// It detects the charset (BOM, UTF-16, XML declaration, HTTP header, byte
// statistics), gunzips raw gzip bytes, and refuses expanding or external DTD
// entities (ErrEntityDeclaration).
// ttl is the RSS <ttl> (0 when absent).
func Parse(body []byte, contentType, baseURL string) (title string, items []Item, ttl time.Duration, err error) {
	title, _, items, ttl, err = parseFeed(body, contentType, baseURL, DefaultMaxBody)
	if err != nil {
		return "", nil, 0, fmt.Errorf("feeds: %w", err)
	}
	return title, items, ttl, nil
}

// parseFeed is Parse with an explicit cap for gunzipped bodies; it also
// returns the site the feed links to (its channel link), absolute.
func parseFeed(body []byte, contentType, baseURL string, maxBody int64) (title, site string, items []Item, ttl time.Duration, err error) {
	defer func() {
		// gofeed is third-party code fed hostile input: never let it crash us.
		if r := recover(); r != nil {
			title, site, items, ttl = "", "", nil, 0
			err = fmt.Errorf("parse: parser panic: %v", r)
		}
	}()
	if isGzip(body) {
		body, err = gunzipBytes(body, maxBody)
		if err != nil {
			return "", "", nil, 0, fmt.Errorf("parse: %w", err)
		}
	}
	doc, err := prepareFeedBytes(body, contentType)
	if err != nil {
		return "", "", nil, 0, fmt.Errorf("parse: %w", err)
	}
	fp := gofeed.NewParser()
	fp.KeepOriginalFeed = true
	// Items carry no image, so skip the translator's fallback that runs a
	// full HTML parse of every item's content and description to find one.
	fp.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	feed, err := fp.Parse(bytes.NewReader(doc))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return "", "", nil, 0, fmt.Errorf("parse: %w", ErrNotAFeed)
		}
		return "", "", nil, 0, fmt.Errorf("parse: %w", err)
	}
	base := baseURL
	if base == "" {
		base = feed.Link
	}
	items = make([]Item, 0, len(feed.Items))
	for _, gi := range feed.Items {
		if gi == nil {
			continue
		}
		items = append(items, convertItem(gi, base))
	}
	orderOldestFirst(items)
	assignKeys(items)
	items = dedupeKeys(items)
	if rf, ok := feed.OriginalFeed().(*rss.Feed); ok && rf != nil {
		if n, err := strconv.Atoi(strings.TrimSpace(rf.TTL)); err == nil && n > 0 {
			ttl = min(time.Duration(n)*time.Minute, maxTTL)
		}
	}
	return inlineText(feed.Title), resolveURL(baseURL, strings.TrimSpace(feed.Link)), items, ttl, nil
}

// prepareFeedBytes converts a document to UTF-8 and refuses DTD entities.
func prepareFeedBytes(body []byte, contentType string) ([]byte, error) {
	doc, _ := toUTF8(body, contentType)
	doc = bytes.TrimLeft(doc, " \t\r\n\x00")
	if len(doc) == 0 {
		return nil, ErrNotAFeed
	}
	if doc[0] == '{' {
		return doc, nil
	}
	if doc[0] != '<' {
		return nil, ErrNotAFeed
	}
	if hostileDTD(doc) {
		return nil, ErrEntityDeclaration
	}
	return setXMLDeclUTF8(doc), nil
}

// convertItem normalises one gofeed item.
func convertItem(gi *gofeed.Item, base string) Item {
	it := Item{GUID: strings.TrimSpace(gi.GUID)}
	link := gi.Link
	if orig := extensionValue(gi, "feedburner", "origLink"); orig != "" {
		link = orig
	}
	if strings.TrimSpace(link) == "" && len(gi.Links) > 0 {
		link = gi.Links[0]
	}
	// a link inside CDATA sometimes keeps the HTML escaping of "&"
	link = strings.ReplaceAll(link, "&amp;", "&")
	if link = resolveURL(base, link); link != "" {
		it.URL = CanonicalURL(link)
	}
	it.Title = inlineText(gi.Title)
	// content:encoded (or Atom content) when it has text, else the description
	if strings.TrimSpace(gi.Content) != "" {
		it.Content = htmlToText(gi.Content)
	}
	if it.Content == "" {
		it.Content = htmlToText(gi.Description)
	}
	it.Teaser = isTeaser(it.Content)
	switch {
	case gi.Author != nil && strings.TrimSpace(gi.Author.Name) != "":
		it.Author = strings.TrimSpace(gi.Author.Name)
	case len(gi.Authors) > 0 && gi.Authors[0] != nil && gi.Authors[0].Name != "":
		it.Author = strings.TrimSpace(gi.Authors[0].Name)
	case gi.DublinCoreExt != nil && len(gi.DublinCoreExt.Creator) > 0:
		it.Author = strings.TrimSpace(gi.DublinCoreExt.Creator[0])
	}
	it.Author = inlineText(it.Author)
	switch {
	case gi.PublishedParsed != nil:
		it.Published = gi.PublishedParsed.UTC()
	case gi.UpdatedParsed != nil:
		it.Published = gi.UpdatedParsed.UTC()
	default:
		it.Published = parseLooseDate(gi.Published, time.Now())
		if it.Published.IsZero() && gi.DublinCoreExt != nil && len(gi.DublinCoreExt.Date) > 0 {
			it.Published = parseLooseDate(gi.DublinCoreExt.Date[0], time.Now())
		}
	}
	return it
}

// extensionValue returns the text of the first ns:name extension element.
func extensionValue(gi *gofeed.Item, ns, name string) string {
	m, ok := gi.Extensions[ns]
	if !ok {
		return ""
	}
	for _, e := range m[name] {
		if v := strings.TrimSpace(e.Value); v != "" {
			return v
		}
	}
	return ""
}

// orderOldestFirst sorts by publication time when every item has one;
// otherwise feeds are assumed newest first and the order is reversed.
func orderOldestFirst(items []Item) {
	slices.Reverse(items)
	for _, it := range items {
		if it.Published.IsZero() {
			return
		}
	}
	slices.SortStableFunc(items, func(a, b Item) int { return a.Published.Compare(b.Published) })
}

// isGzip reports whether b starts with the gzip magic number.
func isGzip(b []byte) bool { return len(b) >= 3 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8 }

// gunzipBytes decompresses b, failing with ErrTooLarge past maxBody bytes.
func gunzipBytes(b []byte, maxBody int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	if int64(len(out)) > maxBody {
		return nil, ErrTooLarge
	}
	return out, nil
}
