package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sitrep-bot/sitrep/internal/clip"
	"github.com/sitrep-bot/sitrep/internal/redact"
	"github.com/sitrep-bot/sitrep/store"
)

func cmdStatus(ctx context.Context, args []string, e env) error {
	fs := newFlags("status", e)
	cfgPath := fs.String("config", "", "configuration file (default ./sitrep.yaml if present)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	_, st, err := configStore(ctx, *cfgPath, e)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.Feeds(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FEED\tLAST SUCCESS\tFAILURES\tNEXT POLL\tLAST ERROR")
	for _, f := range list {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", redact.URL(f.URL), ago(f.LastSuccess), f.Failures, ago(f.NextPoll),
			oneLine(redact.Text(f.LastError), 80))
	}
	tw.Flush()
	failed, err := st.Deliveries(ctx, store.StatusFailed, 50)
	if err != nil {
		return err
	}
	n, err := st.Counts(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n%d deliveries pending, %d failed", n.Pending, n.Failed)
	if n.Failed > len(failed) {
		fmt.Fprintf(e.stdout, " (latest %d first):\n", len(failed))
	} else {
		fmt.Fprintf(e.stdout, " (latest first):\n")
	}
	tw = tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	if len(failed) > 0 {
		fmt.Fprintln(tw, "ID\tPLATFORM\tCHANNEL\tKIND\tSTORY\tREASON")
	}
	for _, d := range failed {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Platform, d.Channel, d.Kind, d.StoryID, oneLine(redact.Text(d.LastError), 80))
	}
	return tw.Flush()
}

func ago(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := time.Since(t).Round(time.Second)
	if d < 0 {
		return "in " + (-d).String()
	}
	return d.String() + " ago"
}

// oneLine puts s on one line of at most n runes.
func oneLine(s string, n int) string {
	return clip.Runes(strings.ReplaceAll(s, "\n", " "), n)
}
