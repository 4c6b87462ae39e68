package summarize

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/summarize/rouge"
)

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
func scoreParams(rows []evalRow, opt Options, p *params) (r1, r2, rl float64) {
	for _, row := range rows {
		s, _ := summarizeWith(row.Article, opt, p)
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

// TestTune is the tuning harness used on the development half only. It
// runs with SITREP_TUNE=1 and prints ROUGE for variations of the weights.
func TestTune(t *testing.T) {
	if os.Getenv("SITREP_TUNE") != "1" {
		t.Skip("set SITREP_TUNE=1 to tune on the development half")
	}
	rows := loadRows(t, "cnndm_1000.dev.jsonl")
	base := defaultParams
	try := func(name string, p params) {
		r1, r2, rl := scoreParams(rows, Options{}, &p)
		fmt.Printf("%-28s R1 %.2f R2 %.2f RLsum %.2f  sum %.2f\n", name, r1, r2, rl, r1+r2+rl)
	}
	try("base", base)
	func() {
		p := base
		r1, r2, rl := scoreParams(rows, Options{Sentences: 3}, &p)
		fmt.Printf("%-28s R1 %.2f R2 %.2f RLsum %.2f  sum %.2f\n", "fixed 3 sentences", r1, r2, rl, r1+r2+rl)
	}()
	for _, spec := range strings.Split(os.Getenv("SITREP_TUNE_GRID"), ";") {
		if spec == "" {
			continue
		}
		p := base
		for _, kv := range strings.Split(spec, ",") {
			var k string
			var v float64
			if _, err := fmt.Sscanf(strings.Replace(kv, "=", " ", 1), "%s %g", &k, &v); err != nil {
				t.Fatalf("bad spec %q", kv)
			}
			switch k {
			case "posDecay":
				p.posDecay = v
			case "wPos":
				p.wPos = v
			case "wCent":
				p.wCent = v
			case "wTitle":
				p.wTitle = v
			case "shortWords":
				p.shortWords = v
			case "longWords":
				p.longWords = v
			case "wLen":
				p.wLen = v
			case "lambda":
				p.lambda = v
			case "wordBudget":
				p.wordBudget = int(v)
			case "wordCost":
				p.wordCost = v
			case "wQuote":
				p.wQuote = v
			case "wQuestion":
				p.wQuestion = v
			case "wPronoun":
				p.wPronoun = v
			case "centBack":
				p.centBack = v
			case "wLeadSim":
				p.wLeadSim = v
			case "dupSim":
				p.dupSim = v
			default:
				t.Fatalf("unknown param %q", k)
			}
		}
		try(spec, p)
	}
}

// TestTuneDescent runs a coordinate descent over the weights on the
// development half, maximising R1+R2+RLsum. SITREP_TUNE=1 to run.
func TestTuneDescent(t *testing.T) {
	if os.Getenv("SITREP_TUNE") != "1" {
		t.Skip("set SITREP_TUNE=1 to tune on the development half")
	}
	rows := loadRows(t, "cnndm_1000.dev.jsonl")
	p := defaultParams
	eval := func(p params) float64 {
		r1, r2, rl := scoreParams(rows, Options{Sentences: 3}, &p)
		return r1 + r2 + rl
	}
	type knob struct {
		name string
		ptr  func(*params) *float64
		vals []float64
	}
	knobs := []knob{
		{"shortWords", func(p *params) *float64 { return &p.shortWords }, []float64{4, 6, 8, 10, 12}},
		{"longWords", func(p *params) *float64 { return &p.longWords }, []float64{25, 30, 35, 40, 50, 60}},
		{"wDigit", func(p *params) *float64 { return &p.wDigit }, []float64{-0.05, 0, 0.05, 0.1, 0.2}},
		{"wYou", func(p *params) *float64 { return &p.wYou }, []float64{0, 0.05, 0.1, 0.2, 0.4}},
		{"wShort", func(p *params) *float64 { return &p.wShort }, []float64{0.3, 0.6, 1, 1.5, 2}},
		{"wSaid", func(p *params) *float64 { return &p.wSaid }, []float64{-0.05, 0, 0.05, 0.1, 0.2}},
		{"posDecay", func(p *params) *float64 { return &p.posDecay }, []float64{0.5, 0.75, 1, 1.5, 2, 3}},
		{"wCent", func(p *params) *float64 { return &p.wCent }, []float64{0, 0.1, 0.2, 0.3, 0.5, 0.8}},
		{"wLen", func(p *params) *float64 { return &p.wLen }, []float64{0, 0.15, 0.3, 0.6, 1}},
		{"lambda", func(p *params) *float64 { return &p.lambda }, []float64{0, 0.3, 0.6, 1, 1.5}},
		{"wQuote", func(p *params) *float64 { return &p.wQuote }, []float64{0, 0.1, 0.2, 0.3, 0.5}},
		{"wQuestion", func(p *params) *float64 { return &p.wQuestion }, []float64{0, 0.1, 0.3}},
		{"wPronoun", func(p *params) *float64 { return &p.wPronoun }, []float64{0, 0.05, 0.1, 0.2}},
		{"centBack", func(p *params) *float64 { return &p.centBack }, []float64{-2, -1, -0.5, 0, 0.5, 1}},
		{"wLeadSim", func(p *params) *float64 { return &p.wLeadSim }, []float64{-0.3, -0.1, 0, 0.1, 0.3, 0.6}},
		{"wordCost", func(p *params) *float64 { return &p.wordCost }, []float64{0, 0.002, 0.005, 0.01}},
		{"dupSim", func(p *params) *float64 { return &p.dupSim }, []float64{0.3, 0.45, 0.6, 0.8}},
	}
	best := eval(p)
	fmt.Printf("start %.3f %+v\n", best, p)
	for round := 0; round < 3; round++ {
		improved := false
		for _, k := range knobs {
			cur := *k.ptr(&p)
			for _, v := range k.vals {
				if v == cur {
					continue
				}
				q := p
				*k.ptr(&q) = v
				if s := eval(q); s > best+0.02 {
					best, p, improved = s, q, true
					fmt.Printf("  %s=%g -> %.3f\n", k.name, v, s)
				}
			}
		}
		if !improved {
			break
		}
	}
	fmt.Printf("best %.3f %+v\n", best, p)
}
