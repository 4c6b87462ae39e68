// Package console is the terminal platform: it prints posts readably to an
// io.Writer. The demo and whole-bot tests use it.
package console

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
)

// Console prints deliveries. Safe for concurrent use.
type Console struct {
	mu   sync.Mutex
	w    io.Writer
	next int
}

// New returns a Console writing to w.
func New(w io.Writer) *Console { return &Console{w: w} }

// Name returns "console".
func (c *Console) Name() string { return "console" }

// Send prints the delivery and returns a ref like "console-3".
func (c *Console) Send(_ context.Context, d bot.Delivery) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next++
	ref := fmt.Sprintf("console-%d", c.next)
	var b strings.Builder
	Render(&b, d)
	if _, err := io.WriteString(c.w, b.String()); err != nil {
		return "", fmt.Errorf("console: send: %w", err)
	}
	return ref, nil
}

// Render writes a delivery as terminal text.
func Render(b *strings.Builder, d bot.Delivery) {
	p := d.Post
	rule := strings.Repeat("─", 72)
	switch p.Kind {
	case bot.KindUpdate:
		fmt.Fprintf(b, "  ↳ [#%s] in thread %q: also reported by %s: %s\n", d.Channel, p.Title, p.Update.Name, p.Update.Title)
		fmt.Fprintf(b, "    %s\n", p.Update.URL)
		return
	case bot.KindRollup:
		fmt.Fprintf(b, "%s\n[#%s] %s\n", rule, d.Channel, p.Title)
		for _, s := range p.Stories {
			fmt.Fprintf(b, "  • %s (%d source%s)\n    %s\n", s.Title, s.Sources, plural(s.Sources), s.URL)
		}
		return
	case bot.KindPost:
		fmt.Fprintf(b, "%s\n[#%s] %s\n", rule, d.Channel, p.Title)
		var names []string
		for _, s := range p.Sources {
			if !slices.Contains(names, s.Name) {
				names = append(names, s.Name)
			}
		}
		fmt.Fprintf(b, "Source%s: %s", plural(len(names)), strings.Join(names, ", "))
		if len(p.Regions) > 0 {
			fmt.Fprintf(b, " · Regions: %s", strings.Join(p.Regions, ", "))
		}
		if len(p.Topics) > 0 {
			fmt.Fprintf(b, " · Topics: %s", strings.Join(p.Topics, ", "))
		}
		if p.Severity != "" {
			fmt.Fprintf(b, " · Severity: %s", p.Severity)
		}
		b.WriteString("\n")
		if !p.Time.IsZero() {
			fmt.Fprintf(b, "%s\n", p.Time.UTC().Format(time.RFC1123))
		}
		b.WriteString("\n")
		wrap(b, p.Summary, 72, "  ")
		fmt.Fprintf(b, "\n  %s\n", p.URL)
		writeReports(b, p.Sources)
	default:
		fmt.Fprintf(b, "%s\n[#%s] %s\n", rule, d.Channel, p.Title)
		if p.Text != "" {
			wrap(b, p.Text, 72, "  ")
		}
		for _, s := range p.Sections {
			fmt.Fprintf(b, "\n%s\n", s.Heading)
			if s.Text != "" {
				wrap(b, s.Text, 72, "  ")
			}
			for _, st := range s.Stories {
				fmt.Fprintf(b, "  • %s\n    %s\n", st.Title, st.URL)
			}
		}
	}
}

// maxReportsShown caps the reports listed under a story.
const maxReportsShown = 20

// writeReports lists every report of a story with several, outlet and
// link, the first maxReportsShown of them and a count of the rest.
func writeReports(b *strings.Builder, srcs []bot.Source) {
	if len(srcs) < 2 {
		return
	}
	fmt.Fprintf(b, "  Reported by %d sources:\n", len(srcs))
	for i, s := range srcs {
		if i == maxReportsShown {
			fmt.Fprintf(b, "  +%d more\n", len(srcs)-i)
			break
		}
		name := strings.TrimSpace(s.Name)
		if name == "" {
			name = "source"
		}
		if t := strings.TrimSpace(s.Title); t != "" {
			name += " — " + t
		}
		fmt.Fprintf(b, "  • %s\n    %s\n", name, s.URL)
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// wrap writes text word-wrapped at width with an indent.
func wrap(b *strings.Builder, text string, width int, indent string) {
	for _, para := range strings.Split(text, "\n") {
		line := indent
		for _, w := range strings.Fields(para) {
			if len(line) > len(indent) && len(line)+1+len(w) > width {
				b.WriteString(line + "\n")
				line = indent
			}
			if len(line) > len(indent) {
				line += " "
			}
			line += w
		}
		if len(line) > len(indent) {
			b.WriteString(line + "\n")
		}
	}
}
