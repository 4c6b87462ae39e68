package slack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/sitrep-bot/sitrep/bot"
)

// wireBlock is a block as Slack receives it.
type wireBlock struct {
	Type     string `json:"type"`
	Text     *struct{ Type, Text string }
	Elements []map[string]any
}

// elementText is the text of a context element ("" for other elements).
func elementText(e map[string]any) string {
	s, _ := e["text"].(string)
	return s
}

// checkLimits marshals blocks as slack-go sends them and checks Slack's
// Block Kit limits. It returns the decoded blocks.
func checkLimits(t *testing.T, blocks []slackapi.Block) []wireBlock {
	t.Helper()
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatalf("marshal blocks: %v", err)
	}
	var wb []wireBlock
	if err := json.Unmarshal(raw, &wb); err != nil {
		t.Fatalf("unmarshal blocks: %v", err)
	}
	if len(wb) == 0 || len(wb) > maxBlocks {
		t.Errorf("got %d blocks, want 1..%d", len(wb), maxBlocks)
	}
	total := 0
	for i, b := range wb {
		switch b.Type {
		case "header":
			if n := utf8.RuneCountInString(b.Text.Text); n == 0 || n > 150 {
				t.Errorf("block %d: header text has %d chars, want 1..150", i, n)
			}
			if b.Text.Type != "plain_text" {
				t.Errorf("block %d: header text type %q, want plain_text", i, b.Text.Type)
			}
			total += utf8.RuneCountInString(b.Text.Text)
		case "section":
			if n := utf8.RuneCountInString(b.Text.Text); n == 0 || n > 3000 {
				t.Errorf("block %d: section text has %d chars, want 1..3000", i, n)
			}
			total += utf8.RuneCountInString(b.Text.Text)
		case "context":
			if len(b.Elements) == 0 || len(b.Elements) > 10 {
				t.Errorf("block %d: context has %d elements, want 1..10", i, len(b.Elements))
			}
			for _, e := range b.Elements {
				total += utf8.RuneCountInString(elementText(e))
			}
		case "actions":
		default:
			t.Errorf("block %d: unexpected type %q", i, b.Type)
		}
	}
	if total > maxBlockChars {
		t.Errorf("blocks carry %d chars, want ≤ %d", total, maxBlockChars)
	}
	return wb
}

func allText(wb []wireBlock) string {
	var b strings.Builder
	for _, x := range wb {
		if x.Text != nil {
			b.WriteString(x.Text.Text + "\n")
		}
		for _, e := range x.Elements {
			b.WriteString(elementText(e) + "\n")
		}
	}
	return b.String()
}

func manySources(n int) []bot.Source {
	out := make([]bot.Source, n)
	for i := range out {
		out[i] = bot.Source{Name: fmt.Sprintf("Outlet %d", i), Title: strings.Repeat("headline ", 20),
			URL: fmt.Sprintf("https://news%d.example/a/%d", i, i)}
	}
	return out
}

func TestRenderStoryWithinLimits(t *testing.T) {
	when := time.Date(2026, 11, 26, 7, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		post bot.Post
		want []string // substrings of the block text
	}{
		{"plain", bot.Post{Kind: bot.KindPost, StoryID: "s1", Title: "Drone strike near Erbil", URL: "https://a.example/1",
			Summary: "Two drones hit a base.", Sources: []bot.Source{{Name: "Rudaw", URL: "https://a.example/1"}},
			Regions: []string{"iraq", "kurdistan-region"}, Topics: []string{"armed-conflict"}, Time: when},
			[]string{"Two drones hit a base.", "<https://a.example/1|Read at Rudaw>", "Regions: iraq, kurdistan-region",
				"Topics: armed-conflict", "<!date^" + fmt.Sprint(when.Unix()), "story s1"}},
		{"long title and summary", bot.Post{Kind: bot.KindPost, Title: strings.Repeat("Very long headline ", 40),
			Summary: strings.Repeat("A sentence of the summary. ", 400), URL: "https://a.example/2"},
			[]string{"…"}},
		{"many sources", bot.Post{Kind: bot.KindPost, Title: "Border closed", URL: "https://a.example/3",
			Sources: manySources(500)}, []string{"Reported by 500 sources", "more"}},
		{"mrkdwn is escaped", bot.Post{Kind: bot.KindPost, Title: "<!channel> alert", Summary: "a <b> & <!here>",
			URL: "https://a.example/4?x=1&y=2"}, []string{"a &lt;b&gt; &amp; &lt;!here&gt;", "x=1&amp;y=2"}},
		{"no url, no title", bot.Post{Kind: bot.KindPost}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := renderPost(tt.post)
			wb := checkLimits(t, m.Blocks)
			if wb[0].Type != "header" {
				t.Errorf("first block is %q, want header", wb[0].Type)
			}
			text := allText(wb)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("rendered blocks lack %q", w)
				}
			}
			if mk := allText(wb[1:]); strings.Contains(mk, "<!channel>") || strings.Contains(mk, "<!here>") {
				t.Errorf("mrkdwn blocks contain an unescaped mention: %q", mk)
			}
			if m.Text == "" || utf8.RuneCountInString(m.Text) > maxFallbackText {
				t.Errorf("fallback text has %d chars, want 1..%d", utf8.RuneCountInString(m.Text), maxFallbackText)
			}
		})
	}
}

func TestRenderRollupWithinLimits(t *testing.T) {
	for _, n := range []int{3, 48, 49, 200} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			stories := make([]bot.StoryLine, n)
			for i := range stories {
				stories[i] = bot.StoryLine{StoryID: fmt.Sprint(i), Title: fmt.Sprintf("Story number %d", i),
					URL: fmt.Sprintf("https://a.example/%d", i), Sources: i%4 + 1, Regions: []string{"yemen"},
					Summary: strings.Repeat("words ", 100)}
			}
			m := renderPost(bot.Post{Kind: bot.KindRollup, Stories: stories})
			wb := checkLimits(t, m.Blocks)
			text := allText(wb)
			listed := strings.Count(text, "|Story number ")
			more := 0
			if i := strings.Index(text, "…and "); i >= 0 {
				if n, err := fmt.Sscanf(text[i+len("…and "):], "%d", &more); n != 1 {
					t.Fatalf("overflow line %q: %v", text[i:], err)
				}
			}
			if listed+more != n {
				t.Errorf("listed %d + %d more = %d stories, want %d", listed, more, listed+more, n)
			}
			if n <= 3 && more != 0 {
				t.Errorf("small roll-up says %d more", more)
			}
			if !strings.Contains(text, "<https://a.example/0|Story number 0>") {
				t.Errorf("first story not linked: %q", text[:200])
			}
		})
	}
}

func TestRenderSectionsWithinLimits(t *testing.T) {
	long := strings.Repeat("This paragraph is long. ", 2000) // ~48k chars on one line
	lines := strings.Repeat("short line <x>\n", 3000)
	tests := []struct {
		name  string
		reply bot.Reply
	}{
		{"help", bot.Reply{Title: "sitrep help", Text: "subscribe <topic|region>…\nunsubscribe …"}},
		{"long line", bot.Reply{Text: long}},
		{"many lines", bot.Reply{Title: "Brief", Text: lines}},
		{"sections", bot.Reply{Title: "Brief 7d", Sections: []bot.Section{
			{Heading: "Iraq", Text: "Calm week.", Stories: []bot.StoryLine{{Title: "One", URL: "https://a.example/1", Sources: 2}}},
			{Heading: "Yemen", Text: long},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := renderReply(tt.reply)
			wb := checkLimits(t, m.Blocks)
			if strings.Contains(allText(wb), "<topic|region>") {
				t.Errorf("reply text not escaped")
			}
		})
	}
}

func TestFitMrkdwn(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"hello", 10, "hello"},
		{"hello world", 6, "hello…"},
		{"a<b", 10, "a&lt;b"},
		{"ab&cd", 5, "ab…"}, // never half an entity
		{"ab&cd", 8, "ab&amp;…"},
		{"çğüşö", 3, "çğ…"},
		{"", 5, ""},
	}
	for _, tt := range tests {
		if got := fitMrkdwn(tt.in, tt.max); got != tt.want {
			t.Errorf("fitMrkdwn(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if got := fitMrkdwn(tt.in, tt.max); utf8.RuneCountInString(got) > tt.max {
			t.Errorf("fitMrkdwn(%q, %d) has %d runes", tt.in, tt.max, utf8.RuneCountInString(got))
		}
	}
}

func TestMrkdwnLink(t *testing.T) {
	tests := []struct {
		url, label, want string
	}{
		{"https://a.example/x", "Title", "<https://a.example/x|Title>"},
		{"javascript:alert(1)", "Title", "Title"},
		{"https://a.example/x|y>z", "A | B", "<https://a.example/x%7Cy%3Ez|A ¦ B>"},
		{"", "<b>", "&lt;b&gt;"},
	}
	for _, tt := range tests {
		if got := mrkdwnLink(tt.url, tt.label, 500); got != tt.want {
			t.Errorf("mrkdwnLink(%q, %q) = %q, want %q", tt.url, tt.label, got, tt.want)
		}
	}
}

func TestReplyFallbackCarriesBody(t *testing.T) {
	tests := []struct {
		reply bot.Reply
		want  []string
	}{
		{bot.Reply{Title: "sitrep commands", Text: "/sitrep subscribe <target>\n/sitrep search <words>"},
			[]string{"sitrep commands", "/sitrep subscribe &lt;target&gt;", "/sitrep search"}},
		{bot.Reply{Text: "Subscribed to iraq."}, []string{"Subscribed to iraq."}},
		{bot.Reply{Title: "Latest", Stories: []bot.StoryLine{{Title: "Strike", URL: "https://a.example/1"}}},
			[]string{"Latest", "• Strike https://a.example/1"}},
		{bot.Reply{}, []string{"sitrep"}},
	}
	for _, tt := range tests {
		m := renderReply(tt.reply)
		for _, w := range tt.want {
			if !strings.Contains(m.Text, w) {
				t.Errorf("renderReply(%+v).Text = %q, want it to contain %q", tt.reply, m.Text, w)
			}
		}
	}
	huge := renderReply(bot.Reply{Text: strings.Repeat("x ", 100000)})
	if n := utf8.RuneCountInString(huge.Text); n > maxFallbackText {
		t.Errorf("fallback of a huge reply has %d runes", n)
	}
}

func TestStoryLinksListEveryReport(t *testing.T) {
	short := func(n int) []bot.Source {
		out := make([]bot.Source, n)
		for i := range out {
			out[i] = bot.Source{Name: fmt.Sprintf("Outlet %d", i), Title: fmt.Sprintf("Report %d", i), URL: fmt.Sprintf("https://news%d.example/a", i)}
		}
		return out
	}
	for _, n := range []int{2, 3, 30, 31, 200} {
		srcs := short(n)
		links := storyLinks(bot.Post{Title: "Report 0", URL: srcs[0].URL, Sources: srcs})
		listed := strings.Count(links, "\n• ")
		more := 0
		if i := strings.LastIndex(links, "\n+"); i >= 0 {
			if n, err := fmt.Sscanf(links[i+1:], "+%d more", &more); n != 1 {
				t.Fatalf("overflow line %q: %v", links[i+1:], err)
			}
		}
		if listed+more != n {
			t.Errorf("%d sources: %d listed + %d more, want every one accounted for", n, listed, more)
		}
		if n <= maxSourcesShown && more != 0 {
			t.Errorf("%d sources: says %d more, want all listed", n, more)
		}
		for i := range listed {
			if !strings.Contains(links, "<"+srcs[i].URL+"|Outlet "+fmt.Sprint(i)+">") {
				t.Errorf("%d sources: no link to source %d in %q", n, i, links)
				break
			}
		}
		if utf8.RuneCountInString(links) > maxSectionText {
			t.Errorf("%d sources: section of %d chars", n, utf8.RuneCountInString(links))
		}
	}
}
