package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/internal/clip"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/topics"
)

// routerStore is the part of the store the Router needs.
type routerStore interface {
	Subscribe(ctx context.Context, s store.Subscription) (store.Subscription, error)
	Unsubscribe(ctx context.Context, platform, channel string) error
	Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error)
	Story(ctx context.Context, id string) (store.Story, error)
	Stories(ctx context.Context, f store.StoryFilter) ([]store.Story, error)
	Items(ctx context.Context, f store.ItemFilter) ([]store.Item, error)
	UpsertFeed(ctx context.Context, f store.Feed) (store.Feed, error)
	DeleteFeed(ctx context.Context, url string) error
	Feed(ctx context.Context, url string) (store.Feed, error)
	Feeds(ctx context.Context) ([]store.Feed, error)
}

// articleFetcher is what the Router needs of feeds.Fetcher. The fetcher
// must refuse private addresses: these URLs come from chat users.
type articleFetcher interface {
	FetchArticle(ctx context.Context, url string) (feeds.Article, error)
	Discover(ctx context.Context, url string) (string, error)
}

// RouterOptions configure a Router.
type RouterOptions struct {
	// Tagger labels articles summarized on request; may be nil.
	Tagger *topics.Tagger
	// UserTopics are the configured topics beside the built-in ones;
	// channels may subscribe to them by name.
	UserTopics []topics.UserTopic
	// Fetcher fetches articles (summarize) and discovers feeds (feeds add).
	// Its SSRF guard must be on. May be nil: those commands then say so.
	Fetcher interface {
		FetchArticle(ctx context.Context, url string) (feeds.Article, error)
		Discover(ctx context.Context, url string) (string, error)
	}
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Log receives errors; default discards.
	Log *slog.Logger
	// DefaultSchedule is stored with feeds added by chat ("" = configured default).
	DefaultSchedule string
	// FeedAdmins, per platform ("slack", "discord"), limits feed
	// administration to these user ids, who must also pass the platform's
	// admin check. No list for a platform: its admins may.
	FeedAdmins map[string][]string
}

// Router answers slash commands, independent of the chat platform. One
// command table (Commands) drives routing, help and Discord registration.
// A Router is safe for concurrent use.
type Router struct {
	store   routerStore
	opt     RouterOptions
	fetch   articleFetcher
	log     *slog.Logger
	now     func() time.Time
	subs    []Subcommand
	targets []string // every subscribable name: topics, user topics, regions
}

// Limits of the lookup commands.
const (
	latestDefault  = 5
	latestMax      = 20
	searchMax      = 10
	maxTargets     = 25 // per subscription
	storyScanLimit = 500
	fetchTimeout   = 25 * time.Second
)

// NewRouter builds a Router over st.
func NewRouter(st routerStore, opt RouterOptions) *Router {
	r := &Router{store: st, opt: opt, log: opt.Log, now: opt.Now}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.now == nil {
		r.now = time.Now
	}
	if opt.Fetcher != nil {
		r.fetch = opt.Fetcher
	}
	r.targets = append(r.targets, topics.BuiltinTopics()...)
	for _, u := range opt.UserTopics {
		r.targets = append(r.targets, u.Name)
	}
	for _, reg := range topics.Regions() {
		r.targets = append(r.targets, reg.Slug)
	}
	r.subs = r.table()
	return r
}

// Commands returns the command table: every subcommand with its usage,
// description, options, admin flag and handler.
func (r *Router) Commands() []Subcommand {
	out := slices.Clone(r.subs)
	for i := range out {
		out[i].Options = slices.Clone(out[i].Options)
		out[i].Group = slices.Clone(out[i].Group)
	}
	return out
}

// userError is an error whose message is meant for the user who typed the
// command; any other error is logged and answered with a generic message.
type userError struct{ msg string }

func (e *userError) Error() string { return e.msg }

// sayf returns a userError: the reply the user sees.
func sayf(format string, args ...any) error {
	return &userError{msg: fmt.Sprintf(format, args...)}
}

const somethingWrong = "Something went wrong."

// Command outcomes in the audit line.
const (
	outcomeOK         = "ok"
	outcomeNotServed  = "refused_not_served"
	outcomeDenied     = "refused_not_admin"
	outcomeUserError  = "user_error"
	outcomeError      = "error"
	outcomePanic      = "panic"
	outcomeHelp       = "help"
	notServedReply    = "sitrep isn't set up to answer in this workspace or server. Ask sitrep's operator to add it."
	notAdminReply     = "Only channel admins can manage feeds."
	notFeedAdminReply = "Feed administration on this bot is limited to the users its operator listed."
)

// Handle answers one command. It never panics: a failing handler is logged
// and answered with "Something went wrong."; unknown input gets the help.
// Commands from a workspace or server sitrep does not serve are refused.
// Every command ends with one audit log line (platform, team, channel,
// user, command, outcome); arguments are never logged.
func (r *Router) Handle(ctx context.Context, cmd Command) (rep Reply) {
	log := r.log.With(slog.String("platform", cmd.Platform), slog.String("team_id", cmd.Team),
		slog.String("channel_id", cmd.Channel), slog.String("user_id", cmd.User))
	what := clip.Runes(strings.ToLower(strings.TrimSpace(cmd.Name)), 40)
	outcome := outcomeOK
	defer func() {
		if p := recover(); p != nil {
			log.Error("router: handler panicked", slog.String("command", what), slog.Any("panic", p),
				slog.String("stack", string(debug.Stack())))
			rep, outcome = Reply{Ephemeral: true, Text: somethingWrong}, outcomePanic
		}
		log.Info("audit: command", slog.String("command", what), slog.String("outcome", outcome))
	}()
	if !r.served(ctx, cmd, log) {
		outcome = outcomeNotServed
		return Reply{Ephemeral: true, Text: notServedReply}
	}
	name := strings.ToLower(strings.TrimSpace(cmd.Name))
	if name == "" {
		outcome = outcomeHelp
		return r.help("")
	}
	sub := findSubcommand(r.subs, name)
	if sub == nil {
		outcome = outcomeHelp
		return r.help(fmt.Sprintf("I don't know %q.", clip.Runes(name, 40)))
	}
	admin := sub.Admin
	if len(sub.Group) > 0 {
		child := ""
		if len(cmd.Args) > 0 {
			child = strings.ToLower(cmd.Args[0])
		}
		c := findSubcommand(sub.Group, child)
		if c == nil {
			outcome = outcomeHelp
			return r.groupHelp(*sub, child)
		}
		what += " " + c.Name
		cmd.Args = cmd.Args[1:]
		sub, admin = c, admin || c.Admin
	}
	if sub.Handler == nil {
		outcome = outcomeHelp
		return r.help("")
	}
	if admin {
		if !r.feedAdminListed(cmd) {
			outcome = outcomeDenied
			return Reply{Ephemeral: true, Text: notFeedAdminReply}
		}
		if !r.isAdmin(ctx, cmd, log) {
			outcome = outcomeDenied
			return Reply{Ephemeral: true, Text: notAdminReply}
		}
	}
	rep, err := sub.Handler(ctx, cmd)
	if err != nil {
		var ue *userError
		if errors.As(err, &ue) {
			outcome = outcomeUserError
			return Reply{Ephemeral: true, Text: ue.msg}
		}
		outcome = outcomeError
		log.Error("router: command failed", slog.String("command", what), slog.Any("error", err))
		return Reply{Ephemeral: true, Text: somethingWrong}
	}
	return rep
}

// served asks the adapter whether sitrep answers in the command's
// workspace or server; an error means no.
func (r *Router) served(ctx context.Context, cmd Command, log *slog.Logger) bool {
	if cmd.Served == nil {
		return true
	}
	ok, err := cmd.Served(ctx)
	if err != nil {
		log.Warn("router: tenancy check failed", slog.Any("error", err))
		return false
	}
	return ok
}

// feedAdminListed reports whether the operator's allow-list (if any) for
// the command's platform names its user.
func (r *Router) feedAdminListed(cmd Command) bool {
	list, ok := r.opt.FeedAdmins[cmd.Platform]
	return !ok || len(list) == 0 || slices.Contains(list, cmd.User)
}

// DeferEphemeral predicts whether cmd's answer is private (ephemeral), for
// adapters that must decide before the answer exists (a Discord deferral):
// the commands marked Private, and help for unknown input.
func (r *Router) DeferEphemeral(cmd Command) bool {
	sub := findSubcommand(r.subs, strings.ToLower(strings.TrimSpace(cmd.Name)))
	if sub == nil {
		return true
	}
	if len(sub.Group) > 0 {
		child := ""
		if len(cmd.Args) > 0 {
			child = strings.ToLower(cmd.Args[0])
		}
		if sub = findSubcommand(sub.Group, child); sub == nil {
			return true
		}
	}
	return sub.Private || sub.Handler == nil
}

// isAdmin asks the adapter whether the user may use admin commands; any
// doubt (no function, an error) means no.
func (r *Router) isAdmin(ctx context.Context, cmd Command, log *slog.Logger) bool {
	if cmd.IsAdmin == nil {
		return false
	}
	ok, err := cmd.IsAdmin(ctx)
	if err != nil {
		log.Warn("router: admin check failed", slog.Any("error", err))
		return false
	}
	return ok
}

func findSubcommand(subs []Subcommand, name string) *Subcommand {
	for i := range subs {
		if subs[i].Name == name {
			return &subs[i]
		}
	}
	return nil
}

// table is the one command table.
func (r *Router) table() []Subcommand {
	target := func(desc string, required bool) Option {
		return Option{Name: "target", Description: desc, Required: required, Autocomplete: true}
	}
	url := Option{Name: "url", Description: "Web address (http or https)", Required: true}
	return []Subcommand{
		{Name: "subscribe", Usage: "subscribe [daily|weekly|live] [security|all-news] <target>…",
			Description: "Post stories on these regions or topics here (daily/weekly: a digest; security: security news only)",
			Options: []Option{target("Region, topic or user topic", true),
				{Name: "digest", Description: "live posts (default), or a daily or weekly digest instead",
					Choices: []string{"live", "daily", "weekly"}},
				{Name: "news", Description: "security news only, or all news (default)",
					Choices: []string{"security", "all-news"}}},
			Handler: r.subscribe},
		{Name: "unsubscribe", Usage: "unsubscribe [target…]",
			Description: "Stop posting these targets here; with none, stop everything",
			Options:     []Option{target("Target to remove (empty: all)", false)},
			Handler:     r.unsubscribe},
		{Name: "subscriptions", Usage: "subscriptions", Description: "Show what this channel is subscribed to", Private: true,
			Handler: r.subscriptions},
		{Name: "topics", Usage: "topics", Description: "List the topics, regions and user topics you can follow", Private: true,
			Handler: r.topicList},
		{Name: "latest", Usage: "latest [target] [n]",
			Description: fmt.Sprintf("The newest stories (default %d, at most %d), for one target if given", latestDefault, latestMax),
			Options: []Option{target("Region, topic or user topic", false),
				{Name: "count", Description: fmt.Sprintf("How many (1-%d)", latestMax), Kind: OptionInteger}},
			Handler: r.latest},
		{Name: "search", Usage: "search <words>",
			Description: "Search stored reports; region:iraq, topic:terrorism, source:name, OR, NOT also work", Private: true,
			Options: []Option{{Name: "query", Description: "Words and filters", Required: true}},
			Handler: r.search},
		{Name: "summarize", Usage: "summarize <url>", Description: "Fetch an article and summarize it",
			Options: []Option{url}, Handler: r.summarize},
		{Name: "brief", Usage: "brief [24h|7d] [target]",
			Description: "A brief of the period's stories, grouped by region or topic",
			Options: []Option{{Name: "period", Description: "24h (default) or 7d", Choices: []string{"24h", "7d"}},
				target("Region, topic or user topic", false)},
			Handler: r.brief},
		{Name: "story", Usage: "story <id>", Description: "One story with all its reports and sources",
			Options: []Option{{Name: "id", Description: "Story id (shown under stories)", Required: true}},
			Handler: r.story},
		{Name: "feeds", Usage: "feeds add|remove|list", Description: "Manage the feeds sitrep follows (channel admins)",
			Admin: true,
			Group: []Subcommand{
				{Name: "add", Usage: "feeds add <url> [name]", Description: "Follow a feed (a page URL is resolved to its feed)",
					Admin: true, Options: []Option{url, {Name: "name", Description: "Name shown with its stories (default: the site's host)"}},
					Handler: r.feedsAdd},
				{Name: "remove", Usage: "feeds remove <url>", Description: "Stop following a feed added from chat",
					Admin: true, Options: []Option{url}, Handler: r.feedsRemove},
				{Name: "list", Usage: "feeds list", Description: "List the feeds sitrep follows and their health",
					Admin: true, Private: true, Handler: r.feedsList},
			}},
		{Name: "help", Usage: "help [command]", Description: "Show the commands and how to use them", Private: true,
			Handler: r.helpCmd},
	}
}

// help is the ephemeral help text, after an optional note.
func (r *Router) help(note string) Reply {
	var b strings.Builder
	if note != "" {
		b.WriteString(note + " Here is what I understand:\n\n")
	}
	for _, s := range r.subs {
		if len(s.Group) > 0 {
			for _, c := range s.Group {
				fmt.Fprintf(&b, "/sitrep %s — %s\n", c.Usage, c.Description)
			}
			continue
		}
		fmt.Fprintf(&b, "/sitrep %s — %s\n", s.Usage, s.Description)
	}
	b.WriteString("\nA target is a region (iraq, kurdistan-region, …), a security topic (terrorism, border-security, …) " +
		"or a user topic; /sitrep topics lists them all.\n")
	b.WriteString("Subscriptions post each new story here as it comes in. `subscribe daily …` (or weekly) sends one " +
		"brief a day (07:00 UTC) or a week (Mondays) instead of real-time posts; `subscribe live …` switches back.\n")
	b.WriteString("Feed commands are for channel admins.")
	return Reply{Ephemeral: true, Title: "sitrep commands", Text: b.String()}
}

// groupHelp answers a group without a known child ("feeds", "feeds frob").
func (r *Router) groupHelp(g Subcommand, child string) Reply {
	var b strings.Builder
	if child != "" {
		fmt.Fprintf(&b, "I don't know %q %q.\n", g.Name, clip.Runes(child, 40))
	}
	for _, c := range g.Group {
		fmt.Fprintf(&b, "/sitrep %s — %s\n", c.Usage, c.Description)
	}
	return Reply{Ephemeral: true, Title: "/sitrep " + g.Name, Text: strings.TrimSpace(b.String())}
}

// helpCmd answers "help" and "help <command>".
func (r *Router) helpCmd(_ context.Context, cmd Command) (Reply, error) {
	if len(cmd.Args) == 0 {
		return r.help(""), nil
	}
	name := strings.ToLower(cmd.Args[0])
	s := findSubcommand(r.subs, name)
	if s == nil {
		return r.help(fmt.Sprintf("I don't know %q.", clip.Runes(name, 40))), nil
	}
	if len(s.Group) > 0 {
		return r.groupHelp(*s, ""), nil
	}
	return Reply{Ephemeral: true, Title: "/sitrep " + s.Name, Text: fmt.Sprintf("/sitrep %s — %s", s.Usage, s.Description)}, nil
}

// Complete offers values for an option being typed (Discord autocomplete):
// targets for "target" (for unsubscribe, the channel's own targets first),
// periods for "period". At most 25 values.
func (r *Router) Complete(ctx context.Context, cmd Command, option, prefix string) (out []string) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("router: complete panicked", slog.Any("panic", p))
			out = nil
		}
	}()
	const maxChoices = 25
	if cmd.Served != nil {
		if ok, err := cmd.Served(ctx); err != nil || !ok {
			return nil
		}
	}
	switch option {
	case "target":
		cands := r.targets
		if strings.EqualFold(cmd.Name, "unsubscribe") {
			if sub, ok, err := r.channelSub(ctx, cmd); err == nil && ok && len(sub.Targets) > 0 {
				cands = sub.Targets
			}
		}
		return topics.Complete(normTarget(prefix), cands, maxChoices)
	case "period":
		return topics.Complete(prefix, []string{"24h", "7d"}, maxChoices)
	}
	return nil
}

// cmdArg returns option name when set, else the positional word at pos, else "".
func cmdArg(cmd Command, name string, pos int) string {
	if v := strings.TrimSpace(cmd.Options[name]); v != "" {
		return v
	}
	if pos >= 0 && pos < len(cmd.Args) {
		return cmd.Args[pos]
	}
	return ""
}

// cmdRest returns option name when set, else every word from pos on.
func cmdRest(cmd Command, name string, pos int) string {
	if v := strings.TrimSpace(cmd.Options[name]); v != "" {
		return v
	}
	if pos < len(cmd.Args) {
		return strings.Join(cmd.Args[pos:], " ")
	}
	return ""
}

// cleanURL undoes Slack's link escaping (<https://x|x>) and trims spaces.
func cleanURL(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
		s, _, _ = strings.Cut(s, "|")
	}
	return s
}
