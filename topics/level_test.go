package topics

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestSeverityOrder(t *testing.T) {
	for i, s := range Severities {
		if s.Rank() != i {
			t.Errorf("%q.Rank() = %d, want %d", s, s.Rank(), i)
		}
	}
	if Severity("critical").Rank() != 0 {
		t.Errorf("an unknown severity ranks %d, want 0 (none)", Severity("critical").Rank())
	}
	ordered := []Severity{SeverityHigh, SeverityNone, SeverityMedium, SeverityLow}
	slices.SortFunc(ordered, Severity.Compare)
	if want := Severities[:]; !slices.Equal(ordered, want) {
		t.Errorf("sorted = %q, want %q", ordered, want)
	}
	tests := []struct {
		in   []Severity
		want Severity
	}{
		{nil, SeverityNone},
		{[]Severity{"low", "", "high", "medium"}, SeverityHigh},
		{[]Severity{"medium", "low"}, SeverityMedium},
		{[]Severity{"odd", ""}, SeverityNone},
		{[]Severity{"odd", "low"}, SeverityLow},
	}
	for _, tt := range tests {
		if got := MaxSeverity(tt.in...); got != tt.want {
			t.Errorf("MaxSeverity(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSeverityStringForm(t *testing.T) {
	b, err := json.Marshal(struct{ S Severity }{SeverityMedium})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"S":"medium"}` {
		t.Errorf("JSON = %s, want the plain string", b)
	}
	var back struct{ S Severity }
	if err := json.Unmarshal(b, &back); err != nil || back.S != SeverityMedium {
		t.Errorf("round trip = %q, %v", back.S, err)
	}
}
