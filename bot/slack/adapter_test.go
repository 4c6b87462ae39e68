package slack

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/bot"
)

// The router is the handler cmd/sitrep wires in.
var _ commandHandler = (*bot.Router)(nil)

func TestNewConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr bool
		wantURL string
	}{
		{"defaults", Config{BotToken: "xoxb-1"}, false, DefaultAPIURL},
		{"slash added", Config{BotToken: "xoxb-1", APIURL: "http://127.0.0.1:9/api"}, false, "http://127.0.0.1:9/api/"},
		{"no bot token", Config{}, true, ""},
		{"bot token as app token", Config{BotToken: "xoxb-1", AppToken: "xoxb-2"}, true, ""},
	}
	for _, tt := range tests {
		a, err := New(tt.cfg, nil, nil)
		if (err != nil) != tt.wantErr {
			t.Errorf("New(%s) error = %v, want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if err == nil && a.cfg.APIURL != tt.wantURL {
			t.Errorf("New(%s) API URL = %q, want %q", tt.name, a.cfg.APIURL, tt.wantURL)
		}
		if err != nil && (strings.Contains(err.Error(), "xoxb-1") || strings.Contains(err.Error(), "xoxb-2")) {
			t.Errorf("New(%s) error leaks a token: %v", tt.name, err)
		}
	}
}

func TestNewKeepsNoTokenCopy(t *testing.T) {
	a, err := New(Config{BotToken: "xoxb-secret-1", AppToken: "xapp-secret-2", SigningSecret: "s"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprintf("%+v", a.cfg); strings.Contains(s, "secret-1") || strings.Contains(s, "secret-2") {
		t.Errorf("adapter config holds a token: %s", s)
	}
	if a.cfg.AppToken == "" {
		t.Errorf("socket mode flag lost")
	}
}
