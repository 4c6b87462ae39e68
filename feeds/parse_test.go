package feeds

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"
)

// firstTitleWant is a title some item must carry, verbatim.
func hasTitle(items []Item, title string) bool {
	for _, it := range items {
		if it.Title == title {
			return true
		}
	}
	return false
}

func TestParseCharsets(t *testing.T) {
	tests := []struct {
		name, file, contentType string
		wantFeedTitle           string
		wantTitle               string
	}{
		{"windows-1256 declared in prolog", "arabic_windows-1256.xml", "", "أخبار الأمن الإقليمي", "الحوثيون يعلنون استهداف سفينة تجارية في البحر الأحمر"},
		{"windows-1256 undeclared (detected)", "arabic_windows-1256_undeclared.xml", "", "أخبار الأمن الإقليمي", "العراق: اجتماع أمني في بغداد لبحث ضبط الحدود مع سوريا"},
		{"windows-1256 undeclared with misleading utf-8 header", "arabic_windows-1256_undeclared.xml", "application/rss+xml; charset=utf-8", "أخبار الأمن الإقليمي", "العراق: اجتماع أمني في بغداد لبحث ضبط الحدود مع سوريا"},
		{"windows-1256 served as ISO-8859-1 (server default)", "arabic_windows-1256_undeclared.xml", "text/xml; charset=ISO-8859-1", "أخبار الأمن الإقليمي", "العراق: اجتماع أمني في بغداد لبحث ضبط الحدود مع سوريا"},
		{"windows-1251 declared latin1 in prolog", "russian_windows-1251_latin1-prolog.xml", "", "Новости региона", "Переговоры о прекращении огня продолжатся на следующей неделе"},
		{"windows-1256 only in HTTP header (Persian)", "persian_windows-1256_header.xml", "text/xml; charset=windows-1256", "خبرگزاري نمونه", "گزارش درباره امنيت مرزهاي غربي ايران"},
		{"windows-1256 Persian undeclared (detected)", "persian_windows-1256_header.xml", "", "خبرگزاري نمونه", "گزارش درباره امنيت مرزهاي غربي ايران"},
		{"UTF-8 Kurdish declared ISO-8859-1", "kurdish_utf8_declared-latin1.xml", "text/xml; charset=iso-8859-1", "هەواڵی کوردستان", "هێزەکانی پێشمەرگە لە هەولێر کۆبوونەوەیان کرد"},
		{"ISO-8859-7 declared", "greek_iso-8859-7.xml", "", "Ειδήσεις", "Η κυβέρνηση ανακοίνωσε νέα μέτρα για τη θαλάσσια ασφάλεια"},
		{"windows-1251 undeclared (detected)", "russian_windows-1251_undeclared.xml", "", "Новости региона", "Переговоры о прекращении огня продолжатся на следующей неделе"},
		{"UTF-16LE with BOM", "utf16le_bom.xml", "", "قناة UTF-16", "هێزەکانی پێشمەرگە لە هەولێر"},
		{"UTF-16BE without BOM", "utf16be_nobom.xml", "", "قناة UTF-16", "هێزەکانی پێشمەرگە لە هەولێر"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title, items, _, err := Parse(readFixture(t, tt.file), tt.contentType, "")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if title != tt.wantFeedTitle {
				t.Errorf("feed title = %q, want %q", title, tt.wantFeedTitle)
			}
			if !hasTitle(items, tt.wantTitle) {
				var got []string
				for _, it := range items {
					got = append(got, it.Title)
				}
				t.Errorf("no item titled %q; got %q", tt.wantTitle, got)
			}
		})
	}
}

func TestParseNearlyUTF8UnderLatin1Label(t *testing.T) {
	src := readFixture(t, "kurdish_utf8_declared-latin1.xml")
	broken := bytes.Replace(src, []byte("<channel>"), []byte("<channel>\xff"), 1) // one stray byte
	title, items, _, err := Parse(broken, "text/xml; charset=iso-8859-1", "")
	if err != nil || title != "هەواڵی کوردستان" || len(items) != 1 || items[0].Title != "هێزەکانی پێشمەرگە لە هەولێر کۆبوونەوەیان کرد" {
		t.Errorf("title %q items %+v err %v", title, items, err)
	}
}

func TestParseUTF16WithoutBOMLeadingNewline(t *testing.T) {
	src := append([]byte("\n"), readSource(t, "utf16.xml")...)
	for _, enc := range []xunicode.Endianness{xunicode.LittleEndian, xunicode.BigEndian} {
		b, err := xunicode.UTF16(enc, xunicode.IgnoreBOM).NewEncoder().Bytes(src)
		if err != nil {
			t.Fatal(err)
		}
		_, items, _, err := Parse(b, "", "")
		if err != nil || len(items) != 1 || items[0].Title != "هێزەکانی پێشمەرگە لە هەولێر" {
			t.Errorf("endianness %v: items %+v, err %v", enc, items, err)
		}
	}
}

func TestParseArabicFeedFields(t *testing.T) {
	_, items, ttl, err := Parse(readFixture(t, "arabic_windows-1256.xml"), "", "https://news.example.org/ar/rss")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if ttl != 30*time.Minute {
		t.Errorf("ttl = %s, want 30m", ttl)
	}
	if len(items) != 2 {
		t.Fatalf("got %d items, want 2", len(items))
	}
	// oldest first: ar-1000 was published the day before ar-1001
	if items[0].GUID != "ar-1000" || items[1].GUID != "ar-1001" {
		t.Errorf("order = %q, %q; want ar-1000 then ar-1001", items[0].GUID, items[1].GUID)
	}
	it := items[1]
	if it.Key != "ar-1001" {
		t.Errorf("key = %q, want the guid", it.Key)
	}
	if it.URL != "https://news.example.org/ar/2026/11/houthi-ship" {
		t.Errorf("url = %q, want tracking parameters removed", it.URL)
	}
	want := "أعلنت جماعة الحوثي صباح اليوم أنها استهدفت سفينة تجارية قرب مضيق باب المندب.\n\nوقالت مصادر بحرية إن السفينة لم تصب بأضرار كبيرة وإن طاقمها بخير."
	if it.Content != want {
		t.Errorf("content = %q\nwant %q", it.Content, want)
	}
	if !it.Teaser {
		t.Errorf("short content not marked as teaser")
	}
	if wantTime := time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC); !it.Published.Equal(wantTime) {
		t.Errorf("published = %s, want %s", it.Published, wantTime)
	}
}

func TestParseGzipBytesWithoutEncoding(t *testing.T) {
	src := readFixture(t, "kurdish_utf8_declared-latin1.xml")
	_, items, _, err := Parse(gzipped(t, gzip.DefaultCompression, src), "application/xml", "")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(items) != 1 || items[0].GUID != "ckb-3001" {
		t.Fatalf("got %+v, want the one Kurdish item", items)
	}
}

func TestParseRawGzipBomb(t *testing.T) {
	parts := [][]byte{[]byte("<rss><channel><title>")}
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	for range DefaultMaxBody>>20 + 2 {
		parts = append(parts, chunk)
	}
	_, _, _, err := Parse(gzipped(t, gzip.DefaultCompression, parts...), "", "")
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

// entity and structure attacks must give an error for the feed, fast and
// without expanding anything.
func TestParseHostileXML(t *testing.T) {
	billionLaughs := `<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>`
	xxe := `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><title>&xxe;</title></item></channel></rss>`
	tests := []struct {
		name    string
		body    string
		wantErr error // nil: any error
	}{
		{"billion laughs", billionLaughs, ErrEntityDeclaration},
		{"external entity", xxe, ErrEntityDeclaration},
		{"public external entity", `<!DOCTYPE rss [<!ENTITY x PUBLIC "-//x//EN" "http://evil.example/x.dtd">]><rss><channel><title>&x;</title></channel></rss>`, ErrEntityDeclaration},
		{"parameter entity", `<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://evil.example/p.dtd"> %p;]><rss><channel><title>x</title></channel></rss>`, ErrEntityDeclaration},
		{"entity outside a subset", `<rss><channel><!ENTITY a "b"><title>x</title></channel></rss>`, ErrEntityDeclaration},
		{"truncated", `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>cut`, nil},
		{"binary garbage", "\x00\x01\x02\xff\xfe\x89PNG\r\n\x1a\n\x00\x00garbage", nil},
		{"empty", "", ErrNotAFeed},
		{"html page", "<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>", ErrNotAFeed},
		{"json not a feed", `{"hello": "world"`, nil},
		{"deep nesting", "<rss><channel>" + strings.Repeat("<x>", 100000), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title, items, _, err := Parse([]byte(tt.body), "", "")
			if err == nil {
				t.Fatalf("no error; title %q, %d items", title, len(items))
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestParseBenignDTD(t *testing.T) {
	feed := `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY nbsp "&#160;">
  <!ENTITY mdash '&#8212;'>
]>
<rss version="2.0"><channel><title>Old&nbsp;feed</title>
<item><title>Talks resume &mdash; officials</title><link>https://example.org/1</link></item>
</channel></rss>`
	title, items, _, err := Parse([]byte(feed), "", "")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if title != "Old feed" || len(items) != 1 || items[0].Title != "Talks resume — officials" {
		t.Errorf("title %q, items %+v", title, items)
	}
}

func TestParseItemNormalisation(t *testing.T) {
	feed := `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
<channel><title>Test &amp; <![CDATA[<b>Feed</b>]]></title><link>https://example.org/</link>
<item>
  <title><![CDATA[Strike on <b>convoy</b> &amp; border post]]></title>
  <link>/news/1?utm_source=x&amp;id=7#top</link>
  <dc:creator>Jane Doe</dc:creator>
  <pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate>
  <description><![CDATA[<div class="x"><p>First <a href="#">para</a>.</p><script>evil()</script><p>Second&nbsp;para.</p></div>]]></description>
</item>
<item>
  <title>Same guid one</title><guid>dup</guid><link>https://example.org/a</link>
  <pubDate>Mon, 23 Nov 2026 11:00:00 GMT</pubDate>
</item>
<item>
  <title>Same guid two</title><guid>dup</guid><link>https://example.org/b</link>
  <pubDate>Mon, 23 Nov 2026 12:00:00 GMT</pubDate>
</item>
<item>
  <title>No link, no guid</title><description>Just text.</description>
  <pubDate>Mon, 23 Nov 2026 13:00:00 GMT</pubDate>
</item>
<item>
  <title>Listed twice</title><link>https://example.org/twice</link>
  <pubDate>Mon, 23 Nov 2026 13:30:00 GMT</pubDate>
</item>
<item>
  <title>Listed twice</title><link>https://example.org/twice?utm_source=dup</link>
  <pubDate>Mon, 23 Nov 2026 13:30:00 GMT</pubDate>
</item>
<item>
  <title>CDATA link</title><link><![CDATA[https://example.org/c?x=1&amp;y=2&amp;utm_medium=rss]]></link>
  <pubDate>Mon, 23 Nov 2026 13:45:00 GMT</pubDate>
</item>
<item>
  <title>FeedBurner</title><link>http://feeds.example.net/~r/x/~3/abc/</link>
  <feedburner:origLink>https://example.org/real?feedType=RSS&amp;feedName=world</feedburner:origLink>
  <pubDate>Mon, 23 Nov 2026 14:00:00 GMT</pubDate>
</item>
</channel></rss>`
	title, items, _, err := Parse([]byte(feed), "", "https://example.org/rss.xml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if title != "Test & Feed" {
		t.Errorf("feed title = %q", title)
	}
	if len(items) != 7 {
		t.Fatalf("got %d items, want 7 (one of the two listed twice dropped)", len(items))
	}
	first := items[0]
	if first.Title != "Strike on convoy & border post" {
		t.Errorf("title = %q", first.Title)
	}
	if first.URL != "https://example.org/news/1?id=7" || first.Key != first.URL {
		t.Errorf("url = %q key = %q, want resolved canonical link as both", first.URL, first.Key)
	}
	if first.Content != "First para.\n\nSecond para." {
		t.Errorf("content = %q", first.Content)
	}
	if first.Author != "Jane Doe" {
		t.Errorf("author = %q", first.Author)
	}
	if items[1].Key != "dup|https://example.org/a" || items[2].Key != "dup|https://example.org/b" {
		t.Errorf("repeated guid keys = %q, %q", items[1].Key, items[2].Key)
	}
	if items[1].GUID != "dup" {
		t.Errorf("guid = %q, want as published", items[1].GUID)
	}
	if k := items[3].Key; !strings.HasPrefix(k, "sha256:") || len(k) != len("sha256:")+64 {
		t.Errorf("content-hash key = %q", k)
	}
	if items[3].Key != contentHashKey("No link, no guid", "Just text.") {
		t.Errorf("content-hash key does not hash title and content")
	}
	if items[4].Key != "https://example.org/twice" || items[4].Title != "Listed twice" {
		t.Errorf("item listed twice = %+v", items[4])
	}
	if items[5].URL != "https://example.org/c?x=1&y=2" {
		t.Errorf("CDATA link url = %q", items[5].URL)
	}
	if items[6].URL != "https://example.org/real" {
		t.Errorf("feedburner origLink url = %q", items[6].URL)
	}
}

func TestParseOrderWithoutDates(t *testing.T) {
	feed := `<rss version="2.0"><channel><title>t</title>
<item><title>newest</title><link>https://e.org/3</link></item>
<item><title>middle</title><link>https://e.org/2</link></item>
<item><title>oldest</title><link>https://e.org/1</link></item>
</channel></rss>`
	_, items, _, err := Parse([]byte(feed), "", "")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.Title)
	}
	if strings.Join(got, ",") != "oldest,middle,newest" {
		t.Errorf("order = %v, want oldest first", got)
	}
}

func TestParseJSONFeedAndAtom(t *testing.T) {
	jf := `{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[
 {"id":"j1","url":"https://e.org/j1?fbclid=abc","title":"<i>One</i>","content_html":"<p>Hello</p>","date_published":"2026-11-20T10:00:00Z"}]}`
	_, items, _, err := Parse([]byte(jf), "application/feed+json", "")
	if err != nil || len(items) != 1 {
		t.Fatalf("json feed: %v, %d items", err, len(items))
	}
	if items[0].Key != "j1" || items[0].URL != "https://e.org/j1" || items[0].Title != "One" || items[0].Content != "Hello" {
		t.Errorf("json item = %+v", items[0])
	}
	atomFeed := `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">A &lt;b&gt;bold&lt;/b&gt;</title>
<entry><id>tag:e.org,2026:1</id><title type="html">Alert: &lt;b&gt;Erbil&lt;/b&gt; drone</title>
<link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://news.example.com/erbil%3Futm_medium%3Demail&amp;ct=ga&amp;cd=1"/>
<updated>2026-11-20T10:00:00Z</updated><content type="html">&lt;p&gt;Drone &lt;b&gt;attack&lt;/b&gt;&lt;/p&gt;</content>
<author><name>Desk</name></author></entry></feed>`
	title, items, _, err := Parse([]byte(atomFeed), "", "")
	if err != nil || len(items) != 1 {
		t.Fatalf("atom: %v, %d items", err, len(items))
	}
	if title != "A bold" {
		t.Errorf("atom feed title = %q", title)
	}
	it := items[0]
	if it.GUID != "tag:e.org,2026:1" || it.Title != "Alert: Erbil drone" || it.URL != "https://news.example.com/erbil" || it.Content != "Drone attack" || it.Author != "Desk" {
		t.Errorf("atom item = %+v", it)
	}
}

func TestTeaser(t *testing.T) {
	long := strings.Repeat("Word after word in a long full article body. ", 20)
	tests := []struct {
		content string
		want    bool
	}{
		{"", true},
		{"A short summary of the event.", true},
		{long, false},
		{long + "And so on…", true},
		{long + "And so on [...]", true},
		{long + "\n\nRead more", true},
		{strings.Repeat("جملة طويلة في نص المقال الكامل عن الأحداث الأمنية. ", 20), false},
	}
	for i, tt := range tests {
		if got := isTeaser(tt.content); got != tt.want {
			t.Errorf("case %d (%d runes): isTeaser = %v, want %v", i, utf8.RuneCountInString(tt.content), got, tt.want)
		}
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Plain &amp; simple", "Plain & simple"},
		{"?page=1&copy=2;mode=x & done", "?page=1&copy=2;mode=x & done"},
		{"Line one\n\nLine two\n  continues", "Line one\n\nLine two continues"},
		{"<p>One</p><p>Two<br>lines</p>", "One\n\nTwo\nlines"},
		{"<ul><li>a</li><li>b</li></ul>after", "a\n\nb\n\nafter"},
		{"<table><tr><td>x</td><td>y</td></tr></table>", "x y"},
		{"<style>p{}</style><script>x()</script><p>kept</p>", "kept"},
		{"<p>نص <b>عربي</b>&nbsp;هنا</p>", "نص عربي هنا"},
		{"گشت\u200cهای تازه", "گشت\u200cهای تازه"}, // ZWNJ kept (Persian)
		{"a\x00b\x07c", "abc"},
		{"&#1575;&#x644;", "ال"},
	}
	for _, tt := range tests {
		if got := htmlToText(tt.in); got != tt.want {
			t.Errorf("htmlToText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// gzipped returns the parts, concatenated, gzip-compressed at level; it
// fails the test on an error.
func gzipped(t testing.TB, level int, parts ...[]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		if _, err := zw.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
