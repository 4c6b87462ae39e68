package summarize

import (
	"strings"
	"testing"
)

func TestStripTags(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"<p>Border closed.</p><p>Trade halted.</p>", "Border closed.\n\n\n\nTrade halted."},
		{"<b>Iraq</b>'s army &amp; police", "Iraq's army & police"},
		{"a <script>var x = '<p>';</script>b", "a b"},
		{"<STYLE>p{}</STYLE>Text", "Text"},
		{"3 < 5 and x<y", "3 < 5 and x<y"},
		{"<div>open <script>never closed", "\n\nopen "},
	}
	for _, tt := range tests {
		if got := stripTags(tt.in); strings.TrimSpace(got) != strings.TrimSpace(tt.want) {
			t.Errorf("stripTags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for in, want := range map[string]bool{"<p>x": true, "a < b": false, "x</div>": true, "<!-- c -->": true, "<": false} {
		if got := looksLikeHTML(in); got != want {
			t.Errorf("looksLikeHTML(%q) = %v", in, got)
		}
	}
}

func TestSummarizeHTMLFragment(t *testing.T) {
	in := "<div class=\"story\"><h1>Border closed</h1><p>Iraq closed its border crossing with Iran on Monday, officials said.</p>" +
		"<script>track('x');</script><p>Trucks queued for miles &amp; drivers waited overnight.</p></div>"
	s, err := Summarize(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := s.Text()
	if strings.ContainsAny(text, "<>") || strings.Contains(text, "track") || strings.Contains(text, "&amp;") {
		t.Errorf("markup left in summary: %q", text)
	}
	if s.Title != "Border closed" || !strings.Contains(text, "Iraq closed its border") {
		t.Errorf("summary = %q (title %q)", text, s.Title)
	}
}

func TestSummarizeArabicAndPersian(t *testing.T) {
	ar := "وقع العراق وإيران اتفاقية أمنية جديدة في بغداد يوم الاثنين. " +
		"وتهدف الاتفاقية إلى تعزيز أمن الحدود المشتركة بين البلدين. " +
		"هل ستنجح الاتفاقية في وقف تسلل المسلحين؟ " +
		"وقال مسؤولون إن الاتفاقية تشمل تبادل المعلومات الاستخباراتية والدوريات المشتركة."
	fa := "ایران و عراق یک توافق امنیتی جدید در بغداد امضا کردند. " +
		"این توافق برای تقویت امنیت مرزهای مشترک دو کشور است. " +
		"مقامات گفتند که این توافق شامل تبادل اطلاعات و گشت‌های مشترک است."
	for name, in := range map[string]string{"arabic": ar, "persian": fa} {
		s, err := Summarize(in, Options{Sentences: 2, Words: -1})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(s.Sentences) != 2 {
			t.Errorf("%s: got %d sentences, want 2: %q", name, len(s.Sentences), s.Text())
		}
		for _, x := range s.Sentences {
			if !strings.Contains(in, x.Text) {
				t.Errorf("%s: sentence not from the input: %q", name, x.Text)
			}
		}
		if s.Sentences[0].Index != 0 {
			t.Errorf("%s: lead sentence not chosen: %q", name, s.Text())
		}
		terms, _ := appendTerms(in, nil)
		if len(terms) < 10 {
			t.Errorf("%s: only %d terms: non-Latin words dropped?", name, len(terms))
		}
	}
}
