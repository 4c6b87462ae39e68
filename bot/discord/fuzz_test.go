package discord

import (
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/sitrep-bot/sitrep/bot"
)

func FuzzPostEmbed(f *testing.F) {
	f.Add("Drone strike", "A drone struck.", "Rudaw", "https://r.example/a", "iraq")
	f.Add("", "", "", "", "")
	f.Add("🚀\xff\xfe", "[x](javascript:alert(1)) @everyone", "x](y)", "http://[::1]:80/%zz", "a,b")
	f.Fuzz(func(t *testing.T, title, summary, src, u, region string) {
		p := bot.Post{Title: title, URL: u, Summary: summary, Regions: []string{region},
			Sources: []bot.Source{{Name: src, Title: title, URL: u}, {Name: summary, URL: u}}}
		checkLimits(t, []*discordgo.MessageEmbed{postEmbed(p)})
		checkLimits(t, []*discordgo.MessageEmbed{rollupEmbed(bot.Post{Title: title, Text: summary,
			Stories: []bot.StoryLine{{Title: title, URL: u, Summary: summary}}})})
		c, es := replyMessage(title, summary, []bot.Section{{Heading: src, Text: summary}}, nil, p.Time)
		checkLimits(t, es)
		if textLen(c) > limitContent || (c == "" && len(es) == 0) {
			t.Errorf("content %d chars with %d embeds", textLen(c), len(es))
		}
	})
}

func FuzzCommandFrom(f *testing.F) {
	f.Add(commandBody(`{"name":"feeds","type":2,"options":[{"name":"add","type":1,"options":[{"name":"url","type":3,"value":"u"}]}]}`, "32"))
	f.Add(commandBody(`null`, "0"))
	f.Add(commandBody(`{"name":"x","type":1,"options":[null]}`, "0"))
	f.Add(`{"type":2,"data":{"options":[{"type":2,"options":[null]}]}}`)
	f.Add(`{"type":4,"member":null,"data":{"options":[{"type":1,"options":[{"name":"t","value":{"a":1},"focused":true}]}]}}`)
	f.Fuzz(func(t *testing.T, body string) {
		var in discordgo.Interaction
		if json.Unmarshal([]byte(body), &in) != nil {
			return
		}
		cmd, _, _ := commandFrom(&in, testCommands())
		if cmd.Platform != "discord" || cmd.IsAdmin == nil || cmd.Options == nil {
			t.Errorf("incomplete command %+v", cmd)
		}
	})
}
