package feeds

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestOPMLRoundTrip(t *testing.T) {
	in := []OPMLFeed{
		{Title: "Rudaw English", URL: "https://www.rudaw.net/rss/english", HTMLURL: "https://www.rudaw.net/english"},
		{Title: "عرب 48", URL: "https://www.arab48.com/rss", HTMLURL: ""},
		{Title: `Quotes "&" <angles>`, URL: "https://example.org/feed?a=1&b=2", HTMLURL: "https://example.org/"},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "sitrep feeds", in); err != nil {
		t.Fatalf("WriteOPML: %v", err)
	}
	if !strings.Contains(buf.String(), `<opml version="2.0">`) || !strings.Contains(buf.String(), "<title>sitrep feeds</title>") {
		t.Errorf("not an OPML 2.0 document:\n%s", buf.String())
	}
	out, err := ReadOPML(&buf)
	if err != nil {
		t.Fatalf("ReadOPML: %v", err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", out, in)
	}
}

func TestReadOPMLNestedAndOdd(t *testing.T) {
	doc := `<?xml version="1.0" encoding="ISO-8859-1"?>
<!-- exported by some reader -->
<opml version="1.0">
<head><title>Subscriptions</title></head>
<body>
  <outline text="Iraq">
    <outline text="Rudaw" type="rss" xmlUrl="https://www.rudaw.net/rss" htmlUrl="https://www.rudaw.net/"/>
    <outline text="Nested deeper">
      <outline title="Shafaq" text="ignored" type="rss" XMLURL="https://shafaq.com/en/rss"/>
    </outline>
  </outline>
  <outline text="Duplicate" xmlUrl="https://www.rudaw.net/rss"/>
  <outline text="Caf` + "\xe9" + `" xmlUrl="https://cafe.example/rss"/>
  <outline text="just a folder"/>
</body>
</opml>`
	got, err := ReadOPML(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("ReadOPML: %v", err)
	}
	want := []OPMLFeed{
		{Title: "Rudaw", URL: "https://www.rudaw.net/rss", HTMLURL: "https://www.rudaw.net/"},
		{Title: "Shafaq", URL: "https://shafaq.com/en/rss"},
		{Title: "Café", URL: "https://cafe.example/rss"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestReadOPMLRejects(t *testing.T) {
	tests := []struct {
		name, doc string
		want      error
	}{
		{"not opml", `<rss><channel/></rss>`, nil},
		{"empty", ``, nil},
		{"external entity", `<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml><body><outline xmlUrl="&x;"/></body></opml>`, ErrEntityDeclaration},
		{"too deep", "<opml><body>" + strings.Repeat("<outline>", 100) + "</body></opml>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadOPML(strings.NewReader(tt.doc))
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
