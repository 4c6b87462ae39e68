package main

import (
	"context"
	"fmt"
	"os"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store"
)

func cmdFeeds(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: feeds import FILE.opml | feeds export", errUsage)
	}
	sub := args[0]
	fs := newFlags("feeds "+sub, e)
	cfgPath := fs.String("config", "", "configuration file (default ./sitrep.yaml if present)")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	_, st, err := configStore(ctx, *cfgPath, e)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "import":
		if len(pos) != 1 {
			return fmt.Errorf("%w: feeds import FILE.opml", errUsage)
		}
		f, err := os.Open(pos[0])
		if err != nil {
			return err
		}
		defer f.Close()
		list, err := feeds.ReadOPML(f)
		if err != nil {
			return err
		}
		for _, o := range list {
			if _, err := st.UpsertFeed(ctx, store.Feed{URL: o.URL, Name: o.Title, AddedBy: "opml"}); err != nil {
				return fmt.Errorf("import %s: %w", o.URL, err)
			}
		}
		fmt.Fprintf(e.stdout, "imported %d feeds\n", len(list))
		return nil
	case "export":
		list, err := st.Feeds(ctx)
		if err != nil {
			return err
		}
		out := make([]feeds.OPMLFeed, 0, len(list))
		for _, f := range list {
			out = append(out, feeds.OPMLFeed{Title: f.Name, URL: f.URL})
		}
		return feeds.WriteOPML(e.stdout, "sitrep feeds", out)
	}
	return fmt.Errorf("%w: unknown feeds subcommand %q", errUsage, sub)
}
