// Package logreg is a small one-vs-rest logistic regression over sparse binary features named
// by strings: deterministic full-batch training with L2 regularisation, and a plain-text
// weights format that is read back exactly as written.
package logreg

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Example is one training item: the names of its features and, per output, whether it is
// positive (1), negative (0) or not used for that output (-1).
type Example struct {
	Features []string
	Labels   []int8
}

// Options control training.
type Options struct {
	Lambda     float64 // L2 penalty per weight (on the mean loss)
	Iterations int     // full-batch gradient steps
	Rate       float64 // step size
	MinCount   int     // features present in fewer training items are dropped
	// Balance weights the positive examples of an output by (negatives/positives)^Balance, so
	// that rare outputs are not drowned by the regularisation (0: no weighting).
	Balance float64
	// BalanceOf, when not nil, gives the Balance of each output instead.
	BalanceOf func(output int) float64
	// Keep, when not nil, decides which features may be kept (e.g. only features seen in
	// several stories); it is called once per candidate feature.
	Keep func(feature string) bool
	// Penalty, when not nil, scales Lambda for a feature's weight of an output (1: as Lambda
	// says; larger: the weight needs more evidence); a negative scale leaves the feature out of
	// that output (its weight stays 0). It is called once per feature and output.
	Penalty func(feature string, output int) float64
}

// Model is a trained one-vs-rest model. W[f*len(Outputs)+o] is the weight of feature f for output o.
type Model struct {
	Outputs    []string
	Features   []string // sorted
	W          []float32
	Bias       []float32
	Thresholds []float32 // decision threshold on the probability, per output
}

// Scale is the value of each present feature of an item with n features: items are
// normalised to unit length so that long texts do not dominate.
func Scale(n int) float64 {
	if n == 0 {
		return 0
	}
	return 1 / math.Sqrt(float64(n))
}

// Sigmoid is the logistic function.
func Sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Train fits one logistic regression per output. The result depends only on the examples and
// options (no randomness, fixed summation order).
func Train(outputs []string, ex []Example, opt Options) *Model {
	count := map[string]int{}
	for _, e := range ex {
		for _, f := range dedupe(e.Features) {
			count[f]++
		}
	}
	var feats []string
	for f, c := range count {
		if c >= opt.MinCount && (opt.Keep == nil || opt.Keep(f)) {
			feats = append(feats, f)
		}
	}
	slices.Sort(feats)
	index := make(map[string]int32, len(feats))
	for i, f := range feats {
		index[f] = int32(i)
	}
	// Sparse rows.
	rows := make([][]int32, len(ex))
	for i, e := range ex {
		for _, f := range dedupe(e.Features) {
			if id, ok := index[f]; ok {
				rows[i] = append(rows[i], id)
			}
		}
	}
	no := len(outputs)
	m := &Model{Outputs: outputs, Features: feats, W: make([]float32, len(feats)*no), Bias: make([]float32, no), Thresholds: make([]float32, no)}
	w := make([]float64, len(feats))
	grad := make([]float64, len(feats))
	pen := make([]float64, len(feats)) // per feature: its L2 penalty for the output (-1: unused)
	for o := range no {
		clear(w)
		for f := range pen {
			pen[f] = opt.Lambda
			if opt.Penalty != nil {
				if k := opt.Penalty(feats[f], o); k < 0 {
					pen[f] = -1
				} else {
					pen[f] *= k
				}
			}
		}
		b := 0.0
		n, pos := 0, 0
		for _, e := range ex {
			if e.Labels[o] >= 0 {
				n++
			}
			if e.Labels[o] == 1 {
				pos++
			}
		}
		if n == 0 {
			continue
		}
		pw := 1.0
		bal := opt.Balance
		if opt.BalanceOf != nil {
			bal = opt.BalanceOf(o)
		}
		if bal > 0 && pos > 0 && pos < n {
			pw = math.Pow(float64(n-pos)/float64(pos), bal)
		}
		for range opt.Iterations {
			clear(grad)
			gb := 0.0
			for i, e := range ex {
				y := e.Labels[o]
				if y < 0 {
					continue
				}
				s := Scale(len(rows[i]))
				z := b
				for _, f := range rows[i] {
					z += w[f] * s
				}
				d := Sigmoid(z) - float64(y)
				if y == 1 {
					d *= pw
				}
				gb += d
				for _, f := range rows[i] {
					grad[f] += d * s
				}
			}
			inv := 1 / float64(n)
			for f := range w {
				if pen[f] >= 0 {
					w[f] -= opt.Rate * (grad[f]*inv + pen[f]*w[f])
				}
			}
			b -= opt.Rate * gb * inv
		}
		for f := range w {
			m.W[f*no+o] = float32(w[f])
		}
		m.Bias[o] = float32(b)
		m.Thresholds[o] = 0.5
	}
	return m
}

func dedupe(fs []string) []string {
	out := slices.Clone(fs)
	slices.Sort(out)
	return slices.Compact(out)
}

// Write writes the model as text: a header line "outputs NAME...", "bias W...", "threshold
// T...", then one line per feature "FEATURE W..." (features never contain spaces). Features
// whose weights are all zero at float32 precision are left out.
func (m *Model) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	no := len(m.Outputs)
	fmt.Fprintf(bw, "outputs %s\n", strings.Join(m.Outputs, " "))
	writeRow := func(name string, ws []float32) {
		bw.WriteString(name)
		for _, x := range ws {
			bw.WriteByte(' ')
			bw.WriteString(strconv.FormatFloat(float64(x), 'g', -1, 32))
		}
		bw.WriteByte('\n')
	}
	writeRow("bias", m.Bias)
	writeRow("threshold", m.Thresholds)
	for i, f := range m.Features {
		ws := m.W[i*no : (i+1)*no]
		if !slices.ContainsFunc(ws, func(x float32) bool { return x != 0 }) {
			continue
		}
		if strings.ContainsAny(f, " \t\n") {
			return fmt.Errorf("logreg: feature %q contains a space", f)
		}
		writeRow(f, ws)
	}
	return bw.Flush()
}

// Read parses what Write wrote.
func Read(r io.Reader) (*Model, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	m := &Model{}
	line := 0
	parse := func(fields []string) ([]float32, error) {
		if len(fields) != len(m.Outputs) {
			return nil, fmt.Errorf("logreg: line %d: %d weights, want %d", line, len(fields), len(m.Outputs))
		}
		out := make([]float32, len(fields))
		for i, s := range fields {
			x, err := strconv.ParseFloat(s, 32)
			if err != nil {
				return nil, fmt.Errorf("logreg: line %d: %w", line, err)
			}
			out[i] = float32(x)
		}
		return out, nil
	}
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		var err error
		switch {
		case line == 1:
			if f[0] != "outputs" || len(f) < 2 {
				return nil, fmt.Errorf("logreg: line 1: want \"outputs NAME...\"")
			}
			m.Outputs = f[1:]
		case f[0] == "bias" && m.Bias == nil:
			m.Bias, err = parse(f[1:])
		case f[0] == "threshold" && m.Thresholds == nil:
			m.Thresholds, err = parse(f[1:])
		default:
			var ws []float32
			ws, err = parse(f[1:])
			m.Features = append(m.Features, f[0])
			m.W = append(m.W, ws...)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("logreg: %w", err)
	}
	if m.Outputs == nil || m.Bias == nil || m.Thresholds == nil {
		return nil, fmt.Errorf("logreg: incomplete model (outputs, bias and threshold lines are required)")
	}
	return m, nil
}

// Predict returns the probability of every output for an item with these features (repeats
// and features unknown to the model are ignored), computed as a tagger does: the item is
// scaled by the number of its features the model knows, and weights are summed in feature order.
func (m *Model) Predict(features []string) []float64 {
	var ids []int
	for _, f := range dedupe(features) {
		if i, ok := slices.BinarySearch(m.Features, f); ok {
			ids = append(ids, i)
		}
	}
	no := len(m.Outputs)
	s := Scale(len(ids))
	p := make([]float64, no)
	for o := range no {
		z := float64(m.Bias[o])
		for _, i := range ids {
			z += float64(m.W[i*no+o]) * s
		}
		p[o] = Sigmoid(z)
	}
	return p
}
