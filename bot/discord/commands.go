package discord

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/sitrep-bot/sitrep/bot"
)

// CommandName is the one chat-input command sitrep registers.
const CommandName = "sitrep"

// Registration limits (PROTOCOLS.md B3).
const (
	maxOptions     = 25
	maxChoices     = 25
	maxNameLen     = 32
	maxDescLen     = 100
	maxChoiceLen   = 100
	commandDesc    = "Regional security news: subscribe, search, latest, briefs"
	defaultOptDesc = "Value"
	defaultCmdDesc = "A sitrep command"
)

// BuildCommand turns the router's command table into the /sitrep
// application command: each row is a subcommand (type 1) with typed
// options, and a row with Group is a subcommand group (type 2).
func BuildCommand(subs []bot.Subcommand) *discordgo.ApplicationCommand {
	cmd := &discordgo.ApplicationCommand{
		Type:        discordgo.ChatApplicationCommand,
		Name:        CommandName,
		Description: commandDesc,
	}
	for _, s := range subs {
		if len(cmd.Options) == maxOptions {
			break
		}
		name := commandName(s.Name)
		if name == "" {
			continue
		}
		if len(s.Group) > 0 {
			g := &discordgo.ApplicationCommandOption{
				Type:        discordgo.ApplicationCommandOptionSubCommandGroup,
				Name:        name,
				Description: description(s.Description, s.Usage),
			}
			for _, c := range s.Group {
				if len(g.Options) == maxOptions {
					break
				}
				if o := subcommandOption(c); o != nil {
					g.Options = append(g.Options, o)
				}
			}
			cmd.Options = append(cmd.Options, g)
			continue
		}
		if o := subcommandOption(s); o != nil {
			cmd.Options = append(cmd.Options, o)
		}
	}
	return cmd
}

func subcommandOption(s bot.Subcommand) *discordgo.ApplicationCommandOption {
	name := commandName(s.Name)
	if name == "" {
		return nil
	}
	o := &discordgo.ApplicationCommandOption{
		Type:        discordgo.ApplicationCommandOptionSubCommand,
		Name:        name,
		Description: description(s.Description, s.Usage),
	}
	// Discord requires required options before optional ones.
	var req, opt []*discordgo.ApplicationCommandOption
	for _, op := range s.Options {
		v := valueOption(op)
		if v == nil {
			continue
		}
		if v.Required {
			req = append(req, v)
		} else {
			opt = append(opt, v)
		}
	}
	o.Options = append(req, opt...)
	if len(o.Options) > maxOptions {
		o.Options = o.Options[:maxOptions]
	}
	return o
}

func valueOption(op bot.Option) *discordgo.ApplicationCommandOption {
	name := commandName(op.Name)
	if name == "" {
		return nil
	}
	v := &discordgo.ApplicationCommandOption{
		Type:        discordgo.ApplicationCommandOptionString,
		Name:        name,
		Description: description(op.Description, ""),
		Required:    op.Required,
	}
	if op.Kind == bot.OptionInteger {
		v.Type = discordgo.ApplicationCommandOptionInteger
	}
	// Discord forbids choices together with autocomplete.
	if op.Autocomplete {
		v.Autocomplete = true
		return v
	}
	for _, c := range op.Choices {
		if len(v.Choices) == maxChoices {
			break
		}
		c = clip(c, maxChoiceLen)
		if c == "" {
			continue
		}
		var val any = c
		if v.Type == discordgo.ApplicationCommandOptionInteger {
			n, err := strconv.ParseInt(c, 10, 64)
			if err != nil {
				continue
			}
			val = n
		}
		v.Choices = append(v.Choices, &discordgo.ApplicationCommandOptionChoice{Name: c, Value: val})
	}
	return v
}

// commandName makes s a valid lower-case Discord command or option name.
func commandName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	out := b.String()
	if len(out) > maxNameLen {
		out = out[:maxNameLen]
	}
	return out
}

func description(d, usage string) string {
	d = oneLine(d)
	if d == "" {
		d = oneLine(usage)
	}
	if d == "" {
		d = defaultCmdDesc
	}
	return clip(d, maxDescLen)
}

// RegisterCommands overwrites the application's commands with /sitrep built
// from the handler's command table: in Config.GuildID when set, else
// globally. Bulk overwrite is idempotent, so calling it at every start is
// safe (mind Discord's 200 command creates per day per guild).
func (a *Adapter) RegisterCommands(ctx context.Context) error {
	h := a.getHandler()
	if h == nil {
		return fmt.Errorf("discord: register commands: no handler set")
	}
	if a.cfg.ApplicationID == "" {
		return fmt.Errorf("discord: register commands: application_id is required")
	}
	cmd := BuildCommand(h.Commands())
	for try := 1; ; try++ {
		_, err := a.session.ApplicationCommandBulkOverwrite(a.cfg.ApplicationID, a.cfg.GuildID,
			[]*discordgo.ApplicationCommand{cmd}, discordgo.WithContext(ctx))
		if err == nil {
			break
		}
		var rl *discordgo.RateLimitError
		if errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil && try < maxTries {
			wait := max(rl.RetryAfter, 100*time.Millisecond)
			a.log.Warn("discord command registration rate limited", "retry_after", wait)
			if sleepWithin(ctx, wait, false) == nil {
				continue
			}
		}
		return fmt.Errorf("discord: register commands: %w", redact(err))
	}
	a.log.Info("discord commands registered", "guild_id", a.cfg.GuildID, "subcommands", len(cmd.Options))
	return nil
}

// commandFrom turns an APPLICATION_COMMAND or AUTOCOMPLETE interaction into
// a bot.Command. It also returns the focused option (autocomplete) and its
// partial value. order gives each subcommand's option names in table order,
// to rebuild Text the way a user would type it.
func commandFrom(i *discordgo.Interaction, subs []bot.Subcommand) (cmd bot.Command, focused, prefix string) {
	cmd = bot.Command{
		Platform: "discord",
		Team:     i.GuildID,
		Channel:  i.ChannelID,
		Options:  map[string]string{},
	}
	var perms int64
	if i.Member != nil {
		perms = i.Member.Permissions
		if i.Member.User != nil {
			cmd.User, cmd.UserName = i.Member.User.ID, i.Member.User.Username
		}
	} else if i.User != nil {
		cmd.User, cmd.UserName = i.User.ID, i.User.Username
	}
	admin := i.Member != nil && perms&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0
	cmd.IsAdmin = func(context.Context) (bool, error) { return admin, nil }

	data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok {
		return cmd, "", ""
	}
	opts := data.Options
	var words []string
	var table []bot.Option
	if len(opts) > 0 && opts[0] != nil && (opts[0].Type == discordgo.ApplicationCommandOptionSubCommandGroup || opts[0].Type == discordgo.ApplicationCommandOptionSubCommand) {
		top := opts[0]
		cmd.Name = top.Name
		words = append(words, top.Name)
		opts = top.Options
		sub := findSub(subs, top.Name)
		if top.Type == discordgo.ApplicationCommandOptionSubCommandGroup && len(opts) > 0 && opts[0] != nil {
			child := opts[0]
			words = append(words, child.Name)
			opts = child.Options
			if sub != nil {
				sub = findSub(sub.Group, child.Name)
			}
		}
		if sub != nil {
			table = sub.Options
		}
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		v := optionString(o.Value)
		cmd.Options[o.Name] = v
		if o.Focused {
			focused, prefix = o.Name, v
		}
	}
	// Rebuild the typed text: table order first, then anything unknown.
	seen := map[string]bool{}
	for _, t := range table {
		if v, ok := cmd.Options[t.Name]; ok && v != "" {
			words = append(words, v)
			seen[t.Name] = true
		}
	}
	for _, o := range opts {
		if o != nil && !seen[o.Name] && cmd.Options[o.Name] != "" {
			words = append(words, cmd.Options[o.Name])
		}
	}
	cmd.Text = strings.Join(words, " ")
	if fs := strings.Fields(cmd.Text); len(fs) > 1 {
		cmd.Args = fs[1:]
	}
	return cmd, focused, prefix
}

func findSub(subs []bot.Subcommand, name string) *bot.Subcommand {
	for i := range subs {
		if commandName(subs[i].Name) == name {
			return &subs[i]
		}
	}
	return nil
}

// optionString formats an option value as the user typed it.
func optionString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		return fmt.Sprint(x)
	}
}

// replyData renders a bot.Reply as interaction response / follow-up data.
func replyData(r bot.Reply) *discordgo.InteractionResponseData {
	content, embeds := replyMessage(r.Title, r.Text, r.Sections, r.Stories, time.Time{})
	d := &discordgo.InteractionResponseData{Content: content, Embeds: embeds, AllowedMentions: noMentions()}
	if r.Ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

// choices renders autocomplete suggestions (at most 25, each ≤ 100 chars).
func choices(vals []string) []*discordgo.ApplicationCommandOptionChoice {
	out := []*discordgo.ApplicationCommandOptionChoice{}
	for _, v := range vals {
		if len(out) == maxChoices {
			break
		}
		if v = strings.TrimSpace(v); v != "" && textLen(v) <= maxChoiceLen {
			out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
		}
	}
	return out
}
