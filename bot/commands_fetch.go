package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/internal/clip"
	"github.com/sitrep-bot/sitrep/internal/redact"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/summarize"
	"github.com/sitrep-bot/sitrep/topics"
)

// Summaries of pages fetched on request.
const (
	summarySentences = 4
	summaryChars     = 1200
	feedsListMax     = 40
)

// checkURL accepts an http(s) URL typed by a user; a bare host gets https://.
func checkURL(raw string) (string, error) {
	raw = cleanURL(raw)
	if raw == "" {
		return "", sayf("Please give a web address, e.g. https://example.org/news/article.")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || len(raw) > 2048 {
		return "", sayf("%q is not a web address I can fetch (http or https).", clip.Runes(raw, 100))
	}
	return u.String(), nil
}

// fetchProblem turns a fetch error into what the user is told; errors that
// say nothing useful to a user are logged.
func (r *Router) fetchProblem(op, rawURL string, err error) error {
	var se *feeds.StatusError
	switch {
	case errors.Is(err, feeds.ErrPrivateAddress):
		return sayf("I can't fetch that address: sitrep only reaches public web sites, not private or local ones.")
	case errors.Is(err, feeds.ErrNotArticle):
		return sayf("I couldn't find an article on that page.")
	case errors.Is(err, feeds.ErrNotAFeed):
		return sayf("I couldn't find a feed at that address. Try the site's RSS or Atom link.")
	case errors.Is(err, feeds.ErrTooLarge):
		return sayf("That page is too large for me to read.")
	case errors.Is(err, feeds.ErrTooManyRedirects), errors.Is(err, feeds.ErrRedirectLoop):
		return sayf("That address redirects too often.")
	case errors.As(err, &se):
		return sayf("The site answered with HTTP status %d.", se.Code)
	case errors.Is(err, context.DeadlineExceeded):
		return sayf("The site took too long to answer.")
	}
	host := ""
	if u, perr := url.Parse(rawURL); perr == nil {
		host = u.Host
	}
	r.log.Warn("router: "+op+" failed", slog.String("host", host), slog.Any("error", err))
	return sayf("I couldn't fetch that page.")
}

// summarize fetches an article and summarizes it.
func (r *Router) summarize(ctx context.Context, cmd Command) (Reply, error) {
	u, err := checkURL(cmdArg(cmd, "url", 0))
	if err != nil {
		return Reply{}, err
	}
	if r.fetch == nil {
		return Reply{}, sayf("Fetching pages is not enabled on this bot.")
	}
	fctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	art, err := r.fetch.FetchArticle(fctx, u)
	if err != nil {
		return Reply{}, r.fetchProblem("summarize", u, err)
	}
	sum, err := summarize.Summarize(art.Text, summarize.Options{Sentences: summarySentences, MaxChars: summaryChars,
		Title: art.Title})
	if errors.Is(err, summarize.ErrEmpty) {
		return Reply{}, sayf("I found no text to summarize on that page.")
	}
	if err != nil {
		return Reply{}, fmt.Errorf("router: summarize: %w", err)
	}
	title := strings.TrimSpace(art.Title)
	if title == "" {
		title = strings.TrimSpace(sum.Title)
	}
	link := art.URL
	if link == "" {
		link = u
	}
	if title == "" {
		title = link
	}
	text := sum.Text() + "\n" + link
	if r.opt.Tagger != nil {
		tags := r.opt.Tagger.Tag(topics.Doc{Title: art.Title, Text: art.Text})
		if all := slices.Concat(tags.Regions, tags.Topics, tags.UserTopics); len(all) > 0 {
			text += "\n" + strings.Join(all, ", ")
		}
	}
	return Reply{Title: title, Text: text}, nil
}

// channelKey is how a chat channel is recorded as a feed's AddedBy.
func channelKey(cmd Command) string { return cmd.Platform + ":" + cmd.Channel }

// feedsAdd follows a feed, resolving a page URL through discovery.
func (r *Router) feedsAdd(ctx context.Context, cmd Command) (Reply, error) {
	if err := needChannel(cmd); err != nil {
		return Reply{}, err
	}
	u, err := checkURL(cmdArg(cmd, "url", 0))
	if err != nil {
		return Reply{}, err
	}
	if r.fetch == nil {
		return Reply{}, sayf("Adding feeds from chat is not enabled on this bot.")
	}
	fctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	feedURL, err := r.fetch.Discover(fctx, u)
	if err != nil {
		return Reply{}, r.fetchProblem("discover feed", u, err)
	}
	if old, err := r.store.Feed(ctx, feedURL); err == nil {
		return Reply{Ephemeral: true, Text: fmt.Sprintf("sitrep already follows %s (%s).", redact.URL(feedURL), feedLabel(old))}, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return Reply{}, fmt.Errorf("router: feeds add: %w", err)
	}
	// The feed's own title is not trusted: it could claim another outlet.
	name := feedNameArg(cmdRest(cmd, "name", 1))
	if name == "" {
		name = feeds.HostName(feedURL)
	}
	f, err := r.store.UpsertFeed(ctx, store.Feed{URL: feedURL, Name: name, Schedule: r.opt.DefaultSchedule, AddedBy: channelKey(cmd)})
	if err != nil {
		return Reply{}, fmt.Errorf("router: feeds add: %w", err)
	}
	r.log.Info("router: feed added", slog.String("feed_url", redact.URL(f.URL)), slog.String("platform", cmd.Platform),
		slog.String("channel_id", cmd.Channel), slog.String("user_id", cmd.User))
	text := "Now following " + redact.URL(f.URL) + " as “" + f.Name + "”."
	if feedURL != u {
		text = "Found the feed " + redact.URL(f.URL) + " on that page and now follow it as “" + f.Name + "”."
	}
	return Reply{Title: "Feed added", Text: text + " Its recent items will be searchable after the next poll; " +
		"subscriptions decide where its stories are posted."}, nil
}

// maxFeedName bounds a feed name given in chat.
const maxFeedName = 60

// feedNameArg cleans a feed name typed by an admin: one line of printable
// text, spaces collapsed, at most maxFeedName runes.
func feedNameArg(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
	return clip.Runes(strings.Join(strings.Fields(s), " "), maxFeedName)
}

// feedLabel says who added a feed.
func feedLabel(f store.Feed) string {
	switch {
	case !f.FromChat():
		return "configured by the operator"
	default:
		return "added from chat"
	}
}

// feedsRemove stops following a feed added from this channel.
func (r *Router) feedsRemove(ctx context.Context, cmd Command) (Reply, error) {
	if err := needChannel(cmd); err != nil {
		return Reply{}, err
	}
	u, err := checkURL(cmdArg(cmd, "url", 0))
	if err != nil {
		return Reply{}, err
	}
	f, err := r.store.Feed(ctx, u)
	if errors.Is(err, store.ErrNotFound) && feeds.CanonicalURL(u) != u {
		f, err = r.store.Feed(ctx, feeds.CanonicalURL(u))
	}
	if errors.Is(err, store.ErrNotFound) {
		return Reply{}, sayf("sitrep doesn't follow %s. /sitrep feeds list shows the feeds.", u)
	}
	if err != nil {
		return Reply{}, fmt.Errorf("router: feeds remove: %w", err)
	}
	if f.AddedBy != channelKey(cmd) {
		if f.AddedBy == "" || f.AddedBy == "config" {
			return Reply{}, sayf("%s is in sitrep's configuration; ask the operator to remove it.", redact.URL(f.URL))
		}
		return Reply{}, sayf("%s was added from another channel; it can be removed from there.", redact.URL(f.URL))
	}
	if err := r.store.DeleteFeed(ctx, f.URL); err != nil && !errors.Is(err, store.ErrNotFound) {
		return Reply{}, fmt.Errorf("router: feeds remove: %w", err)
	}
	r.log.Info("router: feed removed", slog.String("feed_url", redact.URL(f.URL)), slog.String("platform", cmd.Platform),
		slog.String("channel_id", cmd.Channel), slog.String("user_id", cmd.User))
	return Reply{Title: "Feed removed", Text: "No longer following " + redact.URL(f.URL) + ". Its stored items stay searchable."}, nil
}

// feedsList lists every feed with its health.
func (r *Router) feedsList(ctx context.Context, cmd Command) (Reply, error) {
	list, err := r.store.Feeds(ctx)
	if err != nil {
		return Reply{}, fmt.Errorf("router: feeds list: %w", err)
	}
	if len(list) == 0 {
		return Reply{Ephemeral: true, Text: "sitrep follows no feeds yet. Add one with /sitrep feeds add <url>."}, nil
	}
	var b strings.Builder
	for i, f := range list {
		if i == feedsListMax {
			fmt.Fprintf(&b, "…and %d more.\n", len(list)-feedsListMax)
			break
		}
		b.WriteString("• ")
		if f.Name != "" {
			b.WriteString(f.Name + ": ")
		}
		b.WriteString(redact.URL(f.URL))
		switch {
		case f.Failures > 0:
			fmt.Fprintf(&b, " — failing (%d in a row: %s)", f.Failures, clip.Runes(redact.Text(f.LastError), 80))
		case f.LastSuccess.IsZero():
			b.WriteString(" — not fetched yet")
		default:
			b.WriteString(" — ok")
		}
		if f.AddedBy == channelKey(cmd) {
			b.WriteString(" — added here")
		}
		b.WriteString("\n")
	}
	return Reply{Ephemeral: true, Title: fmt.Sprintf("Feeds (%d)", len(list)), Text: strings.TrimSpace(b.String())}, nil
}
