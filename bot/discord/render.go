package discord

import (
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/sitrep-bot/sitrep/bot"
	"github.com/sitrep-bot/sitrep/topics"
)

// Discord's message limits (PROTOCOLS.md B4), in UTF-16 units.
const (
	limitContent     = 2000
	limitTitle       = 256
	limitDescription = 4096
	limitFields      = 25
	limitFieldName   = 256
	limitFieldValue  = 1024
	limitFooter      = 2048
	limitEmbeds      = 10
	limitTotal       = 6000
)

// maxSourceFields caps how many fields the source list may take, leaving
// room for regions and topics well under limitFields.
const maxSourceFields = 4

// Embed colours by severity.
const (
	colorHigh    = 0xE74C3C
	colorMedium  = 0xE67E22
	colorLow     = 0xF1C40F
	colorDefault = 0x5865F2
)

func severityColor(s topics.Severity) int {
	switch s {
	case topics.SeverityHigh:
		return colorHigh
	case topics.SeverityMedium:
		return colorMedium
	case topics.SeverityLow:
		return colorLow
	}
	return colorDefault
}

// embedLen is an embed's size as Discord counts it toward limitTotal.
func embedLen(e *discordgo.MessageEmbed) int {
	n := textLen(e.Title) + textLen(e.Description)
	for _, f := range e.Fields {
		n += textLen(f.Name) + textLen(f.Value)
	}
	if e.Footer != nil {
		n += textLen(e.Footer.Text)
	}
	if e.Author != nil {
		n += textLen(e.Author.Name)
	}
	return n
}

func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func footer(parts ...string) *discordgo.MessageEmbedFooter {
	var kept []string
	for _, p := range parts {
		if p = oneLine(p); p != "" {
			kept = append(kept, p)
		}
	}
	return &discordgo.MessageEmbedFooter{Text: clip(strings.Join(kept, " · "), limitFooter)}
}

// postEmbed renders a story as one embed within every limit: title linking
// to the original, summary, sources, regions, topics, footer, time, colour.
func postEmbed(p bot.Post) *discordgo.MessageEmbed {
	title := oneLine(p.Title)
	if title == "" {
		title = "Untitled report"
	}
	e := &discordgo.MessageEmbed{
		Type:        discordgo.EmbedTypeRich,
		Title:       clip(title, limitTitle),
		URL:         safeURL(p.URL),
		Description: clip(escape(p.Summary), limitDescription),
		Color:       severityColor(p.Severity),
		Timestamp:   timestamp(p.Time),
	}
	var sev string
	if p.Severity != "" {
		sev = "severity " + string(p.Severity)
	}
	var story string
	if p.StoryID != "" {
		story = "story " + p.StoryID
	}
	e.Footer = footer("sitrep", story, sev)
	e.Fields = append(e.Fields, sourceFields(p.Title, p.Sources)...)
	if v := clip(escape(strings.Join(p.Regions, ", ")), limitFieldValue); v != "" {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Regions", Value: v, Inline: true})
	}
	if v := clip(escape(strings.Join(p.Topics, ", ")), limitFieldValue); v != "" {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Topics", Value: v, Inline: true})
	}
	fitEmbed(e, limitTotal)
	return e
}

// sourceFields lists sources one per line, packed into fields of at most
// limitFieldValue, at most maxSourceFields of them; the rest are counted.
func sourceFields(storyTitle string, srcs []bot.Source) []*discordgo.MessageEmbedField {
	if len(srcs) == 0 {
		return nil
	}
	// Only what can be shown is rendered: the fields hold at most
	// maxSourceFields*limitFieldValue characters, a line takes at least 4.
	storyTitle = oneLine(clip(storyTitle, 2*limitTitle))
	n := min(len(srcs), maxSourceFields*limitFieldValue/4)
	lines := make([]string, 0, n)
	for _, s := range srcs[:n] {
		lines = append(lines, sourceLine(storyTitle, s))
	}
	hidden := len(srcs) - n
	name := "Source"
	if len(srcs) > 1 {
		name = fmt.Sprintf("Sources (%d)", len(srcs))
	}
	return packFields(name, lines, hidden, maxSourceFields)
}

// sourceLine renders "• [Outlet](url): title", dropping the link or the
// title when the line would not fit in one field.
func sourceLine(storyTitle string, s bot.Source) string {
	name := oneLine(clip(s.Name, 2*limitTitle))
	if name == "" {
		name = hostOf(s.URL)
	}
	if name == "" {
		name = "source"
	}
	line := "• " + link(clip(name, 200), s.URL)
	if t := oneLine(clip(s.Title, 2*limitTitle)); t != "" && t != storyTitle {
		line += ": " + clip(escape(t), 200)
	}
	if textLen(line) > limitFieldValue-40 {
		line = "• " + clip(escape(name)+": "+escape(oneLine(clip(s.Title, limitFieldValue))), limitFieldValue-40)
	}
	return line
}

// packFields packs whole lines into at most max fields; a final line says
// how many lines (plus hidden ones never rendered) did not fit.
func packFields(name string, lines []string, hidden, max int) []*discordgo.MessageEmbedField {
	var fields []*discordgo.MessageEmbedField
	var cur []string
	curLen := 0
	flush := func() {
		if len(cur) == 0 {
			return
		}
		n := name
		if len(fields) > 0 {
			n = name + " (cont.)"
		}
		fields = append(fields, &discordgo.MessageEmbedField{Name: clip(n, limitFieldName), Value: strings.Join(cur, "\n")})
		cur, curLen = nil, 0
	}
	const moreRoom = 30 // room for "+N more"
	for i, l := range lines {
		room := limitFieldValue
		if len(fields) == max-1 {
			room -= moreRoom
		}
		if curLen+textLen(l)+1 > room {
			if len(fields) == max-1 {
				cur = append(cur, fmt.Sprintf("+%d more", len(lines)-i+hidden))
				flush()
				return fields
			}
			flush()
		}
		cur = append(cur, l)
		curLen += textLen(l) + 1
	}
	if more := fmt.Sprintf("+%d more", hidden); hidden > 0 && curLen+textLen(more) <= limitFieldValue {
		cur = append(cur, more)
	}
	flush()
	return fields
}

// fitEmbed keeps e within budget total characters: it shortens the
// description first, then drops fields from the end.
func fitEmbed(e *discordgo.MessageEmbed, budget int) {
	if len(e.Fields) > limitFields {
		e.Fields = e.Fields[:limitFields]
	}
	over := embedLen(e) - budget
	if over <= 0 {
		return
	}
	if d := textLen(e.Description); d > 0 {
		keep := max(d-over, 0)
		e.Description = clip(e.Description, keep)
		over = embedLen(e) - budget
	}
	for over > 0 && len(e.Fields) > 0 {
		e.Fields = e.Fields[:len(e.Fields)-1]
		over = embedLen(e) - budget
	}
	if over > 0 {
		e.Title = clip(e.Title, max(textLen(e.Title)-over, 1))
	}
}

// storyLine renders one story of a roll-up or reply on one line.
func storyLine(s bot.StoryLine) string {
	title := oneLine(s.Title)
	if title == "" {
		title = "Untitled story"
	}
	line := "• " + link(clip(title, 200), s.URL)
	var meta []string
	if len(s.Regions) > 0 {
		meta = append(meta, strings.Join(s.Regions, ", "))
	}
	if len(s.Topics) > 0 {
		meta = append(meta, strings.Join(s.Topics, ", "))
	}
	if s.Sources > 1 {
		meta = append(meta, fmt.Sprintf("%d sources", s.Sources))
	}
	if s.StoryID != "" {
		meta = append(meta, "story "+s.StoryID)
	}
	if len(meta) > 0 {
		line += " — " + clip(escape(strings.Join(meta, " · ")), 200)
	}
	if sum := oneLine(s.Summary); sum != "" {
		line += "\n  " + clip(escape(sum), 300)
	}
	return line
}

// maxStoryLines caps how many stories are rendered for one description
// (a line takes at least 4 characters of its 4096).
const maxStoryLines = limitDescription / 4

// storyLines renders at most maxStoryLines stories and says how many more
// there are.
func storyLines(stories []bot.StoryLine) (lines []string, hidden int) {
	n := min(len(stories), maxStoryLines)
	lines = make([]string, 0, n)
	for _, s := range stories[:n] {
		lines = append(lines, storyLine(s))
	}
	return lines, len(stories) - n
}

// joinLines joins head and whole lines up to max units; lines that do not
// fit, and hidden ones never rendered, are counted in a final "…and N more".
func joinLines(head string, lines []string, hidden, max int) string {
	var b strings.Builder
	b.WriteString(clip(head, max))
	n := textLen(b.String())
	for i, l := range lines {
		more := fmt.Sprintf("\n…and %d more", len(lines)-i+hidden)
		sep := "\n"
		if b.Len() == 0 {
			sep = ""
		}
		need := textLen(sep + l)
		if i < len(lines)-1 || hidden > 0 {
			need += textLen(more)
		}
		if n+need > max {
			if n+textLen(more) <= max {
				b.WriteString(more)
			}
			return b.String()
		}
		b.WriteString(sep + l)
		n += textLen(sep + l)
	}
	if more := fmt.Sprintf("\n…and %d more", hidden); hidden > 0 && n+textLen(more) <= max {
		b.WriteString(more)
	}
	return b.String()
}

// rollupEmbed lists several stories, each with its link, in one embed.
func rollupEmbed(p bot.Post) *discordgo.MessageEmbed {
	title := oneLine(p.Title)
	if title == "" {
		title = fmt.Sprintf("%d new stories", len(p.Stories))
	}
	lines, hidden := storyLines(p.Stories)
	head := escape(strings.TrimSpace(p.Text))
	e := &discordgo.MessageEmbed{
		Type:        discordgo.EmbedTypeRich,
		Title:       clip(title, limitTitle),
		URL:         safeURL(p.URL),
		Description: joinLines(head, lines, hidden, limitDescription),
		Color:       colorDefault,
		Timestamp:   timestamp(p.Time),
		Footer:      footer("sitrep", "roll-up"),
	}
	fitEmbed(e, limitTotal)
	return e
}

// sectionEmbeds renders a brief or a reply: a heading embed with the text,
// then one embed per section, at most limitEmbeds and limitTotal in all.
func sectionEmbeds(title, text string, sections []bot.Section, stories []bot.StoryLine, when time.Time, foot string) []*discordgo.MessageEmbed {
	if len(stories) > 0 {
		sections = append([]bot.Section{{Stories: stories}}, sections...)
	}
	var out []*discordgo.MessageEmbed
	if t, x := oneLine(title), strings.TrimSpace(text); t != "" || x != "" || len(sections) == 0 {
		out = append(out, &discordgo.MessageEmbed{
			Type:        discordgo.EmbedTypeRich,
			Title:       clip(t, limitTitle),
			Description: clip(tame(x), limitDescription),
			Color:       colorDefault,
		})
	}
	for _, s := range sections {
		if len(out) > limitEmbeds {
			break // the rest cannot be shown
		}
		lines, hidden := storyLines(s.Stories)
		e := &discordgo.MessageEmbed{
			Type:        discordgo.EmbedTypeRich,
			Title:       clip(oneLine(clip(s.Heading, 2*limitTitle)), limitTitle),
			Description: joinLines(tame(clip(s.Text, limitDescription)), lines, hidden, limitDescription),
			Color:       colorDefault,
		}
		if e.Title == "" && e.Description == "" {
			continue
		}
		// Untitled sections directly after the heading embed merge into it.
		if len(out) > 0 && e.Title == "" && len(out) == 1 && out[0].Description == "" {
			out[0].Description = e.Description
			continue
		}
		out = append(out, e)
	}
	if len(out) > limitEmbeds {
		out = out[:limitEmbeds]
		out[limitEmbeds-1].Footer = footer("more sections not shown")
	}
	// Share limitTotal: each embed gets what the ones before left.
	budget := limitTotal - textLen(foot) - 20
	kept := out[:0]
	for _, e := range out {
		if budget < 50 {
			break
		}
		fitEmbed(e, budget)
		budget -= embedLen(e)
		kept = append(kept, e)
	}
	if len(kept) == 0 {
		return nil
	}
	last := kept[len(kept)-1]
	if foot != "" {
		last.Footer = footer(foot)
	}
	last.Timestamp = timestamp(when)
	return kept
}
