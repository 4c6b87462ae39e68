package summarize

import (
	"strings"
	"testing"
)

func TestSummarizeArabicAndPersian(t *testing.T) {
	ar := "وقع العراق وإيران اتفاقية أمنية جديدة في بغداد يوم الاثنين. " +
		"وتهدف الاتفاقية إلى تعزيز أمن الحدود المشتركة بين البلدين. " +
		"هل ستنجح الاتفاقية في وقف تسلل المسلحين؟ " +
		"وقال مسؤولون إن الاتفاقية تشمل تبادل المعلومات الاستخباراتية والدوريات المشتركة."
	fa := "ایران و عراق یک توافق امنیتی جدید در بغداد امضا کردند. " +
		"این توافق برای تقویت امنیت مرزهای مشترک دو کشور است. " +
		"مقامات گفتند که این توافق شامل تبادل اطلاعات و گشت\u200cهای مشترک است."
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
