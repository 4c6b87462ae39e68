package feeds

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

var update = flag.Bool("update", false, "rewrite generated testdata fixtures")

// encodedFixtures are testdata files made by encoding a UTF-8 source in
// testdata/src with a legacy or UTF-16 encoding.
var encodedFixtures = []struct {
	src, out string
	enc      encoding.Encoding
}{
	{"arabic_windows-1256.xml", "arabic_windows-1256.xml", charmap.Windows1256},
	{"arabic_windows-1256_undeclared.xml", "arabic_windows-1256_undeclared.xml", charmap.Windows1256},
	{"persian_windows-1256_header.xml", "persian_windows-1256_header.xml", charmap.Windows1256},
	{"greek_iso-8859-7.xml", "greek_iso-8859-7.xml", charmap.ISO8859_7},
	{"russian_windows-1251_undeclared.xml", "russian_windows-1251_undeclared.xml", charmap.Windows1251},
	{"russian_windows-1251_latin1-prolog.xml", "russian_windows-1251_latin1-prolog.xml", charmap.Windows1251},
	{"article_ar.html", "article_ar.html", charmap.Windows1256},
	{"utf16.xml", "utf16le_bom.xml", xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM)},
	{"utf16.xml", "utf16be_nobom.xml", xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM)},
}

// TestEncodedFixtures checks that the encoded fixtures are the encodings of
// their UTF-8 sources (run with -update to regenerate them).
func TestEncodedFixtures(t *testing.T) {
	for _, fx := range encodedFixtures {
		t.Run(fx.out, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "src", fx.src))
			if err != nil {
				t.Fatalf("read source: %v", err)
			}
			want, err := fx.enc.NewEncoder().Bytes(src)
			if err != nil {
				t.Fatalf("encode %s: %v", fx.src, err)
			}
			path := filepath.Join("testdata", fx.out)
			if *update {
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatalf("write: %v", err)
				}
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read fixture (run go test -run TestEncodedFixtures -update): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s is stale: run go test -run TestEncodedFixtures -update", path)
			}
		})
	}
}

// readFixture returns a testdata file.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read fixture %s: %v", name, err)
	}
	return b
}

// readSource returns a UTF-8 source of an encoded fixture.
func readSource(t testing.TB, name string) []byte {
	t.Helper()
	return readFixture(t, filepath.Join("src", name))
}
