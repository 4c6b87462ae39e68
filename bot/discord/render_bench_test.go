package discord

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sitrep-bot/sitrep/bot"
)

// BenchmarkRenderHuge renders posts far beyond Discord's limits, to show
// the cost stays bounded: go test -bench RenderHuge ./bot/discord/
func BenchmarkRenderHuge(b *testing.B) {
	huge := strings.Repeat("word [x] *y* ", 100_000) // ~1.3 MB
	p := bot.Post{Title: huge, Summary: huge, Sources: manySources(10_000, 300)}
	var stories []bot.StoryLine
	for i := range 10_000 {
		stories = append(stories, bot.StoryLine{Title: huge[:5000], URL: fmt.Sprintf("https://n.example/%d", i), Summary: huge[:2000]})
	}
	sections := []bot.Section{{Heading: huge, Text: huge, Stories: stories}}
	b.ResetTimer()
	for b.Loop() {
		postEmbed(p)
		rollupEmbed(bot.Post{Stories: stories})
		replyMessage(huge, huge, sections, stories, p.Time)
	}
}

// BenchmarkRenderPost renders a typical story post with five sources.
func BenchmarkRenderPost(b *testing.B) {
	p := samplePost()
	p.Sources = manySources(5, 80)
	for b.Loop() {
		render(bot.Delivery{ID: 1, Channel: "1", Post: p})
	}
}
