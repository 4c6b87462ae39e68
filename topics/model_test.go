package topics

import (
	"math"
	"slices"
	"strconv"
	"strings"
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
		// sport of national teams in Persian: two countries and "defeat" are no diplomacy
		{"fa", "شکست والیبال نوجوانان ایران برابر ایتالیا", "", "", ""},
		{"fa", "جام\u200cجهانی بسکتبال/ پیروزی قاطع ایران تا پایان کوارتر سوم", "", "", ""},
		{"fa", "ملی پوش سابق تکواندو ایران مربی چین تایپه شد", "", "", ""},
		// weather: tourists stranded by snow in the Alps
		{"tr", "Fotoğraflarla: Binlerce turisti Alpler'de mahsur bırakan kar yağışı", "", "", ""},
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

// A security item gets the likeliest of the three severities implied by the model's two
// outputs: P(high) and P(medium | not high).
func TestModelSeverity(t *testing.T) {
	tests := []struct {
		pHigh, pMedium float64
		want           Severity
	}{
		{0.9, 0.5, SeverityHigh},
		{0.45, 0.9, SeverityMedium}, // medium 0.495 beats high 0.45
		{0.45, 0.5, SeverityHigh},   // high 0.45 beats medium and low 0.275
		{0.3, 0.9, SeverityMedium},
		{0.1, 0.6, SeverityMedium}, // medium 0.54
		{0.1, 0.4, SeverityLow},    // low 0.54
		{0.05, 0.2, SeverityLow},
		{0.5, 0.0, SeverityHigh}, // a tie goes to the higher level
		{0.0, 0.5, SeverityMedium},
		{0.0, 0.0, SeverityLow},
		{1.0, 0.0, SeverityHigh},
	}
	for _, tt := range tests {
		if got := modelSeverity(tt.pHigh, tt.pMedium); got != tt.want {
			t.Errorf("modelSeverity(%v, %v) = %q, want %q", tt.pHigh, tt.pMedium, got, tt.want)
		}
	}
}

// Word features of Latin-script words keep the first letters only, so that inflected forms
// share one feature; Arabic-script words are kept whole.
func TestModelStem(t *testing.T) {
	tests := []struct{ word, want string }{
		{"strike", "strike"},
		{"strikes", "strike"},
		{"Wenezueli", "wenezu"},
		{"Wenezuelę", "wenezu"},
		{"żołnierzy", "zołnie"}, // letters, not bytes (after folding "ż")
		{"war", "war"},
		{"الانتخابات", "انتخابات"},
	}
	for _, tt := range tests {
		toks := tokenize(tt.word, nil)
		if len(toks) != 1 {
			t.Fatalf("tokenize(%q) = %d tokens", tt.word, len(toks))
		}
		if got := modelStem(toks[0]); got != tt.want {
			t.Errorf("modelStem(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// The headline's severity cues: violence at a named place, violence elsewhere, words only.
func TestModelHeadlineCues(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		title, text string
		want        string // "": none of the v: features
		noDeaths    bool
	}{
		{"Drone strike hits northern Iraq", "", "v:violence-at-place", true},
		{"Gunmen open fire on army checkpoint", "Two soldiers were wounded.", "v:violence", true},
		{"Car bomb kills 15 in Kirkuk", "", "v:violence-at-place", false},
		{"Foreign ministers hold talks on border security", "", "v:speech", false},
		{"Stocks rally as tech shares climb", "", "", false},
	}
	for _, tt := range tests {
		fs := tg.ModelFeatures(Doc{Title: tt.title, Text: tt.text})
		var got string
		for _, f := range fs {
			if strings.HasPrefix(f, "v:") {
				if got != "" {
					t.Errorf("%q: two headline cues %q and %q", tt.title, got, f)
				}
				got = f
			}
		}
		if got != tt.want {
			t.Errorf("%q: headline cue %q, want %q (features %v)", tt.title, got, tt.want, fs)
		}
		if nd := slices.Contains(fs, "s:violent-no-deaths"); nd != tt.noDeaths {
			t.Errorf("%q: s:violent-no-deaths %v, want %v", tt.title, nd, tt.noDeaths)
		}
	}
}

// A headline that names two countries (by a place, a demonym, a person or a group of theirs)
// and reports violence is one state striking another, the guide's high severity.
func TestModelTwoStates(t *testing.T) {
	tg, err := NewTagger(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		title    string
		two      bool // i:two-states
		violence bool // i:violence-between-states
	}{
		{"US strikes Venezuela, Trump says", true, true},
		{"Russian drone attack hits Kyiv", true, true},
		{"Trump threatens Colombia's president", true, false},
		{"Drone strike hits northern Iraq", false, false},
		{"Car bomb kills 15 in Baghdad and Kirkuk", false, false}, // two places of one country
		{"Stocks rally as tech shares climb", false, false},
	}
	for _, tt := range tests {
		fs := tg.ModelFeatures(Doc{Title: tt.title})
		if got := slices.Contains(fs, "i:two-states"); got != tt.two {
			t.Errorf("%q: i:two-states %v, want %v (features %v)", tt.title, got, tt.two, fs)
		}
		if got := slices.Contains(fs, "i:violence-between-states"); got != tt.violence {
			t.Errorf("%q: i:violence-between-states %v, want %v", tt.title, got, tt.violence)
		}
	}
}

// A topic the model gives needs topicRatio of the likeliest topic's probability besides its
// threshold. The weights here are biases only, so every item gets these probabilities.
func TestTopicRatio(t *testing.T) {
	tests := []struct {
		p    map[string]float64 // topic probabilities (others 0.01); the item is security news
		want []string
	}{
		{map[string]float64{"armed-conflict": 0.95, "politics": 0.7, "diplomacy": 0.6}, []string{"armed-conflict", "politics"}},
		{map[string]float64{"armed-conflict": 0.5, "diplomacy": 0.45}, []string{"armed-conflict", "diplomacy"}},
		{map[string]float64{"protests": 0.99, "politics": 0.65}, []string{"protests"}},
		{map[string]float64{"energy": 0.3}, nil}, // under the threshold
	}
	for _, tt := range tests {
		tg := biasTagger(t, tt.p)
		tags := tg.Tag(Doc{Title: "A quiet afternoon", Text: "Nothing happened."})
		if !slices.Equal(tags.Topics, tt.want) {
			t.Errorf("probabilities %v: topics %v, want %v", tt.p, tags.Topics, tt.want)
		}
	}
}

// biasTagger returns a tagger whose model has biases only, so that every item gets the
// probabilities p (security news 0.99 unless given, other outputs 0.01).
func biasTagger(t *testing.T, p map[string]float64) *Tagger {
	t.Helper()
	var b strings.Builder
	outs := ModelOutputs()
	b.WriteString("outputs " + strings.Join(outs, " ") + "\nbias")
	for _, o := range outs {
		q, ok := p[o]
		switch {
		case ok:
		case o == outSecurity:
			q = 0.99
		default:
			q = 0.01
		}
		b.WriteString(" " + strconv.FormatFloat(math.Log(q/(1-q)), 'g', -1, 64))
	}
	b.WriteString("\nthreshold" + strings.Repeat(" 0.4", len(outs)) + "\n")
	tg, err := NewTagger(nil, WithModel([]byte(b.String())))
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// A headline that reports one state's strike on or seizure in another as done is the guide's
// high severity and armed conflict, whatever the model makes of the item's words; a headline
// that names the incident as the backdrop of its news, or a threat, or an incident within one
// country, is left to the model (here: low, diplomacy only).
func TestIncidentBetweenStates(t *testing.T) {
	tg := biasTagger(t, map[string]float64{"diplomacy": 0.9})
	tests := []struct {
		lang, title string
		want        Severity
	}{
		{"en", "US says it has captured Venezuelan President Maduro", SeverityHigh},
		{"en", "Israel bombs Lebanon saying it targeted Hezbollah", SeverityHigh},
		{"en", "Russian missiles struck Kyiv overnight", SeverityHigh},
		{"pl", "Rosjanie zaatakowali Kijów", SeverityHigh},
		{"tr", "İsrail Lübnan'ı vurdu", SeverityHigh},
		{"ar", "قصفت إسرائيل جنوب لبنان", SeverityHigh},
		{"en", "Trump says US will run Venezuela after Maduro seized", SeverityLow},    // a backdrop
		{"en", "World reacts to the capture of Venezuela's Maduro by US", SeverityLow}, // a noun
		{"en", "Trump threatens Colombia with strikes", SeverityLow},                   // a threat
		{"en", "Police shot a gunman in Baghdad", SeverityLow},                         // one country
	}
	for _, tt := range tests {
		tags := tg.Tag(Doc{Title: tt.title})
		if !tags.Security || tags.Severity != tt.want {
			t.Errorf("%s %q: security %v severity %q, want %q", tt.lang, tt.title, tags.Security, tags.Severity, tt.want)
		}
		want := []string{"diplomacy"}
		if tt.want == SeverityHigh {
			want = []string{"armed-conflict", "diplomacy"}
		}
		if !slices.Equal(tags.Topics, want) {
			t.Errorf("%s %q: topics %v, want %v", tt.lang, tt.title, tags.Topics, want)
		}
	}
}

// A headline that reports people killed is the guide's high severity whatever the model says;
// deaths told in the text alone (often those of an earlier event) are left to the model (here:
// low).
func TestDeathsInHeadline(t *testing.T) {
	tg := biasTagger(t, map[string]float64{"armed-conflict": 0.9})
	tests := []struct {
		lang, title, text string
		want              Severity
	}{
		{"en", "Car bomb kills 15 in Kirkuk", "", SeverityHigh},
		{"en", "At least 10 killed in Iran unrest", "", SeverityHigh},
		{"pl", "W ataku rakietowym zginęło 12 osób", "", SeverityHigh},
		{"tr", "Saldırıda 3 asker öldü", "", SeverityHigh},
		{"fa", "انفجار در کابل؛ ۱۰ نفر کشته شدند", "", SeverityHigh},
		{"en", "Protests enter a second week in Iran", "At least 16 people have been killed so far.", SeverityLow},
		{"en", "Foreign ministers hold talks in Muscat", "", SeverityLow},
	}
	for _, tt := range tests {
		tags := tg.Tag(Doc{Title: tt.title, Text: tt.text})
		if !tags.Security || tags.Severity != tt.want {
			t.Errorf("%s %q: security %v severity %q, want %q", tt.lang, tt.title, tags.Security, tags.Severity, tt.want)
		}
	}
}
