package clip

import "testing"

func TestRunes(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"", 5, ""},
		{"short", 5, "short"},
		{"shorter", 5, "shor…"},
		{"ab", 1, "a"},
		{"abc", 0, ""},
		{"abc", -1, ""},
		{"قتلى في هجوم", 4, "قتل…"},
		{"قتلى", 4, "قتلى"},
		{"Ünïcödé", 3, "Ün…"},
	}
	for _, tt := range tests {
		if got := Runes(tt.s, tt.n); got != tt.want {
			t.Errorf("Runes(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}
