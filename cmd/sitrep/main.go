// Command sitrep watches regional security news feeds, summarizes, tags and
// groups reports into stories, and briefs Slack and Discord channels.
//
// Run "sitrep help" for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// usage lists the subcommands.
const usage = `sitrep — regional security news briefings for Slack and Discord

Usage:
  sitrep run [--config FILE]                 run the service (scheduler, adapters, HTTP server)
  sitrep demo                                offline demo: sample feeds → pipeline → terminal
  sitrep poll --once [--config FILE] [--json]  fetch every feed once, process, deliver, exit
  sitrep summarize [--sentences N] [--json] [FILE|URL|-]
  sitrep summarize --batch IN.jsonl          {"id","title","text"} lines → {"id","summary"} lines
  sitrep eval summarize --data FILE.jsonl    ROUGE-1/2/Lsum F1 against the "reference" field
  sitrep eval tags --data FILE.jsonl [--json]  regions/topics/security P/R/F1, severity accuracy vs labels
  sitrep eval stories --data FILE.jsonl [-v]  story grouping: B-cubed P/R/F1, mixed and split stories
  sitrep check-config FILE                   validate a configuration file
  sitrep feeds import FILE.opml [--config FILE]
  sitrep feeds export [--config FILE]        OPML 2.0 on stdout
  sitrep status [--config FILE]              feed health and failed deliveries
  sitrep bench poll [--feeds N] [--items N]  pipeline throughput against a bare fetch+parse
  sitrep healthcheck [--url URL]             probe a running sitrep's /healthz (containers)
  sitrep version
`

// errUsage marks a command-line mistake: the usage is printed, exit 2.
var errUsage = errors.New("usage")

// env is the process environment a subcommand sees, so tests can run
// subcommands in-process.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// runMain dispatches a subcommand and returns the exit code.
func runMain(ctx context.Context, args []string, e env) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return 2
	}
	cmds := map[string]func(context.Context, []string, env) error{
		"run":          cmdRun,
		"demo":         cmdDemo,
		"poll":         cmdPoll,
		"summarize":    cmdSummarize,
		"eval":         cmdEval,
		"check-config": cmdCheckConfig,
		"feeds":        cmdFeeds,
		"status":       cmdStatus,
		"healthcheck":  cmdHealthcheck,
		"bench":        cmdBench,
		"version": func(context.Context, []string, env) error {
			fmt.Fprintf(e.stdout, "sitrep %s\n", version)
			return nil
		},
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		fmt.Fprint(e.stdout, usage)
		return 0
	}
	fn, ok := cmds[name]
	if !ok {
		fmt.Fprintf(e.stderr, "sitrep: unknown command %q\n\n%s", name, usage)
		return 2
	}
	err := fn(ctx, args[1:], e)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(e.stderr, "sitrep %s: %v\n", name, err)
		return 2
	default:
		fmt.Fprintf(e.stderr, "sitrep %s: %v\n", name, err)
		return 1
	}
}

// newFlags returns a FlagSet that reports errors instead of exiting.
func newFlags(name string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet("sitrep "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parseFlags parses args, allowing flags after positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
