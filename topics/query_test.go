package topics

import (
	"errors"
	"strings"
	"testing"
)

func TestQueryMatch(t *testing.T) {
	doc := Doc{
		Title:  "Turkish drones strike PKK positions near Duhok",
		Text:   "The Kurdistan Workers' Party said two fighters were killed. Officials in Erbil condemned the attack.",
		Source: "Rudaw Net",
	}
	arabic := Doc{Title: "قصف تركي على مواقع حزب العمال الكردستاني", Text: "وقال مسؤولون في أربيل إن الهجوم أسفر عن مقتل اثنين.", Source: "Shafaq News"}
	tags := Tags{Regions: []string{"iraq", "kurdistan-region", "turkey"}, Topics: []string{"armed-conflict"}, UserTopics: []string{"pkk"}}
	tests := []struct {
		q    string
		d    Doc
		want bool
	}{
		{"PKK", doc, true},
		{"pkk", doc, true},
		{`"Kurdistan Workers"`, doc, true},
		{`"Workers Kurdistan"`, doc, false},
		{`PKK OR "Kurdistan Workers"`, doc, true},
		{"drones duhok", doc, true},
		{"drones AND baghdad", doc, false},
		{"drones baghdad OR erbil", doc, true},
		{"drones (baghdad OR erbil)", doc, true},
		{"NOT baghdad", doc, true},
		{"-baghdad drones", doc, true},
		{"not erbil", doc, false},
		{"region:iraq", doc, true},
		{"region:iran", doc, false},
		{"topic:armed-conflict", doc, true},
		{"topic:terrorism", doc, false},
		{"topic:pkk", doc, true},
		{"source:rudaw", doc, true},
		{"source:shafaq", doc, false},
		{`source:"rudaw net"`, doc, true},
		{"condemn*", doc, true},
		{"condemnation", doc, false},
		{"Düḥok", doc, true},
		{"region:turkey AND (killed OR wounded) AND NOT source:shafaq", doc, true},
		{"أربيل", arabic, true},
		{"الكردستاني", arabic, true},
		{`"حزب العمال الكردستاني"`, arabic, true},
		{"بغداد", arabic, false},
		{"kill", doc, false},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.q)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.q, err)
			continue
		}
		if got := q.Match(tt.d, tags); got != tt.want {
			t.Errorf("ParseQuery(%q).Match(%q) = %v, want %v (parsed %s)", tt.q, tt.d.Title, got, tt.want, q)
		}
	}
}

func TestQueryString(t *testing.T) {
	tests := []struct{ in, want string }{
		{`PKK OR "Kurdistan Workers"`, `pkk OR "kurdistan workers"`},
		{"a b OR c", "(a AND b) OR c"},
		{"a (b OR c)", "a AND (b OR c)"},
		{"NOT a AND region:Iraq", "NOT a AND region:iraq"},
		{"kurd*", "kurd*"},
		{`source:"Rudaw Net"`, `source:"rudaw net"`},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if got := q.String(); got != tt.want {
			t.Errorf("ParseQuery(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		// The canonical form parses to itself.
		q2, err := ParseQuery(q.String())
		if err != nil || q2.String() != q.String() {
			t.Errorf("reparse of %q = %v, %v", q.String(), q2, err)
		}
	}
}

func TestQueryErrors(t *testing.T) {
	tests := []struct {
		q       string
		pos     int
		token   string
		msgPart string
	}{
		{"", 1, "", "empty query"},
		{"   ", 1, "", "empty query"},
		{"pkk OR", 7, "", "expected a word"},
		{"(pkk OR kdpi", 13, "", `missing ")"`},
		{"pkk OR kdpi)", 12, ")", `no matching "("`},
		{"pkk AND )", 9, ")", "expected a word"},
		{`"unterminated phrase`, 1, `"unterminated phrase`, "closing quote"},
		{"region:irak", 1, "region:irak", `did you mean "iraq"`},
		{"drones region:atlantis", 8, "region:atlantis", "unknown region"},
		{"topic:terorism", 1, "topic:terorism", `did you mean "terrorism"`},
		{"colour:red", 1, "colour:red", "unknown field"},
		{"region:", 1, "region:", "missing value"},
		{"NOT", 4, "", "expected a word"},
		{"a OR OR b", 6, "OR", "expected a word"},
		{"!!!", 1, "!!!", "no letters"},
	}
	for _, tt := range tests {
		_, err := ParseQuery(tt.q)
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("ParseQuery(%q) error = %v, want *QueryError", tt.q, err)
			continue
		}
		if qe.Pos != tt.pos || qe.Token != tt.token || !strings.Contains(qe.Msg, tt.msgPart) {
			t.Errorf("ParseQuery(%q) = %+v, want pos %d token %q msg containing %q", tt.q, qe, tt.pos, tt.token, tt.msgPart)
		}
		if !strings.HasPrefix(err.Error(), "query: unexpected ") {
			t.Errorf("ParseQuery(%q).Error() = %q", tt.q, err.Error())
		}
	}
	_, err := ParseQuery("pkk OR kdpi)")
	if got, want := err.Error(), `query: unexpected ")" at 12: no matching "("`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	deep := strings.Repeat("(", 100) + "a" + strings.Repeat(")", 100)
	if _, err := ParseQuery(deep); err == nil {
		t.Error("deeply nested query accepted")
	}
}

func TestNewTaggerUserTopics(t *testing.T) {
	tg, err := NewTagger([]UserTopic{
		{Name: "pkk", Query: `PKK OR "Kurdistan Workers"`},
		{Name: "iraq-iran-border", Query: "region:iraq region:iran topic:border-security"},
		{Name: "red-sea", Query: "region:red-sea OR houthi*"},
	})
	if err != nil {
		t.Fatal(err)
	}
	d := Doc{Title: "Iraq and Iran agree to tighten border security", Text: "Border guards will patrol the border crossings near Penjwen; PKK infiltration was discussed."}
	got := tg.Tag(d).UserTopics
	if want := []string{"iraq-iran-border", "pkk"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("UserTopics = %v, want %v", got, want)
	}
	_, err = NewTagger([]UserTopic{{Name: "ok", Query: "a"}, {Name: "broken", Query: "pkk AND (kdpi"}})
	var qe *QueryError
	if err == nil || !strings.Contains(err.Error(), `"broken"`) || !errors.As(err, &qe) || qe.Pos != 14 {
		t.Errorf("NewTagger with a bad query: %v", err)
	}
	if _, err := NewTagger([]UserTopic{{Name: "a", Query: "x"}, {Name: "a", Query: "y"}}); err == nil {
		t.Error("duplicate user topic names accepted")
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`PKK OR "Kurdistan Workers"`, "a (b OR NOT c)", "region:iraq -x", `source:"a b"`, "((", "كردستان*"} {
		f.Add(s)
	}
	d := Doc{Title: "PKK attack", Text: "Kurdistan Workers in Erbil", Source: "Rudaw"}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("error %v is not a *QueryError", err)
			}
			return
		}
		q.Match(d, Tags{})
		q2, err := ParseQuery(q.String())
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", q.String(), s, err)
		}
		if q2.String() != q.String() {
			t.Fatalf("canonical form not stable: %q → %q", q.String(), q2.String())
		}
	})
}
