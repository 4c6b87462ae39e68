package sqlite

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestJSONListsMatchEncodingJSON checks toJSON and fromJSON against
// encoding/json, including the values their fast paths hand over to it.
func TestJSONListsMatchEncodingJSON(t *testing.T) {
	for _, list := range [][]string{
		{"iraq"}, {"iraq", "kurdistan-region", "syria"}, {""}, {"a b"}, {`quo"te`}, {`back\\slash`}, {"<b>&"},
		{"é", "عراق"}, {"tab\there"}, {"\u2028"}, {"x", ""},
	} {
		want, err := json.Marshal(list)
		if err != nil {
			t.Fatal(err)
		}
		if got := toJSON(list); got != string(want) {
			t.Errorf("toJSON(%q) = %s, want %s", list, got, want)
		}
		if got := fromJSON(string(want)); !slices.Equal(got, list) {
			t.Errorf("fromJSON(%s) = %q, want %q", want, got, list)
		}
	}
	for _, c := range []struct {
		in   string
		want []string
	}{
		{`[]`, nil},
		{``, nil},
		{`["a","b"]`, []string{"a", "b"}},
		{`[ "a" , "b" ]`, []string{"a", "b"}},
		{`["a\u00e9"]`, []string{"aé"}},
		{`["a",]`, nil},
		{`["a"`, nil},
		{`[1]`, nil},
		{`not json`, nil},
	} {
		if got := fromJSON(c.in); !slices.Equal(got, c.want) {
			t.Errorf("fromJSON(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}
