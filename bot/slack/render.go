package slack

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/sitrep-bot/sitrep/bot"
)

// Slack's Block Kit limits (PROTOCOLS.md A6) and our own tighter budgets.
const (
	maxBlocks       = 50    // blocks per message
	maxHeaderText   = 150   // header block, plain_text
	maxSectionText  = 3000  // section block text
	maxContextItems = 10    // elements in a context block
	maxContextText  = 300   // our cap per context element
	maxFallbackText = 3000  // top-level text: notifications and fallback
	maxBlockChars   = 12000 // all block text together; msg_blocks_too_long was seen near 13.2k
	maxSourcesShown = 30    // links listed under a story before "and N more"
)

// message is a rendered Slack message: the fallback text plus blocks.
type message struct {
	Text   string
	Blocks []slackapi.Block
}

// blockList collects blocks while keeping one slot and some characters in
// reserve for a closing "more omitted" note.
type blockList struct {
	blocks []slackapi.Block
	chars  int
	full   bool
}

// fits reports whether a block carrying n characters still fits, keeping
// room for one more closing block.
func (l *blockList) fits(n int) bool {
	return !l.full && len(l.blocks) < maxBlocks-1 && l.chars+n <= maxBlockChars-200
}

// add appends b (carrying n characters) when it fits and reports whether it did.
// After the first refusal the list stays full, so output order is kept.
func (l *blockList) add(b slackapi.Block, n int) bool {
	if !l.fits(n) {
		l.full = true
		return false
	}
	l.blocks = append(l.blocks, b)
	l.chars += n
	return true
}

// closeWith appends a final context note; it always fits thanks to the reserve.
func (l *blockList) closeWith(note string) {
	note = fitMrkdwn(note, maxContextText)
	l.blocks = append(l.blocks, slackapi.NewContextBlock("", mrkdwn(note)))
	l.chars += utf8.RuneCountInString(note)
}

func mrkdwn(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.MarkdownType, s, false, false)
}

func plain(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.PlainTextType, s, false, false)
}

func headerBlock(title string) (slackapi.Block, int) {
	t := fitPlain(title, maxHeaderText)
	return slackapi.NewHeaderBlock(plain(t)), utf8.RuneCountInString(t)
}

func sectionBlock(text string) (slackapi.Block, int) {
	return slackapi.NewSectionBlock(mrkdwn(text), nil, nil), utf8.RuneCountInString(text)
}

// renderPost renders d's post for a new root message or a root edit.
func renderPost(p bot.Post) message {
	switch p.Kind {
	case bot.KindRollup:
		return renderRollup(p)
	case bot.KindDigest, bot.KindReply:
		return renderSections(p.Title, p.Text, p.Sections, p.Stories)
	default:
		return renderStory(p)
	}
}

// renderStory renders a story's root message: header, summary, links to
// the original and the other sources, and a context line.
func renderStory(p bot.Post) message {
	var l blockList
	title := strings.TrimSpace(p.Title)
	if title == "" {
		title = "Untitled report"
	}
	l.add(headerBlock(title))
	if s := fitMrkdwn(p.Summary, maxSectionText); s != "" {
		l.add(sectionBlock(s))
	}
	if links := storyLinks(p); links != "" {
		l.add(sectionBlock(links))
	}
	if els := storyContext(p); len(els) > 0 {
		n := 0
		for _, e := range els {
			n += utf8.RuneCountInString(e.Text)
		}
		mixed := make([]slackapi.MixedElement, len(els))
		for i, e := range els {
			mixed[i] = e
		}
		l.add(slackapi.NewContextBlock("", mixed...), n)
	}
	if target := moreTarget(p); target != "" {
		l.add(moreButton(target), 20)
	}
	fallback := fitPlain(title, maxHeaderText)
	if src := firstSourceName(p); src != "" {
		fallback += " — " + src
	}
	if u := originalURL(p); u != "" {
		fallback += " " + u
	}
	return message{Text: fitMrkdwn(fallback, maxFallbackText), Blocks: l.blocks}
}

// originalURL is the post's link, or the first source's.
func originalURL(p bot.Post) string {
	if safeURL(p.URL) != "" {
		return p.URL
	}
	for _, s := range p.Sources {
		if safeURL(s.URL) != "" {
			return s.URL
		}
	}
	return ""
}

func firstSourceName(p bot.Post) string {
	for _, s := range p.Sources {
		if n := strings.TrimSpace(s.Name); n != "" {
			return fitPlain(n, 80)
		}
	}
	return ""
}

// storyLinks is the section linking to the original report and, when the
// story has several, to every source (bounded).
func storyLinks(p bot.Post) string {
	var b strings.Builder
	if u := originalURL(p); u != "" {
		label := "Read the original report"
		if n := firstSourceName(p); n != "" {
			label = "Read at " + n
		}
		b.WriteString(mrkdwnLink(u, label, 400))
	}
	if len(p.Sources) < 2 {
		return b.String()
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "*Reported by %d sources:*", len(p.Sources))
	budget := maxSectionText - 40 // room for "and N more"
	shown := 0
	for i, s := range p.Sources {
		name := strings.TrimSpace(s.Name)
		if name == "" {
			name = strings.TrimSpace(s.Title)
		}
		line := "\n• " + mrkdwnLink(s.URL, name, 300)
		if t := strings.TrimSpace(s.Title); t != "" && name != t {
			line += " — " + fitMrkdwn(t, 200)
		}
		if shown == maxSourcesShown || utf8.RuneCountInString(b.String())+utf8.RuneCountInString(line) > budget {
			fmt.Fprintf(&b, "\n+%d more", len(p.Sources)-i)
			break
		}
		b.WriteString(line)
		shown++
	}
	return b.String()
}

// storyContext is the small print under a story: sources, regions,
// topics, severity, time and the story id for /sitrep story.
func storyContext(p bot.Post) []*slackapi.TextBlockObject {
	var out []*slackapi.TextBlockObject
	addEl := func(s string) {
		if s != "" && len(out) < maxContextItems {
			out = append(out, mrkdwn(fitMrkdwn(s, maxContextText)))
		}
	}
	switch n := len(p.Sources); {
	case n == 1:
		addEl("Source: " + firstSourceName(p))
	case n > 1:
		addEl(strconv.Itoa(n) + " sources")
	}
	if len(p.Regions) > 0 {
		addEl("Regions: " + strings.Join(p.Regions, ", "))
	}
	if len(p.Topics) > 0 {
		addEl("Topics: " + strings.Join(p.Topics, ", "))
	}
	if p.Severity != "" {
		addEl("Severity: " + string(p.Severity))
	}
	if !p.Time.IsZero() {
		out = appendTime(out, p.Time)
	}
	if p.StoryID != "" {
		addEl("story " + p.StoryID)
	}
	return out
}

// appendTime adds a Slack date token, shown in the reader's time zone,
// with a UTC fallback.
func appendTime(out []*slackapi.TextBlockObject, t time.Time) []*slackapi.TextBlockObject {
	if len(out) >= maxContextItems {
		return out
	}
	fallback := t.UTC().Format("2006-01-02 15:04 UTC")
	s := fmt.Sprintf("<!date^%d^{date_short_pretty} {time}|%s>", t.Unix(), fallback)
	return append(out, mrkdwn(s))
}

// renderUpdateReply renders the threaded "Also reported by" message.
func renderUpdateReply(p bot.Post) message {
	src := p.Update
	if src == nil && len(p.Sources) > 0 {
		src = &p.Sources[len(p.Sources)-1]
	}
	if src == nil {
		src = &bot.Source{Title: p.Title, URL: p.URL}
	}
	name := strings.TrimSpace(src.Name)
	if name == "" {
		name = "another source"
	}
	title := strings.TrimSpace(src.Title)
	if title == "" {
		title = p.Title
	}
	text := "Also reported by *" + fitMrkdwn(name, 100) + "*: " + mrkdwnLink(src.URL, title, 1500)
	b, _ := sectionBlock(text)
	fallback := "Also reported by " + fitPlain(name, 100) + ": " + fitPlain(title, 300)
	if u := safeURL(src.URL); u != "" {
		fallback += " " + src.URL
	}
	return message{Text: fitMrkdwn(fallback, maxFallbackText), Blocks: []slackapi.Block{b}}
}

// storyLine is one story in a list: linked title, source count, regions.
func storyLine(s bot.StoryLine) string {
	line := mrkdwnLink(s.URL, s.Title, 600)
	if s.Sources > 1 {
		line += fmt.Sprintf(" · %d sources", s.Sources)
	} else if s.Sources == 1 {
		line += " · 1 source"
	}
	if len(s.Regions) > 0 {
		line += " · " + fitMrkdwn(strings.Join(s.Regions, ", "), 120)
	}
	return line
}

// renderRollup renders several stories folded into one message.
func renderRollup(p bot.Post) message {
	var l blockList
	title := strings.TrimSpace(p.Title)
	if title == "" {
		title = fmt.Sprintf("%d new stories", len(p.Stories))
	}
	l.add(headerBlock(title))
	shown := 0
	for _, s := range p.Stories {
		text := storyLine(s)
		if sum := strings.TrimSpace(s.Summary); sum != "" {
			text += "\n" + fitMrkdwn(sum, 300)
		}
		if !l.add(sectionBlock(text)) {
			break
		}
		shown++
	}
	if rest := len(p.Stories) - shown; rest > 0 {
		l.closeWith(fmt.Sprintf("…and %d more. Use /sitrep latest to see them.", rest))
	}
	fallback := fmt.Sprintf("%s (%d stories)", fitPlain(title, maxHeaderText), len(p.Stories))
	return message{Text: fitMrkdwn(fallback, maxFallbackText), Blocks: l.blocks}
}

// renderReply renders a slash-command reply.
func renderReply(r bot.Reply) message {
	m := renderSections(r.Title, r.Text, r.Sections, r.Stories)
	return m
}

// renderSections renders a heading, a text body, headed sections and a
// story list (digests and replies), within the block and size limits.
func renderSections(title, text string, sections []bot.Section, stories []bot.StoryLine) message {
	var l blockList
	if t := strings.TrimSpace(title); t != "" {
		l.add(headerBlock(t))
	}
	omitted := false
	addText := func(prefix, body string) {
		for _, chunk := range chunkMrkdwn(prefix, body, maxSectionText) {
			if !l.add(sectionBlock(chunk)) {
				omitted = true
				return
			}
		}
	}
	addStories := func(list []bot.StoryLine) {
		lines := make([]string, 0, len(list))
		for _, s := range list {
			lines = append(lines, "• "+storyLine(s))
		}
		for _, chunk := range packLines(lines, maxSectionText) {
			if !l.add(sectionBlock(chunk)) {
				omitted = true
				return
			}
		}
	}
	if strings.TrimSpace(text) != "" {
		addText("", text)
	}
	for _, s := range sections {
		prefix := ""
		if h := strings.TrimSpace(s.Heading); h != "" {
			prefix = "*" + fitMrkdwn(strings.Join(strings.Fields(h), " "), 200) + "*"
		}
		if strings.TrimSpace(s.Text) != "" || prefix != "" {
			addText(prefix, s.Text)
		}
		if len(s.Stories) > 0 {
			addStories(s.Stories)
		}
	}
	if len(stories) > 0 {
		addStories(stories)
	}
	if omitted || l.full {
		l.closeWith("…more was left out to fit Slack's message limits.")
	}
	return message{Text: sectionsFallback(title, text, sections, stories), Blocks: l.blocks}
}

// sectionsFallback is the plain body of a reply or digest for the
// top-level text (notifications, clients without blocks), cut to fit.
func sectionsFallback(title, text string, sections []bot.Section, stories []bot.StoryLine) string {
	var parts []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	addStories := func(list []bot.StoryLine) {
		for _, s := range list {
			line := "• " + strings.Join(strings.Fields(s.Title), " ")
			if u := safeURL(s.URL); u != "" {
				line += " " + s.URL
			}
			add(line)
		}
	}
	add(title)
	add(text)
	for _, sec := range sections {
		add(sec.Heading)
		add(sec.Text)
		addStories(sec.Stories)
	}
	addStories(stories)
	if len(parts) == 0 {
		return "sitrep"
	}
	// Stop early on huge bodies: only the first maxFallbackText runes matter.
	var b strings.Builder
	for _, p := range parts {
		if b.Len() > 4*maxFallbackText {
			break
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(p)
	}
	return fitMrkdwn(b.String(), maxFallbackText)
}

// chunkMrkdwn escapes prefix-less body text and splits it into pieces of
// at most max runes, at line breaks where possible. prefix (already
// mrkdwn) starts the first piece on its own line.
func chunkMrkdwn(prefix, body string, max int) []string {
	var lines []string
	if prefix != "" {
		lines = append(lines, prefix)
	}
	for _, ln := range strings.Split(strings.TrimSpace(body), "\n") {
		ln = strings.TrimRight(ln, " \t\r")
		if utf8.RuneCountInString(escapeMrkdwn(ln)) > max {
			// Split an overlong line at word boundaries.
			words := strings.Fields(ln)
			for i, w := range words {
				words[i] = fitMrkdwn(w, max)
			}
			lines = append(lines, joinWithin(words, ' ', max)...)
			continue
		}
		lines = append(lines, escapeMrkdwn(ln))
	}
	return packLines(lines, max)
}

// packLines joins lines with newlines into pieces of at most max runes;
// a single line longer than max is cut.
func packLines(lines []string, max int) []string { return joinWithin(lines, '\n', max) }

// joinWithin joins parts with sep into pieces of at most max runes; a part
// longer than max is cut. A trailing piece of only white space is dropped.
func joinWithin(parts []string, sep byte, max int) []string {
	var out []string
	var cur strings.Builder
	n := 0 // runes in cur
	for _, p := range parts {
		w := utf8.RuneCountInString(p)
		if w > max {
			p = cutEscaped(p, max-1) + ellipsis
			w = utf8.RuneCountInString(p)
		}
		if cur.Len() > 0 && n+1+w > max {
			out = append(out, cur.String())
			cur.Reset()
			n = 0
		}
		if cur.Len() > 0 {
			cur.WriteByte(sep)
			n++
		}
		cur.WriteString(p)
		n += w
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, cur.String())
	}
	return out
}
