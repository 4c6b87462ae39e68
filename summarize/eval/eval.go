// Package eval measures the summarizer against human reference summaries
// with ROUGE, beside the LEAD-3 baseline (the first three sentences).
package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/sitrep-bot/sitrep/summarize"
	"github.com/sitrep-bot/sitrep/summarize/rouge"
)

// Report holds mean ROUGE F1 scores ×100 over the scored articles, for the
// summarizer and for LEAD-3.
type Report struct {
	Articles   int
	R1, R2     float64
	RLsum      float64
	Lead3R1    float64
	Lead3R2    float64
	Lead3RLsum float64
	// LEAD under the same length rule as the summaries (up to the same
	// number of sentences, stopping at the same word budget), so that gains
	// from length and from choosing sentences can be told apart.
	LeadLenR1, LeadLenR2, LeadLenRLsum float64
	// Mean length of the summaries.
	Words, Sentences float64
}

// row is one line of the evaluation file.
type row struct {
	ID        string `json:"id"`
	Article   string `json:"article"`
	Text      string `json:"text"`
	Title     string `json:"title"`
	Reference string `json:"reference"`
}

// maxLine bounds one JSONL row.
const maxLine = 32 << 20

// Run reads JSONL rows ({"id","article","reference"}; "text" is accepted for
// "article") from path, summarizes each article with summarize.Summarize and
// opt, and scores the summary and LEAD-3 against the reference with ROUGE-1,
// ROUGE-2 and ROUGE-Lsum (one sentence per line). Rows without an article or
// a reference are skipped; an article that cannot be summarized scores 0.
func Run(ctx context.Context, path string, opt summarize.Options, log *slog.Logger) (Report, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f, err := os.Open(path)
	if err != nil {
		return Report{}, fmt.Errorf("eval: open: %w", err)
	}
	defer f.Close()
	rep, err := run(ctx, f, opt, log)
	if err != nil {
		return rep, fmt.Errorf("eval: %s: %w", path, err)
	}
	return rep, nil
}

func run(ctx context.Context, r io.Reader, opt summarize.Options, log *slog.Logger) (Report, error) {
	var rep Report
	maxSent := opt.Sentences
	if maxSent <= 0 {
		maxSent = 3
	}
	budget := opt.Words
	if budget == 0 && opt.Sentences <= 0 {
		budget = summarize.DefaultWords
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), maxLine)
	line := 0
	for sc.Scan() {
		line++
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		b := sc.Bytes()
		if len(strings.TrimSpace(string(b))) == 0 {
			continue
		}
		var x row
		if err := json.Unmarshal(b, &x); err != nil {
			return rep, fmt.Errorf("line %d: %w", line, err)
		}
		article := x.Article
		if article == "" {
			article = x.Text
		}
		if article == "" || x.Reference == "" {
			log.Warn("eval row skipped", "line", line, "id", x.ID)
			continue
		}
		o := opt
		if o.Title == "" {
			o.Title = x.Title
		}
		cand := ""
		s, err := summarize.Summarize(article, o)
		switch {
		case errors.Is(err, summarize.ErrEmpty):
			log.Warn("eval article not summarized", "line", line, "id", x.ID)
		case err != nil:
			return rep, fmt.Errorf("line %d: summarize: %w", line, err)
		default:
			cand = Lines(s)
		}
		lead := Lead(article, 3)
		r1, r2, rl := scores(cand, x.Reference)
		l1, l2, ll := scores(lead, x.Reference)
		m1, m2, ml := scores(LeadWords(article, maxSent, budget), x.Reference)
		rep.LeadLenR1 += m1
		rep.LeadLenR2 += m2
		rep.LeadLenRLsum += ml
		rep.Sentences += float64(len(s.Sentences))
		rep.Words += float64(len(strings.Fields(cand)))
		rep.R1 += r1
		rep.R2 += r2
		rep.RLsum += rl
		rep.Lead3R1 += l1
		rep.Lead3R2 += l2
		rep.Lead3RLsum += ll
		rep.Articles++
		if rep.Articles%100 == 0 {
			log.Info("eval progress", "articles", rep.Articles)
		}
	}
	if err := sc.Err(); err != nil {
		return rep, fmt.Errorf("read: %w", err)
	}
	if rep.Articles > 0 {
		k := 100 / float64(rep.Articles)
		rep.R1 *= k
		rep.R2 *= k
		rep.RLsum *= k
		rep.Lead3R1 *= k
		rep.Lead3R2 *= k
		rep.Lead3RLsum *= k
		rep.LeadLenR1 *= k
		rep.LeadLenR2 *= k
		rep.LeadLenRLsum *= k
		rep.Words /= float64(rep.Articles)
		rep.Sentences /= float64(rep.Articles)
	}
	log.Info("eval done", "articles", rep.Articles,
		"r1", round2(rep.R1), "r2", round2(rep.R2), "rlsum", round2(rep.RLsum),
		"lead3_r1", round2(rep.Lead3R1), "lead3_r2", round2(rep.Lead3R2), "lead3_rlsum", round2(rep.Lead3RLsum),
		"mean_words", round2(rep.Words), "mean_sentences", round2(rep.Sentences))
	return rep, nil
}

// scores returns the ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 of cand.
func scores(cand, ref string) (r1, r2, rl float64) {
	return rouge.RougeN(cand, ref, 1).F1, rouge.RougeN(cand, ref, 2).F1, rouge.RougeLsum(cand, ref).F1
}

// Lines returns the summary one sentence per line, the layout ROUGE-Lsum
// expects.
func Lines(s summarize.Summary) string {
	parts := make([]string, len(s.Sentences))
	for i, x := range s.Sentences {
		parts[i] = x.Text
	}
	return strings.Join(parts, "\n")
}

// Lead returns the first n sentences of text, one per line (LEAD-n).
func Lead(text string, n int) string {
	sents := summarize.Split(text)
	if len(sents) > n {
		sents = sents[:n]
	}
	return strings.Join(sents, "\n")
}

// LeadWords returns the first sentences of text, one per line: at most n,
// and no more once they hold words words (words <= 0: no word limit).
func LeadWords(text string, n, words int) string {
	sents := summarize.Split(text)
	k, w := 0, 0
	for k < len(sents) && k < n && (words <= 0 || w < words) {
		w += len(strings.Fields(sents[k]))
		k++
	}
	return strings.Join(sents[:k], "\n")
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
