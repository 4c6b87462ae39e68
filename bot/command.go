package bot

import "context"

// Command is a slash command after the adapter verified and parsed it.
type Command struct {
	Platform string // slack | discord | console
	Team     string // Slack team id or Discord guild id
	Channel  string
	User     string // platform user id
	UserName string
	// Name is the subcommand ("search"); "" when the user typed nothing.
	Name string
	// Args are the words after the subcommand, as typed (Slack, console).
	Args []string
	// Options are typed options by name (Discord: "query", "target", "count").
	Options map[string]string
	// Text is everything the user typed after the command itself.
	Text string
	// IsAdmin reports whether the user may manage feeds in this channel.
	// Adapters set it; nil means no.
	IsAdmin func(ctx context.Context) (bool, error)
	// Served reports whether sitrep answers commands from this Slack
	// workspace or Discord server (Team). The Slack and Discord adapters
	// always set it; nil (the console) means yes. An error means no.
	Served func(ctx context.Context) (bool, error)
}

// Reply is the answer to a Command. Adapters render it per platform.
type Reply struct {
	// Ephemeral replies are shown only to the user who asked.
	Ephemeral bool
	// Title is an optional heading.
	Title string
	// Text is the plain-text body (also the notification fallback).
	Text string
	// Sections and Stories give structure for rich rendering.
	Sections []Section
	Stories  []StoryLine
}

// OptionKind is the type of a typed subcommand option.
type OptionKind int

// Option kinds used by Discord registration.
const (
	OptionString OptionKind = iota
	OptionInteger
)

// Option is a typed subcommand option (Discord application commands).
type Option struct {
	Name         string
	Description  string
	Kind         OptionKind
	Required     bool
	Autocomplete bool
	Choices      []string
}

// Subcommand is one row of the command table that drives routing, help
// and Discord registration.
type Subcommand struct {
	Name        string
	Usage       string // e.g. "search <words>"
	Description string // one line, ≤ 100 chars (Discord's limit)
	Admin       bool   // channel admins only
	// Private marks a command that answers only the user who asked
	// (ephemeral), so a deferred answer is deferred privately too.
	Private bool
	Options []Option
	// Group marks a subcommand group (feeds add|remove|list): its children.
	Group []Subcommand
	// Handler answers the command. nil for groups.
	Handler func(ctx context.Context, cmd Command) (Reply, error)
}
