package discord

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/sitrep-bot/sitrep/bot"
)

// The lead's Router is the production commandHandler.
var _ commandHandler = (*bot.Router)(nil)

// TestRealRouterTable checks that the router's own command table becomes a
// /sitrep command Discord would accept.
func TestRealRouterTable(t *testing.T) {
	r := bot.NewRouter(nil, bot.RouterOptions{})
	cmd := BuildCommand(r.Commands())
	if len(cmd.Options) == 0 || len(cmd.Options) > maxOptions {
		t.Fatalf("%d subcommands", len(cmd.Options))
	}
	var check func(path string, opts []*discordgo.ApplicationCommandOption)
	check = func(path string, opts []*discordgo.ApplicationCommandOption) {
		optional := false
		for _, o := range opts {
			p := path + " " + o.Name
			if o.Name == "" || len(o.Name) > maxNameLen || strings.ToLower(o.Name) != o.Name {
				t.Errorf("%s: bad name", p)
			}
			if n := textLen(o.Description); n == 0 || n > maxDescLen {
				t.Errorf("%s: description length %d", p, n)
			}
			if o.Autocomplete && len(o.Choices) > 0 {
				t.Errorf("%s: autocomplete with choices", p)
			}
			isValue := o.Type != discordgo.ApplicationCommandOptionSubCommand && o.Type != discordgo.ApplicationCommandOptionSubCommandGroup
			if isValue && !o.Required {
				optional = true
			} else if isValue && optional {
				t.Errorf("%s: required option after an optional one", p)
			}
			check(p, o.Options)
		}
	}
	check("/sitrep", cmd.Options)
	names := []string{}
	for _, o := range cmd.Options {
		names = append(names, o.Name)
	}
	for _, want := range []string{"search", "subscribe", "latest", "brief", "feeds", "help"} {
		if !slices.Contains(names, want) {
			t.Errorf("subcommand %q missing from %v", want, names)
		}
	}
}

// TestRealRouterHelpAndAutocomplete drives the router through the signed
// HTTP endpoint.
func TestRealRouterHelpAndAutocomplete(t *testing.T) {
	f := newFakeDiscord(t)
	s := newSigner(t)
	a := newHTTPAdapter(t, f, s, bot.NewRouter(nil, bot.RouterOptions{}))
	ans := decodeAnswer(t, serve(a, s.request(t, commandBody(`{"name":"help","type":1}`, "0"), time.Now())))
	if ans.Type != 4 || ans.Data == nil {
		t.Fatalf("help answer = %+v", ans)
	}
	all := ans.Data.Content
	for _, e := range ans.Data.Embeds {
		all += e.Title + e.Description
	}
	if !strings.Contains(all, "search") || !strings.Contains(all, "subscribe") {
		t.Errorf("help does not list the commands: %q", all)
	}
	body := `{"id":"7","application_id":"42","type":4,"token":"t","version":1,"guild_id":"900","channel_id":"555",
	"data":{"id":"c","name":"sitrep","type":1,"options":[{"name":"subscribe","type":1,"options":[{"name":"target","type":3,"value":"ira","focused":true}]}]}}`
	ans = decodeAnswer(t, serve(a, s.request(t, body, time.Now())))
	if ans.Type != 8 {
		t.Fatalf("autocomplete type = %d", ans.Type)
	}
	var got []string
	for _, c := range ans.Data.Choices {
		got = append(got, c.Name)
	}
	if !slices.Contains(got, "iraq") {
		t.Errorf("autocomplete for %q = %v, want iraq among them", "ira", got)
	}
}
