package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedUpToDate checks that the committed world.txt and docs/regions.md are what the
// generator writes from the committed sources: run `go generate ./topics/` after changing them.
func TestGeneratedUpToDate(t *testing.T) {
	tmp := t.TempDir()
	out, doc := filepath.Join(tmp, "world.txt"), filepath.Join(tmp, "regions.md")
	if err := run(".", "../../data/gazetteer.txt", out, doc); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ got, committed string }{{out, "../../data/world.txt"}, {doc, "../../../docs/regions.md"}} {
		got, err := os.ReadFile(f.got)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(f.committed)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date: run go generate ./topics/", f.committed)
		}
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Bosnia and Herzegovina": "bosnia-and-herzegovina",
		"Curaçao":                "curacao",
		"São Tomé and Príncipe":  "sao-tome-and-principe",
		"Guinea-Bissau":          "guinea-bissau",
	} {
		if got := slugify(in); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestArabicNisba(t *testing.T) {
	got := arabicNisba("فنزويلا")
	if len(got) == 0 || got[0] != "فنزويلي" {
		t.Errorf("arabicNisba(فنزويلا) = %q", got)
	}
	if got := arabicNisba("لبنان"); len(got) == 0 || got[0] != "لبناني" {
		t.Errorf("arabicNisba(لبنان) = %q", got)
	}
}
