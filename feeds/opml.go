package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// OPMLFeed is one feed of an OPML subscription list.
type OPMLFeed struct {
	Title   string
	URL     string // xmlUrl
	HTMLURL string // htmlUrl
}

// maxOPMLBytes bounds an OPML document.
const maxOPMLBytes = 10 << 20

// maxOPMLDepth bounds outline nesting.
const maxOPMLDepth = 64

// ReadOPML returns the feeds (outlines with an xmlUrl, at any depth) of an
// OPML 1.0/2.0 document, in document order, each URL once.
func ReadOPML(r io.Reader) ([]OPMLFeed, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxOPMLBytes+1))
	if err != nil {
		return nil, fmt.Errorf("feeds: read opml: %w", err)
	}
	if len(b) > maxOPMLBytes {
		return nil, fmt.Errorf("feeds: read opml: %w", ErrTooLarge)
	}
	doc, _ := toUTF8(b, "")
	doc = setXMLDeclUTF8(bytes.TrimLeft(doc, " \t\r\n"))
	if hostileDTD(doc) {
		return nil, fmt.Errorf("feeds: read opml: %w", ErrEntityDeclaration)
	}
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var (
		feeds  []OPMLFeed
		seen   = map[string]bool{}
		depth  int
		inOPML bool
		inBody bool
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if inOPML && len(feeds) > 0 {
				break // keep what a truncated document gave
			}
			return nil, fmt.Errorf("feeds: read opml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxOPMLDepth {
				return nil, fmt.Errorf("feeds: read opml: outlines nested deeper than %d", maxOPMLDepth)
			}
			name := strings.ToLower(t.Name.Local)
			switch {
			case depth == 1:
				if name != "opml" {
					return nil, fmt.Errorf("feeds: read opml: root element <%s>: not OPML", t.Name.Local)
				}
				inOPML = true
			case name == "body":
				inBody = true
			case name == "outline" && inBody:
				f := outlineFeed(t.Attr)
				if f.URL != "" && !seen[f.URL] {
					seen[f.URL] = true
					feeds = append(feeds, f)
				}
			}
		case xml.EndElement:
			depth--
			if strings.EqualFold(t.Name.Local, "body") {
				inBody = false
			}
		}
	}
	if !inOPML {
		return nil, fmt.Errorf("feeds: read opml: empty document")
	}
	return feeds, nil
}

// outlineFeed reads the feed attributes of an <outline>, ignoring case.
func outlineFeed(attrs []xml.Attr) OPMLFeed {
	var f OPMLFeed
	var text string
	for _, a := range attrs {
		v := strings.TrimSpace(a.Value)
		switch strings.ToLower(a.Name.Local) {
		case "xmlurl":
			f.URL = v
		case "htmlurl":
			f.HTMLURL = v
		case "title":
			f.Title = v
		case "text":
			text = v
		}
	}
	if f.Title == "" {
		f.Title = text
	}
	return f
}

// opmlDoc is the shape WriteOPML emits.
type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Created string        `xml:"head>dateCreated"`
	Outline []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Type    string `xml:"type,attr"`
	Text    string `xml:"text,attr"`
	Title   string `xml:"title,attr,omitempty"`
	XMLURL  string `xml:"xmlUrl,attr"`
	HTMLURL string `xml:"htmlUrl,attr,omitempty"`
}

// WriteOPML writes feeds as an OPML 2.0 document titled title.
func WriteOPML(w io.Writer, title string, feeds []OPMLFeed) error {
	doc := opmlDoc{Version: "2.0", Title: title, Created: time.Now().UTC().Format(time.RFC1123Z)}
	for _, f := range feeds {
		text := f.Title
		if text == "" {
			text = f.URL
		}
		doc.Outline = append(doc.Outline, opmlOutline{Type: "rss", Text: text, Title: f.Title, XMLURL: f.URL, HTMLURL: f.HTMLURL})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("feeds: write opml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("feeds: write opml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("feeds: write opml: %w", err)
	}
	return nil
}
