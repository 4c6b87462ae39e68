package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/sitrep-bot/sitrep/config"
)

func cmdCheckConfig(_ context.Context, args []string, e env) error {
	fs := newFlags("check-config", e)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: check-config FILE", errUsage)
	}
	cfg, err := config.Load(pos[0], e.getenv)
	if err != nil {
		return err
	}
	err = cfg.Validate()
	var es config.Errors
	if errors.As(err, &es) {
		for _, fe := range es {
			fmt.Fprintln(e.stdout, fe.Error())
		}
		return fmt.Errorf("%s: %d problem(s)", pos[0], len(es))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: ok (%d feeds, %d subscriptions)\n", pos[0], len(cfg.Feeds), len(cfg.Subscriptions))
	return nil
}
