package slack

import (
	"net/url"
	"os"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestManifestMatchesAdapter checks that the app manifest points Slack at
// the routes the adapter serves and grants the scopes its calls need.
func TestManifestMatchesAdapter(t *testing.T) {
	raw, err := os.ReadFile("manifest.yaml")
	if err != nil {
		t.Fatalf("read manifest: %v", err)
	}
	var m struct {
		Features struct {
			SlashCommands []struct {
				Command, URL string
			} `yaml:"slash_commands"`
		}
		OAuthConfig struct {
			Scopes struct{ Bot []string }
		} `yaml:"oauth_config"`
		Settings struct {
			Interactivity struct {
				Enabled    bool   `yaml:"is_enabled"`
				RequestURL string `yaml:"request_url"`
			}
		}
	}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("parse manifest: %v", err)
	}
	if len(m.Features.SlashCommands) != 1 || m.Features.SlashCommands[0].Command != "/sitrep" {
		t.Fatalf("slash commands = %+v, want /sitrep", m.Features.SlashCommands)
	}
	paths := map[string]string{
		"slash command": m.Features.SlashCommands[0].URL,
		"interactivity": m.Settings.Interactivity.RequestURL,
	}
	want := map[string]string{"slash command": "/slack/commands", "interactivity": "/slack/interactions"}
	for k, raw := range paths {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || u.Path != want[k] {
			t.Errorf("%s URL = %q, want https://…%s", k, raw, want[k])
		}
	}
	// chat.postMessage/update, the command, history lookups, users.info.
	for _, s := range []string{"chat:write", "commands", "channels:history", "groups:history", "users:read"} {
		if !slices.Contains(m.OAuthConfig.Scopes.Bot, s) {
			t.Errorf("manifest lacks bot scope %s", s)
		}
	}
}
