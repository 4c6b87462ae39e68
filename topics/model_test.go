package topics

import (
	"slices"
	"testing"
)

// Non-English security news gets its topic, the security flag and a severity from the same
// model: the multilingual concepts of data/lexicon.txt carry what the model learned from English
// and Polish items over to Arabic, Persian and Turkish.
func TestModelNonEnglish(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, title, text string
		topic             string   // "": no topic, not security news
		severity          Severity // "": any
	}{
		{"ar", "مقتل 12 شخصا بغارة جوية على سوق في إدلب", "قتل 12 شخصا وأصيب آخرون في غارة جوية استهدفت سوقا شعبيا.", "armed-conflict", SeverityHigh},
		{"ar", "متظاهرون يقطعون طرقا في البصرة", "خرجت احتجاجات واسعة واستخدمت القوات الأمنية الغاز المسيل للدموع لتفريق المتظاهرين.", "protests", ""},
		{"ar", "وزير الخارجية الإيراني يلتقي نظيره العماني في مسقط", "بحث الوزيران العلاقات الثنائية والمفاوضات النووية.", "diplomacy", SeverityLow},
		{"fa", "اعتراضات در تهران؛ نیروهای امنیتی معترضان را بازداشت کردند", "تظاهرات در چند شهر ادامه دارد و دهها نفر بازداشت شدند.", "protests", ""},
		{"fa", "حمله پهپادی به پایگاه نظامی در عراق", "یک پهپاد به پایگاه نظامی در شمال عراق حمله کرد؛ تلفات گزارش نشده است.", "armed-conflict", ""},
		{"tr", "Saldırıda 3 asker şehit oldu", "Terör örgütü PKK'nın saldırısında 3 asker şehit oldu.", "armed-conflict", SeverityHigh},
		{"ar", "الهلال يفوز على النصر في الدوري السعودي", "فاز الهلال على النصر في مباراة الدوري.", "", ""},
	}
	for _, tt := range tests {
		tags := tg.Tag(Doc{Title: tt.title, Text: tt.text})
		if tt.topic == "" {
			if tags.Security || len(tags.Topics) > 0 {
				t.Errorf("%s %q: security %v topics %v, want neither", tt.lang, tt.title, tags.Security, tags.Topics)
			}
			continue
		}
		if !tags.Security || !slices.Contains(tags.Topics, tt.topic) {
			t.Errorf("%s %q: security %v topics %v, want security news on %s", tt.lang, tt.title, tags.Security, tags.Topics, tt.topic)
		}
		if tt.severity != "" && tags.Severity != tt.severity {
			t.Errorf("%s %q: severity %q, want %q", tt.lang, tt.title, tags.Severity, tt.severity)
		}
	}
}

func TestWithModelRejectsBadWeights(t *testing.T) {
	if _, err := NewTagger(nil, WithModel([]byte("outputs a b\nbias 0 0\nthreshold 0.5 0.5\n"))); err == nil {
		t.Error("weights for other outputs were accepted")
	}
	if _, err := NewTagger(nil, WithModel([]byte("nonsense"))); err == nil {
		t.Error("a malformed weights file was accepted")
	}
}
