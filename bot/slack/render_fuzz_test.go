package slack

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sitrep-bot/sitrep/bot"
)

// ourAngle matches the only '<…>' constructs the renderer itself writes:
// links to http(s) URLs and date tokens.
var ourAngle = regexp.MustCompile(`<(https?://[^<>|\s]+\|[^<>]*|!date\^\d+\^[^<>|]+\|[^<>]*)>`)

// FuzzRender feeds arbitrary feed text through every renderer and checks
// Slack's limits and that no input text can form a link, mention or
// command of its own.
func FuzzRender(f *testing.F) {
	f.Add("Title", "Summary", "Outlet", "https://a.example/x", "iraq", 3)
	f.Add("<!channel> & <@U123>", "<https://evil.example|click>", "A|B", "https://a.example/x?a=1&b=<2>", "a b", 60)
	f.Add(strings.Repeat("ü", 400), strings.Repeat("&", 5000), "", "javascript:alert(1)", "", 0)
	f.Fuzz(fuzzBody)
}

// fuzzBody renders one fuzz input with every renderer and checks the output.
func fuzzBody(t *testing.T, title, summary, source, link, region string, n int) {
	n = min(max(n, 0), 120)
	srcs := make([]bot.Source, n)
	lines := make([]bot.StoryLine, n)
	for i := range srcs {
		srcs[i] = bot.Source{Name: source, Title: title, URL: link}
		lines[i] = bot.StoryLine{Title: title, URL: link, Sources: i, Regions: []string{region}, Summary: summary}
	}
	posts := []bot.Post{
		{Kind: bot.KindPost, Title: title, Summary: summary, URL: link, Sources: srcs, Regions: []string{region}, Topics: []string{source}},
		{Kind: bot.KindRollup, Title: title, Stories: lines},
		{Kind: bot.KindDigest, Title: title, Text: summary, Sections: []bot.Section{{Heading: source, Text: summary, Stories: lines}}},
	}
	msgs := []message{renderUpdateReply(bot.Post{Title: title, Update: &bot.Source{Name: source, Title: title, URL: link}})}
	for _, p := range posts {
		msgs = append(msgs, renderPost(p))
	}
	for _, m := range msgs {
		if !utf8.ValidString(m.Text) || utf8.RuneCountInString(m.Text) > maxFallbackText {
			t.Fatalf("fallback text invalid or too long (%d runes)", utf8.RuneCountInString(m.Text))
		}
		if len(m.Blocks) == 0 {
			continue
		}
		for _, b := range checkLimits(t, m.Blocks) {
			if b.Type == "header" || b.Text == nil {
				continue
			}
			rest := ourAngle.ReplaceAllString(b.Text.Text, "")
			if strings.ContainsAny(rest, "<>") {
				t.Fatalf("input formed its own mrkdwn construct: %q", b.Text.Text)
			}
		}
	}
}
