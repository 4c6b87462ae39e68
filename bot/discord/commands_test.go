package discord

import (
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/bot"
)

// regOption is an application command option as the fake received it.
type regOption struct {
	Type         int    `json:"type"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	Required     bool   `json:"required"`
	Autocomplete bool   `json:"autocomplete"`
	Choices      []struct {
		Name  string
		Value any
	} `json:"choices"`
	Options []regOption `json:"options"`
}

func findOpt(opts []regOption, name string) *regOption {
	for i := range opts {
		if opts[i].Name == name {
			return &opts[i]
		}
	}
	return nil
}

func TestRegisterCommandsPayload(t *testing.T) {
	tests := []struct {
		name     string
		guild    string
		wantPath string
	}{
		{"guild", "900", "/api/v10/applications/42/guilds/900/commands"},
		{"global", "", "/api/v10/applications/42/commands"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			a := newTestAdapter(t, f, Config{ApplicationID: "42", GuildID: tt.guild}, &fakeRouter{})
			if err := a.RegisterCommands(t.Context()); err != nil {
				t.Fatalf("RegisterCommands: %v", err)
			}
			reqs := f.requests()
			if len(reqs) != 1 || reqs[0].Method != "PUT" || reqs[0].Path != tt.wantPath {
				t.Fatalf("requests = %+v, want one PUT %s", reqs, tt.wantPath)
			}
			var cmds []struct {
				Name        string      `json:"name"`
				Type        int         `json:"type"`
				Description string      `json:"description"`
				Options     []regOption `json:"options"`
			}
			reqs[0].decode(t, &cmds)
			if len(cmds) != 1 || cmds[0].Name != "sitrep" || cmds[0].Type != 1 || cmds[0].Description == "" {
				t.Fatalf("commands = %+v, want one chat-input /sitrep", cmds)
			}
			opts := cmds[0].Options
			if len(opts) != len(testCommands()) {
				t.Errorf("%d subcommands, want %d", len(opts), len(testCommands()))
			}
			search := findOpt(opts, "search")
			if search == nil || search.Type != 1 || len(search.Options) != 1 {
				t.Fatalf("search = %+v", search)
			}
			if q := search.Options[0]; q.Name != "query" || q.Type != 3 || !q.Required || q.Autocomplete {
				t.Errorf("search query option = %+v", q)
			}
			latest := findOpt(opts, "latest")
			if latest == nil {
				t.Fatal("no latest")
			}
			if c := findOpt(latest.Options, "count"); c == nil || c.Type != 4 {
				t.Errorf("latest count = %+v, want integer (4)", c)
			}
			if tg := findOpt(latest.Options, "target"); tg == nil || !tg.Autocomplete || tg.Type != 3 || len(tg.Choices) != 0 {
				t.Errorf("latest target = %+v, want string with autocomplete", tg)
			}
			if p := findOpt(findOpt(opts, "brief").Options, "period"); p == nil || len(p.Choices) != 2 || p.Choices[1].Value != "7d" {
				t.Errorf("brief period = %+v, want choices 24h, 7d", p)
			}
			feeds := findOpt(opts, "feeds")
			if feeds == nil || feeds.Type != 2 || len(feeds.Options) != 3 {
				t.Fatalf("feeds = %+v, want a group of 3", feeds)
			}
			for _, sub := range feeds.Options {
				if sub.Type != 1 {
					t.Errorf("feeds %s type %d, want subcommand", sub.Name, sub.Type)
				}
			}
			if add := findOpt(feeds.Options, "add"); add == nil || len(add.Options) != 1 || !add.Options[0].Required {
				t.Errorf("feeds add = %+v", add)
			}
		})
	}
}

func TestBuildCommandShapeLimits(t *testing.T) {
	var subs []bot.Subcommand
	for i := range 40 {
		subs = append(subs, bot.Subcommand{
			Name:        "Cmd Name " + strings.Repeat("x", i),
			Description: strings.Repeat("d", 150),
			Options: []bot.Option{
				{Name: "opt", Description: "optional"},
				{Name: "req", Description: "required", Required: true},
				{Name: "both", Autocomplete: true, Choices: []string{"a", "b"}},
			},
		})
	}
	cmd := BuildCommand(subs)
	if len(cmd.Options) != 25 {
		t.Errorf("%d subcommands, want Discord's cap of 25", len(cmd.Options))
	}
	for _, o := range cmd.Options {
		if len(o.Name) > 32 || strings.ToLower(o.Name) != o.Name || strings.Contains(o.Name, " ") {
			t.Errorf("bad name %q", o.Name)
		}
		if n := textLen(o.Description); n == 0 || n > 100 {
			t.Errorf("description length %d", n)
		}
		if len(o.Options) != 3 || !o.Options[0].Required {
			t.Errorf("options of %s: required must come first: %+v", o.Name, o.Options)
		}
		for _, v := range o.Options {
			if v.Autocomplete && len(v.Choices) > 0 {
				t.Errorf("option %s has autocomplete and choices", v.Name)
			}
			if v.Description == "" {
				t.Errorf("option %s has no description", v.Name)
			}
		}
	}
}

func TestRegisterCommandsNeedsHandlerAndApp(t *testing.T) {
	f := newFakeDiscord(t)
	if err := newTestAdapter(t, f, Config{ApplicationID: "42"}, nil).RegisterCommands(t.Context()); err == nil {
		t.Error("RegisterCommands without a handler succeeded")
	}
	if err := newTestAdapter(t, f, Config{}, &fakeRouter{}).RegisterCommands(t.Context()); err == nil {
		t.Error("RegisterCommands without an application id succeeded")
	}
}

func TestRegisterCommandsAbsorbsRateLimit(t *testing.T) {
	f := newFakeDiscord(t)
	f.push(reply{status: 429, body: `{"message":"You are being rate limited.","retry_after":0.05,"global":false}`})
	a := newTestAdapter(t, f, Config{ApplicationID: "42"}, &fakeRouter{})
	if err := a.RegisterCommands(t.Context()); err != nil {
		t.Fatalf("RegisterCommands after one 429: %v", err)
	}
	if n := f.count("PUT", "/applications/42/commands"); n != 2 {
		t.Errorf("%d PUTs, want 2", n)
	}
	f.always = &reply{status: 400, body: `{"message":"Invalid Form Body","code":50035}`}
	if err := a.RegisterCommands(t.Context()); err == nil || !strings.Contains(err.Error(), "Invalid Form Body") {
		t.Errorf("RegisterCommands on 400 = %v, want Discord's reason", err)
	}
}
