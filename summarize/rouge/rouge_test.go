package rouge

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 5e-6 }

func checkScore(t *testing.T, name string, got, want Score) {
	t.Helper()
	if !near(got.Precision, want.Precision) || !near(got.Recall, want.Recall) || !near(got.F1, want.F1) {
		t.Errorf("%s = %+v, want %+v", name, got, want)
	}
}

func TestStem(t *testing.T) {
	// Examples from Porter's 1980 paper, plus the NLTK refinements.
	tests := map[string]string{
		"caresses": "caress", "ponies": "poni", "ties": "tie", "caress": "caress", "cats": "cat",
		"feed": "feed", "agreed": "agre", "plastered": "plaster", "bled": "bled", "motoring": "motor",
		"sing": "sing", "conflated": "conflat", "troubled": "troubl", "sized": "size", "hopping": "hop",
		"tanned": "tan", "falling": "fall", "hissing": "hiss", "fizzed": "fizz", "failing": "fail",
		"filing": "file", "happy": "happi", "sky": "sky", "relational": "relat", "conditional": "condit",
		"rational": "ration", "valenci": "valenc", "hesitanci": "hesit", "digitizer": "digit",
		"conformabli": "conform", "radicalli": "radic", "differentli": "differ", "vileli": "vile",
		"analogousli": "analog", "vietnamization": "vietnam", "predication": "predic", "operator": "oper",
		"feudalism": "feudal", "decisiveness": "decis", "hopefulness": "hope", "callousness": "callous",
		"formaliti": "formal", "sensitiviti": "sensit", "sensibiliti": "sensibl", "triplicate": "triplic",
		"formative": "form", "formalize": "formal", "electriciti": "electr", "electrical": "electr",
		"hopeful": "hope", "goodness": "good", "revival": "reviv", "allowance": "allow",
		"inference": "infer", "airliner": "airlin", "gyroscopic": "gyroscop", "adjustable": "adjust",
		"defensible": "defens", "irritant": "irrit", "replacement": "replac", "adjustment": "adjust",
		"dependent": "depend", "adoption": "adopt", "homologou": "homolog", "communism": "commun",
		"activate": "activ", "angulariti": "angular", "homologous": "homolog", "effective": "effect",
		"bowdlerize": "bowdler", "probate": "probat", "rate": "rate", "cease": "ceas",
		"controll": "control", "roll": "roll", "dying": "die", "news": "news", "died": "die",
		"cried": "cri", "generously": "gener", "agreement": "agreement", "signed": "sign",
	}
	for in, want := range tests {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"The U.S. signed 3 deals!", []string{"the", "u", "s", "sign", "3", "deal"}},
		{"Iraq's forces—running", []string{"iraq", "s", "forc", "run"}},
		{"ties cats", []string{"tie", "cat"}}, // "cats" has 4 letters: stemmed
		{"its was", []string{"its", "was"}},   // 3 letters or fewer: not stemmed
		{"بغداد café", []string{"caf"}},       // non a-z0-9 are separators
		{"", nil},
	}
	for _, tt := range tests {
		if got := Tokenize(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRougeSimple(t *testing.T) {
	// candidate first, reference second
	checkScore(t, "R1", RougeN("testing", "testing one two", 1), Score{1, 1.0 / 3, 0.5})
	checkScore(t, "R2", RougeN("testing one", "testing one two", 2), Score{1, 0.5, 2.0 / 3})
	checkScore(t, "R1 empty", RougeN("", "testing one two", 1), Score{})
	checkScore(t, "RL", RougeL("testing two", "testing one two"), Score{1, 2.0 / 3, 0.8})
	checkScore(t, "RLsum", RougeLsum("w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5", "w1 w2 w3 w4 w5"), Score{0.4, 0.8, 0.4 * 0.8 * 2 / 1.2})
	checkScore(t, "RLsum empty", RougeLsum("", "w1 w2"), Score{})
	checkScore(t, "RLsum symbols", RougeLsum("/", "w1 w2"), Score{})
}

// testdata reads a rouge-score fixture from ../shared/eval/rouge_testdata.
func testdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "eval", "rouge_testdata", name))
	if err != nil {
		t.Skipf("rouge test data not available: %v", err)
	}
	return string(b)
}

// TestAgainstRouge155 checks the figures that rouge-score's own tests obtain
// from the ROUGE-1.5.5 Perl script on the same fixtures (with stemming).
func TestAgainstRouge155(t *testing.T) {
	targets := strings.Split(strings.TrimRight(testdata(t, "target.txt"), "\n"), "\n")
	preds := strings.Split(strings.TrimRight(testdata(t, "prediction.txt"), "\n"), "\n")
	if len(targets) < 2 || len(preds) < 2 {
		t.Fatalf("fixtures have %d/%d lines", len(targets), len(preds))
	}
	// Score{Precision, Recall, F1}
	checkScore(t, "R1[0]", RougeN(preds[0], targets[0], 1), Score{0.68750, 0.40741, 0.51163})
	checkScore(t, "R1[1]", RougeN(preds[1], targets[1], 1), Score{0.69231, 0.42857, 0.52941})
	checkScore(t, "R2[0]", RougeN(preds[0], targets[0], 2), Score{0.53333, 0.30769, 0.39024})
	checkScore(t, "R2[1]", RougeN(preds[1], targets[1], 2), Score{0.48000, 0.29268, 0.36364})

	target := testdata(t, "target_multi.0.txt")
	pred := testdata(t, "prediction_multi.0.txt")
	checkScore(t, "RLsum", RougeLsum(pred, target), Score{0.66667, 0.36538, 0.47205})
}
