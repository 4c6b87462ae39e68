package eval

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/summarize"
)

func TestRunSmall(t *testing.T) {
	data := `{"id":"1","article":"The border was closed on Monday. Trade stopped at once. Drivers waited for days. Officials gave no reason.","reference":"The border was closed on Monday .\nTrade stopped ."}
{"id":"2","article":"","reference":"skipped"}

{"id":"3","article":"Floods hit the south. Thousands fled their homes. Aid is arriving slowly.","reference":"Floods hit the south .\nThousands fled ."}
`
	path := filepath.Join(t.TempDir(), "small.jsonl")
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	rep, err := Run(context.Background(), path, summarize.Options{}, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Articles != 2 {
		t.Errorf("Articles = %d, want 2", rep.Articles)
	}
	for name, v := range map[string]float64{"R1": rep.R1, "R2": rep.R2, "RLsum": rep.RLsum, "Lead3R1": rep.Lead3R1} {
		if v <= 20 || v > 100 {
			t.Errorf("%s = %.2f, want in (20, 100]", name, v)
		}
	}
	if !strings.Contains(logs.String(), `"msg":"eval done"`) || !strings.Contains(logs.String(), `"line":2`) {
		t.Errorf("logs missing done/skip records:\n%s", logs.String())
	}
}

func TestRunErrors(t *testing.T) {
	if _, err := Run(context.Background(), filepath.Join(t.TempDir(), "missing.jsonl"), summarize.Options{}, nil); err == nil {
		t.Error("missing file: no error")
	}
	path := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(path, []byte("{not json}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), path, summarize.Options{}, nil); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad row: err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	good := filepath.Join(t.TempDir(), "good.jsonl")
	if err := os.WriteFile(good, []byte(`{"article":"A b c. D e f.","reference":"a"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, good, summarize.Options{}, nil); err == nil {
		t.Error("cancelled context: no error")
	}
}

func TestLead(t *testing.T) {
	text := "(CNN)One two. Three four. Five six. Seven eight."
	got := Lead(text, 3)
	if want := "One two.\nThree four.\nFive six."; got != want {
		t.Errorf("Lead = %q, want %q", got, want)
	}
	if got, want := LeadWords(text, 3, 3), "One two.\nThree four."; got != want {
		t.Errorf("LeadWords(3 words) = %q, want %q", got, want)
	}
	if got, want := LeadWords(text, 2, 0), "One two.\nThree four."; got != want {
		t.Errorf("LeadWords(2 sentences) = %q, want %q", got, want)
	}
}

// logReport prints a report as the final note quotes it.
func logReport(t *testing.T, name string, rep Report) {
	t.Helper()
	t.Logf("%s n=%d  ours R1 %.2f R2 %.2f RLsum %.2f (%.1f words, %.2f sentences) | LEAD-3 R1 %.2f R2 %.2f RLsum %.2f | length-matched LEAD R1 %.2f R2 %.2f RLsum %.2f",
		name, rep.Articles, rep.R1, rep.R2, rep.RLsum, rep.Words, rep.Sentences,
		rep.Lead3R1, rep.Lead3R2, rep.Lead3RLsum, rep.LeadLenR1, rep.LeadLenR2, rep.LeadLenRLsum)
}

// devPath returns the development half of the CNN/DailyMail sample.
func dataPath(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "eval", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("eval data not available: %v", err)
	}
	return p
}

// TestEvalDev scores the development half (the only half tuned on). The
// summarizer must beat LEAD-3 on all three measures.
func TestEvalDev(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	for _, c := range []struct {
		name string
		opt  summarize.Options
	}{{"dev default", summarize.Options{}}, {"dev 3 sentences", summarize.Options{Sentences: 3}}} {
		rep, err := Run(context.Background(), dataPath(t, "cnndm_1000.dev.jsonl"), c.opt, nil)
		if err != nil {
			t.Fatal(err)
		}
		logReport(t, c.name, rep)
		if rep.Articles != 500 {
			t.Errorf("Articles = %d, want 500", rep.Articles)
		}
		if rep.R1 <= rep.Lead3R1 || rep.R2 <= rep.Lead3R2 || rep.RLsum <= rep.Lead3RLsum {
			t.Errorf("%s does not beat LEAD-3", c.name)
		}
	}
}

// TestEvalTest scores the held-out test half. It only runs when
// SITREP_EVAL_TEST=1, so that nobody tunes on it by accident.
func TestEvalTest(t *testing.T) {
	if os.Getenv("SITREP_EVAL_TEST") != "1" {
		t.Skip("set SITREP_EVAL_TEST=1 to score the held-out test half")
	}
	for _, c := range []struct {
		name string
		opt  summarize.Options
	}{{"test default", summarize.Options{}}, {"test 3 sentences", summarize.Options{Sentences: 3}}} {
		rep, err := Run(context.Background(), dataPath(t, "cnndm_1000.test.jsonl"), c.opt, nil)
		if err != nil {
			t.Fatal(err)
		}
		logReport(t, c.name, rep)
	}
}
