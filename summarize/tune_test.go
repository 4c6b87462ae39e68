package summarize

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/summarize/rouge"
)

// The tests in this file re-run the tuning on the development half of the
// CNN/DailyMail sample (never the test half). They take tens of seconds and
// run only with SITREP_TUNE=1:
//
//	SITREP_TUNE=1 go test ./summarize -run 'TestDefault' -v

type evalRow struct {
	Article   string `json:"article"`
	Reference string `json:"reference"`
}

// loadRows reads a CNN/DailyMail JSONL file from ../shared/eval.
func loadRows(t testing.TB, name string) []evalRow {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "shared", "eval", name))
	if err != nil {
		t.Skipf("eval data not available: %v", err)
	}
	defer f.Close()
	var rows []evalRow
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var r evalRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	return rows
}

// scoreParams returns mean ROUGE-1/2/Lsum F1 ×100 of summaries made with p.
func scoreParams(t testing.TB, rows []evalRow, opt Options, p *params) (r1, r2, rl float64) {
	t.Helper()
	for _, row := range rows {
		s, err := summarizeWith(row.Article, opt, p)
		if err != nil && !errors.Is(err, ErrEmpty) { // an article with no sentence scores zero
			t.Fatalf("summarize: %v", err)
		}
		lines := make([]string, len(s.Sentences))
		for i, x := range s.Sentences {
			lines[i] = x.Text
		}
		c := strings.Join(lines, "\n")
		r1 += rouge.RougeN(c, row.Reference, 1).F1
		r2 += rouge.RougeN(c, row.Reference, 2).F1
		rl += rouge.RougeLsum(c, row.Reference).F1
	}
	k := 100 / float64(len(rows))
	return r1 * k, r2 * k, rl * k
}

func devRows(t *testing.T) []evalRow {
	t.Helper()
	if os.Getenv("SITREP_TUNE") != "1" {
		t.Skip("set SITREP_TUNE=1 to re-check the tuning on the development half")
	}
	return loadRows(t, "cnndm_1000.dev.jsonl")
}

// tolerance is how much R1+R2+RLsum (×100) a change must gain on the
// development half to count as better than the defaults.
const tolerance = 0.1

// TestDefaultParamsLocallyOptimal checks that no single weight change from
// the grid below beats defaultParams on the development half (summaries of
// three sentences, so that the word budget does not hide ranking changes).
// It is the coordinate descent that chose the weights, run one more round.
func TestDefaultParamsLocallyOptimal(t *testing.T) {
	rows := devRows(t)
	eval := func(p params) float64 {
		r1, r2, rl := scoreParams(t, rows, Options{Sentences: 3}, &p)
		return r1 + r2 + rl
	}
	knobs := []struct {
		name string
		ptr  func(*params) *float64
		vals []float64
	}{
		{"posDecay", func(p *params) *float64 { return &p.posDecay }, []float64{1, 2}},
		{"wCent", func(p *params) *float64 { return &p.wCent }, []float64{0, 0.2, 0.5}},
		{"shortWords", func(p *params) *float64 { return &p.shortWords }, []float64{4, 8}},
		{"longWords", func(p *params) *float64 { return &p.longWords }, []float64{30, 40, 50}},
		{"wLen", func(p *params) *float64 { return &p.wLen }, []float64{0.6, 1.5}},
		{"wShort", func(p *params) *float64 { return &p.wShort }, []float64{0.6, 1.5}},
		{"lambda", func(p *params) *float64 { return &p.lambda }, []float64{0.6, 1.5}},
		{"dupSim", func(p *params) *float64 { return &p.dupSim }, []float64{0.2, 0.45}},
		{"wQuote", func(p *params) *float64 { return &p.wQuote }, []float64{0, 0.2}},
		{"wQuestion", func(p *params) *float64 { return &p.wQuestion }, []float64{0, 0.3}},
		{"centBack", func(p *params) *float64 { return &p.centBack }, []float64{-1, 0}},
		{"wPronoun", func(p *params) *float64 { return &p.wPronoun }, []float64{0.1}},
		{"wLeadSim", func(p *params) *float64 { return &p.wLeadSim }, []float64{-0.1, 0.1}},
		{"wDigit", func(p *params) *float64 { return &p.wDigit }, []float64{0.05}},
		{"wSaid", func(p *params) *float64 { return &p.wSaid }, []float64{0.05}},
		{"wYou", func(p *params) *float64 { return &p.wYou }, []float64{0.1}},
		{"wordCost", func(p *params) *float64 { return &p.wordCost }, []float64{0.005}},
	}
	base := eval(defaultParams)
	t.Logf("defaults: R1+R2+RLsum = %.2f", base)
	for _, k := range knobs {
		for _, v := range k.vals {
			p := defaultParams
			*k.ptr(&p) = v
			got := eval(p)
			t.Logf("%s=%g: %.2f", k.name, v, got)
			if got > base+tolerance {
				t.Errorf("%s=%g scores %.2f, better than the defaults' %.2f", k.name, v, got, base)
			}
		}
	}
}

// TestDefaultWordsChoice checks that DefaultWords is at least as good as its
// neighbours on the development half.
func TestDefaultWordsChoice(t *testing.T) {
	rows := devRows(t)
	score := func(words int) float64 {
		r1, r2, rl := scoreParams(t, rows, Options{Words: words}, &defaultParams)
		t.Logf("Words=%d: R1 %.2f R2 %.2f RLsum %.2f", words, r1, r2, rl)
		return r1 + r2 + rl
	}
	base := score(DefaultWords)
	for _, w := range []int{DefaultWords - 10, DefaultWords - 5, DefaultWords + 5, DefaultWords + 15} {
		if got := score(w); got > base+tolerance {
			t.Errorf("Words=%d scores %.2f, better than DefaultWords=%d's %.2f", w, got, DefaultWords, base)
		}
	}
}
