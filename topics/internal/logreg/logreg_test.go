package logreg

import (
	"bytes"
	"math"
	"slices"
	"testing"
)

// toy: "war" means output a, "talks" means output b; "the" means nothing.
func toy() []Example {
	var ex []Example
	for i := range 40 {
		var fs []string
		a, b := int8(0), int8(0)
		if i%2 == 0 {
			fs, a = append(fs, "war"), 1
		}
		if i%3 == 0 {
			fs, b = append(fs, "talks"), 1
		}
		fs = append(fs, "the")
		ex = append(ex, Example{Features: fs, Labels: []int8{a, b}})
	}
	return ex
}

func score(m *Model, fs []string, o int) float64 {
	z := float64(m.Bias[o])
	s := Scale(len(fs))
	for _, f := range fs {
		if i, ok := slices.BinarySearch(m.Features, f); ok {
			z += float64(m.W[i*len(m.Outputs)+o]) * s
		}
	}
	return Sigmoid(z)
}

func TestTrainLearnsAndRoundTrips(t *testing.T) {
	opt := Options{Lambda: 1e-3, Iterations: 300, Rate: 2, MinCount: 2}
	m := Train([]string{"a", "b"}, toy(), opt)
	if p := score(m, []string{"war", "the"}, 0); p < 0.7 {
		t.Errorf("P(a | war) = %.2f, want high", p)
	}
	if p := score(m, []string{"the"}, 0); p > 0.3 {
		t.Errorf("P(a | the) = %.2f, want low", p)
	}
	if p := score(m, []string{"talks", "the"}, 1); p < 0.6 {
		t.Errorf("P(b | talks) = %.2f, want high", p)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := back.Write(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("write → read → write changed the model:\n%s\n---\n%s", buf.Bytes(), again.Bytes())
	}
	// Training is deterministic.
	var twice bytes.Buffer
	if err := Train([]string{"a", "b"}, toy(), opt).Write(&twice); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), twice.Bytes()) {
		t.Error("two trainings on the same data differ")
	}
}

func TestUnusedLabels(t *testing.T) {
	ex := toy()
	for i := range ex {
		if i%2 == 0 {
			ex[i].Labels[1] = -1 // not an example for b
		}
	}
	m := Train([]string{"a", "b"}, ex, Options{Lambda: 1e-3, Iterations: 50, Rate: 1, MinCount: 1})
	if len(m.Features) != 3 {
		t.Errorf("features %v, want 3", m.Features)
	}
}

func TestReadErrors(t *testing.T) {
	for _, in := range []string{"", "bias 1\n", "outputs a b\nbias 1\nthreshold 0.5 0.5\n", "outputs a\nbias x\nthreshold 0.5\n"} {
		if _, err := Read(bytes.NewReader([]byte(in))); err == nil {
			t.Errorf("Read(%q) succeeded", in)
		}
	}
}

// Predict gives what the model's weights say, ignoring repeated and unknown features.
func TestPredict(t *testing.T) {
	m := Train([]string{"a", "b"}, toy(), Options{Lambda: 1e-3, Iterations: 300, Rate: 2, MinCount: 2})
	tests := []struct {
		in, same []string // same: the features as score sees them
	}{
		{[]string{"war", "the"}, []string{"war", "the"}},
		{[]string{"the", "war", "war"}, []string{"war", "the"}},
		{[]string{"war", "unknown"}, []string{"war"}},
		{[]string{"talks"}, []string{"talks"}},
		{nil, nil},
	}
	for _, tt := range tests {
		p := m.Predict(tt.in)
		if len(p) != 2 {
			t.Fatalf("Predict(%v) = %v, want 2 outputs", tt.in, p)
		}
		for o := range p {
			if want := score(m, tt.same, o); math.Abs(p[o]-want) > 1e-12 {
				t.Errorf("Predict(%v)[%d] = %v, want %v", tt.in, o, p[o], want)
			}
		}
	}
	if p := m.Predict([]string{"war", "the"}); p[0] < 0.7 || p[1] > 0.5 {
		t.Errorf("Predict(war the) = %v, want a high, b low", p)
	}
}

// Penalty scales the L2 penalty of a feature for an output: a larger scale shrinks its weight,
// a negative one leaves the feature out of that output, and the other outputs are untouched.
func TestPenalty(t *testing.T) {
	opt := Options{Lambda: 1e-2, Iterations: 300, Rate: 2, MinCount: 2}
	plain := Train([]string{"a", "b"}, toy(), opt)
	weight := func(m *Model, f string, o int) float32 {
		i, ok := slices.BinarySearch(m.Features, f)
		if !ok {
			t.Fatalf("feature %q missing", f)
		}
		return m.W[i*len(m.Outputs)+o]
	}
	tests := []struct {
		name  string
		scale float64
		check func(w, plain float32) bool
	}{
		{"stronger", 10, func(w, p float32) bool { return w > 0 && w < p }},
		{"weaker", 0.1, func(w, p float32) bool { return w > p }},
		{"off", -1, func(w, p float32) bool { return w == 0 }},
	}
	for _, tt := range tests {
		o := opt
		o.Penalty = func(f string, out int) float64 {
			if f == "war" && out == 0 {
				return tt.scale
			}
			return 1
		}
		m := Train([]string{"a", "b"}, toy(), o)
		if w, p := weight(m, "war", 0), weight(plain, "war", 0); !tt.check(w, p) {
			t.Errorf("%s: weight of war for a %v (plain %v)", tt.name, w, p)
		}
		if w, p := weight(m, "talks", 1), weight(plain, "talks", 1); w != p {
			t.Errorf("%s: weight of talks for b %v, want %v (another output)", tt.name, w, p)
		}
	}
}

// Balance weighs the positives of a rare output up; BalanceOf sets it per output, and an
// output it leaves unbalanced trains as with no Balance at all.
func TestBalanceOf(t *testing.T) {
	opt := Options{Lambda: 1e-2, Iterations: 300, Rate: 2, MinCount: 2}
	plain := Train([]string{"a", "b"}, toy(), opt)
	opt.Balance = 1
	balanced := Train([]string{"a", "b"}, toy(), opt)
	opt.BalanceOf = func(o int) float64 { return float64(o) } // a: 0, b: 1
	mixed := Train([]string{"a", "b"}, toy(), opt)
	// b's positives (1 in 3) are the minority: balancing raises its probability on "the" alone.
	if pb, pp := score(balanced, []string{"the"}, 1), score(plain, []string{"the"}, 1); pb <= pp {
		t.Errorf("balanced P(b | the) %.3f, want above plain %.3f", pb, pp)
	}
	for o, want := range []*Model{plain, balanced} {
		if got, w := score(mixed, []string{"the"}, o), score(want, []string{"the"}, o); got != w {
			t.Errorf("output %d: P(the) %.4f, want %.4f", o, got, w)
		}
	}
}
