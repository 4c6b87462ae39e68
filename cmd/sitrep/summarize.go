package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/sitrep-bot/sitrep/config"
	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/summarize"
	"github.com/sitrep-bot/sitrep/summarize/eval"
)

// maxInput bounds what summarize reads from a file or stdin.
const maxInput = 32 << 20

func cmdSummarize(ctx context.Context, args []string, e env) error {
	fs := newFlags("summarize", e)
	n := fs.Int("sentences", 0, "sentences in the summary (default: up to 3, about 45 words)")
	asJSON := fs.Bool("json", false, `print {"title","summary","sentences":[…]}`)
	batch := fs.String("batch", "", `summarize {"id","title","text"} JSON lines from this file into {"id","summary"} lines`)
	allowPrivate := fs.Bool("allow-private", false, "let a URL argument reach loopback or private addresses")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *n < 0 || flagSet(fs, "sentences") && *n == 0 {
		return fmt.Errorf("%w: --sentences must be at least 1", errUsage)
	}
	// Without --sentences the summarizer's default length applies (its word
	// budget was tuned on the development set); with it, exactly N.
	opt := summarize.Options{Sentences: *n}
	if *batch != "" {
		return summarizeBatch(*batch, opt, e)
	}
	src := "-"
	if len(pos) > 1 {
		return fmt.Errorf("%w: summarize takes one FILE, URL or -", errUsage)
	}
	if len(pos) == 1 {
		src = pos[0]
	}
	title, text, err := readInput(ctx, src, *allowPrivate, e)
	if err != nil {
		return err
	}
	opt.Title = title
	sum, err := summarize.Summarize(text, opt)
	if errors.Is(err, summarize.ErrEmpty) {
		return fmt.Errorf("%s: no text to summarize", src)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		out := struct {
			Title     string   `json:"title"`
			Summary   string   `json:"summary"`
			Sentences []string `json:"sentences"`
		}{Title: sum.Title, Summary: sum.Text(), Sentences: []string{}}
		for _, s := range sum.Sentences {
			out.Sentences = append(out.Sentences, s.Text)
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	if sum.Title != "" {
		fmt.Fprintln(e.stdout, sum.Title)
		fmt.Fprintln(e.stdout)
	}
	for _, s := range sum.Sentences {
		fmt.Fprintln(e.stdout, s.Text)
	}
	return nil
}

// readInput returns the title and plain text of a file, URL or stdin.
// HTML is recognised by content and its main text extracted.
func readInput(ctx context.Context, src string, allowPrivate bool, e env) (string, string, error) {
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		f := feeds.NewFetcher(feeds.Options{AllowPrivate: allowPrivate, UserAgent: "sitrep/" + version})
		a, err := f.FetchArticle(ctx, src)
		if err != nil {
			return "", "", err
		}
		return a.Title, a.Text, nil
	}
	var r io.Reader = e.stdin
	if src != "-" {
		f, err := os.Open(src)
		if err != nil {
			return "", "", err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return "", "", fmt.Errorf("read %s: %w", src, err)
	}
	if len(b) > maxInput {
		return "", "", fmt.Errorf("read %s: input larger than %d MiB", src, maxInput>>20)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return "", "", fmt.Errorf("%s: empty input", src)
	}
	// One HTML-to-text path: readability for pages, the feed converter for
	// fragments (too short to be an article, or text with some markup).
	if feeds.LooksLikeHTML(b) {
		a, err := feeds.ExtractArticle(bytes.NewReader(b), "")
		if err == nil {
			return a.Title, a.Text, nil
		}
		if !errors.Is(err, feeds.ErrNotArticle) {
			return "", "", fmt.Errorf("%s: %w", src, err)
		}
		return "", feeds.HTMLText(string(b)), nil
	}
	if markupRe.Match(b) {
		return "", feeds.HTMLText(string(b)), nil
	}
	return "", string(b), nil
}

// markupRe finds an HTML tag or comment in text.
var markupRe = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9]*[\s/>]|<!--`)

// summarizeBatch reads {"id","title","text"} lines and writes {"id","summary"} lines.
func summarizeBatch(path string, opt summarize.Options, e env) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var in struct {
			ID    json.RawMessage `json:"id"`
			Title string          `json:"title"`
			Text  string          `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
		o := opt
		o.Title = in.Title
		text := in.Text
		if markupRe.MatchString(text) {
			text = feeds.HTMLText(text) // the one HTML-to-text path
		}
		sum, err := summarize.Summarize(text, o)
		if err != nil && !errors.Is(err, summarize.ErrEmpty) {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
		lines := make([]string, len(sum.Sentences))
		for i, s := range sum.Sentences {
			lines[i] = s.Text
		}
		if err := enc.Encode(struct {
			ID      json.RawMessage `json:"id"`
			Summary string          `json:"summary"`
		}{in.ID, strings.Join(lines, "\n")}); err != nil {
			return err
		}
	}
	return sc.Err()
}

func cmdEval(ctx context.Context, args []string, e env) error {
	switch {
	case len(args) > 0 && args[0] == "tags":
		return cmdEvalTags(ctx, args[1:], e)
	case len(args) > 0 && args[0] == "stories":
		return cmdEvalStories(ctx, args[1:], e)
	case len(args) == 0 || args[0] != "summarize":
		return fmt.Errorf("%w: eval summarize|tags|stories --data FILE.jsonl", errUsage)
	}
	fs := newFlags("eval summarize", e)
	data := fs.String("data", "", "JSONL evaluation file with a reference field")
	n := fs.Int("sentences", 0, "sentences per summary (default: the summarizer's default length)")
	if _, err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *data == "" {
		return fmt.Errorf("%w: --data is required", errUsage)
	}
	log := newLogger(config.Default(), e.stderr)
	rep, err := eval.Run(ctx, *data, summarize.Options{Sentences: *n}, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "articles: %d\n", rep.Articles)
	fmt.Fprintf(e.stdout, "%-8s %7s %7s %7s\n", "", "R-1", "R-2", "R-Lsum")
	fmt.Fprintf(e.stdout, "%-8s %7.2f %7.2f %7.2f\n", "sitrep", rep.R1, rep.R2, rep.RLsum)
	fmt.Fprintf(e.stdout, "%-8s %7.2f %7.2f %7.2f\n", "LEAD-3", rep.Lead3R1, rep.Lead3R2, rep.Lead3RLsum)
	fmt.Fprintf(e.stdout, "%-8s %7.2f %7.2f %7.2f   (LEAD cut to the same length rule)\n", "LEAD-len", rep.LeadLenR1, rep.LeadLenR2, rep.LeadLenRLsum)
	return nil
}

// flagSet reports whether the named flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}
