package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sitrep-bot/sitrep/internal/clip"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/topics"
)

// Digest schedules offered by "subscribe daily|weekly" (robfig/cron specs, UTC).
const (
	DigestDaily  = "0 7 * * *" // every day at 07:00 UTC
	DigestWeekly = "0 7 * * 1" // Mondays at 07:00 UTC
)

// maxTargetWords bounds the words read as targets in one command.
const maxTargetWords = 3 * maxTargets

// digestModes maps the mode words of subscribe to a Digest spec; "live"
// means real-time posts.
var digestModes = map[string]string{
	"live": "", "realtime": "", "real-time": "",
	"daily": DigestDaily, "weekly": DigestWeekly,
}

// newsModes maps the words of subscribe that choose between security news only (true) and every
// item (false). They count only before the first target, so "border security" stays a target.
var newsModes = map[string]bool{
	"security": true, "security-only": true, "secure": true,
	"all-news": false, "any-news": false,
}

// subscribeAllWords are the words that mean "no filter".
var subscribeAllWords = []string{"all", "everything", "*"}

// normTarget lower-cases a typed target and turns spaces into hyphens, so
// "Kurdistan Region" and "#Iraq" become slugs.
func normTarget(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "#")
	for _, p := range []string{"region:", "topic:"} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' || r == '\t' }), "-")
}

// splitTargets splits typed targets on spaces and commas.
func splitTargets(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
}

// targetWords returns the typed targets: the "target" option (one target,
// perhaps with spaces) or else the words of Args.
func targetWords(cmd Command) []string {
	if v := strings.TrimSpace(cmd.Options["target"]); v != "" {
		if strings.Contains(v, ",") {
			return splitTargets(v)
		}
		return []string{v}
	}
	var out []string
	for _, a := range cmd.Args {
		out = append(out, splitTargets(a)...)
	}
	return out
}

// exactTarget maps a typed target to a region slug, built-in topic or
// user-topic name without guessing. With aliases, spellings the gazetteer
// knows (Türkiye, Hewler, العراق) are tried too; found holds the regions
// such a spelling named when it named several.
func (r *Router) exactTarget(s string, aliases bool) (target string, found []string, ok bool) {
	t := normTarget(s)
	if t == "" {
		return "", nil, false
	}
	if topics.IsRegion(t) || topics.IsTopic(t) {
		return t, nil, true
	}
	for _, u := range r.opt.UserTopics {
		if strings.EqualFold(u.Name, t) || strings.EqualFold(u.Name, strings.TrimSpace(s)) {
			return u.Name, nil, true
		}
	}
	for _, reg := range topics.Regions() {
		if normTarget(reg.Name) == t {
			return reg.Slug, nil, true
		}
	}
	if aliases && r.opt.Tagger != nil {
		found = r.opt.Tagger.Tag(topics.Doc{Title: strings.TrimSpace(s)}).Regions
		if len(found) == 1 {
			return found[0], nil, true
		}
	}
	return "", found, false
}

// resolveTarget maps a typed target to a region slug, built-in topic or
// user-topic name. Unknown names get a "did you mean" error.
func (r *Router) resolveTarget(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", sayf("Empty target.")
	}
	t, cands, ok := r.exactTarget(s, true)
	if ok {
		return t, nil
	}
	if len(cands) == 0 {
		cands = topics.Suggest(normTarget(s), r.targets, 3)
	}
	msg := fmt.Sprintf("I don't know the region or topic %q.", clip.Runes(strings.TrimSpace(s), 60))
	if len(cands) > 0 {
		msg += " Did you mean " + orList(cands) + "?"
	}
	return "", sayf("%s", msg+" /sitrep topics lists them all.")
}

// resolveTargets resolves typed words, joining neighbours that together
// name one target ("saudi arabia", "border security"). It returns the
// targets, each once, and a message per word it could not resolve.
func (r *Router) resolveTargets(words []string) (targets, problems []string) {
	if len(words) > maxTargetWords {
		return nil, []string{fmt.Sprintf("That is too many words; name at most %d targets at a time.", maxTargets)}
	}
	add := func(t string) {
		if !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
	}
	for i := 0; i < len(words); {
		joined := false
		for n := min(3, len(words)-i); n >= 2; n-- {
			if t, _, ok := r.exactTarget(strings.Join(words[i:i+n], " "), false); ok {
				add(t)
				i, joined = i+n, true
				break
			}
		}
		if joined {
			continue
		}
		if t, err := r.resolveTarget(words[i]); err != nil {
			problems = append(problems, err.Error())
		} else {
			add(t)
		}
		i++
	}
	return targets, problems
}

// indexFold is the index of s in list ignoring case, or -1.
func indexFold(list []string, s string) int {
	return slices.IndexFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

// orList quotes names and joins them with commas and "or".
func orList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// channelSub returns the subscription of the command's channel, if any.
func (r *Router) channelSub(ctx context.Context, cmd Command) (store.Subscription, bool, error) {
	subs, err := r.store.Subscriptions(ctx, cmd.Platform)
	if err != nil {
		return store.Subscription{}, false, fmt.Errorf("router: subscriptions: %w", err)
	}
	for _, s := range subs {
		if s.Platform == cmd.Platform && s.Channel == cmd.Channel {
			return s, true, nil
		}
	}
	return store.Subscription{}, false, nil
}

func needChannel(cmd Command) error {
	if cmd.Platform == "" || cmd.Channel == "" {
		return sayf("This command only works in a channel.")
	}
	return nil
}

// describeSub says in words what a subscription delivers.
func describeSub(s store.Subscription) string {
	what := "everything"
	if len(s.Targets) > 0 {
		what = strings.Join(s.Targets, ", ")
	}
	if s.SecurityOnly {
		what = "security news on " + what
		if len(s.Targets) == 0 {
			what = "all security news"
		}
	}
	return what + " — " + describeDigest(s.Digest)
}

// describeDigest names a delivery mode.
func describeDigest(spec string) string {
	switch spec {
	case "":
		return "each new story is posted as it comes in"
	case DigestDaily:
		return "a daily digest at 07:00 UTC instead of real-time posts"
	case DigestWeekly:
		return "a weekly digest on Mondays at 07:00 UTC instead of real-time posts"
	}
	return fmt.Sprintf("a digest on schedule `%s` instead of real-time posts", spec)
}

// subscribe adds targets to the channel's subscription, optionally
// switching it to a daily or weekly digest.
func (r *Router) subscribe(ctx context.Context, cmd Command) (Reply, error) {
	if err := needChannel(cmd); err != nil {
		return Reply{}, err
	}
	words := targetWords(cmd)
	mode, modeSet := "", false
	if m := strings.ToLower(strings.TrimSpace(cmd.Options["digest"])); m != "" {
		spec, ok := digestModes[m]
		if !ok {
			return Reply{}, sayf("Digest must be live, daily or weekly.")
		}
		mode, modeSet = spec, true
	}
	secOnly, secSet := false, false
	if m := strings.ToLower(strings.TrimSpace(cmd.Options["news"])); m != "" {
		v, ok := newsModes[m]
		if !ok {
			return Reply{}, sayf("News must be security or all-news.")
		}
		secOnly, secSet = v, true
	}
	all := false
	var rest []string
	for _, w := range words {
		lw := strings.ToLower(w)
		if spec, ok := digestModes[lw]; ok && !modeSet {
			mode, modeSet = spec, true
			continue
		}
		if v, ok := newsModes[lw]; ok && !secSet && len(rest) == 0 {
			secOnly, secSet = v, true
			continue
		}
		if slices.Contains(subscribeAllWords, lw) {
			all = true
			continue
		}
		rest = append(rest, w)
	}
	words = rest
	if len(words) == 0 && !modeSet && !secSet && !all {
		return Reply{}, sayf("Which regions or topics? Usage: /sitrep subscribe [daily|weekly|live] [security|all-news] <target>… — " +
			"e.g. /sitrep subscribe iraq border-security, or /sitrep subscribe security iraq for security news only. /sitrep topics lists them.")
	}
	add, problems := r.resolveTargets(words)
	if len(problems) > 0 {
		return Reply{}, sayf("%s", strings.Join(problems, "\n")+"\nNothing was changed.")
	}
	sub, had, err := r.channelSub(ctx, cmd)
	if err != nil {
		return Reply{}, err
	}
	if !had && len(words) == 0 && secOnly && !all {
		all = true // "subscribe security": security news from everywhere
	}
	if !had && len(words) == 0 && !all {
		return Reply{}, sayf("This channel has no subscription yet. Usage: /sitrep subscribe [daily|weekly|live] [security|all-news] <target>…")
	}
	sub.Platform, sub.Channel = cmd.Platform, cmd.Channel
	switch {
	case all:
		sub.Targets = nil
	case len(add) > 0 && had && len(sub.Targets) == 0:
		// A channel that followed everything now follows just these.
		sub.Targets = add
	default:
		for _, t := range add {
			if !slices.Contains(sub.Targets, t) {
				sub.Targets = append(sub.Targets, t)
			}
		}
	}
	if len(sub.Targets) > maxTargets {
		return Reply{}, sayf("A channel can follow at most %d targets; unsubscribe some first.", maxTargets)
	}
	if modeSet {
		sub.Digest = mode
	}
	if secSet {
		sub.SecurityOnly = secOnly
	}
	saved, err := r.store.Subscribe(ctx, sub)
	if err != nil {
		return Reply{}, fmt.Errorf("router: subscribe: %w", err)
	}
	return Reply{Title: "Subscribed", Text: "This channel now follows " + describeSub(saved) + "."}, nil
}

// unsubscribe removes targets, or the whole subscription.
func (r *Router) unsubscribe(ctx context.Context, cmd Command) (Reply, error) {
	if err := needChannel(cmd); err != nil {
		return Reply{}, err
	}
	sub, had, err := r.channelSub(ctx, cmd)
	if err != nil {
		return Reply{}, err
	}
	if !had {
		return Reply{}, sayf("This channel has no subscription.")
	}
	words := targetWords(cmd)
	all := len(words) == 0
	for _, w := range words {
		if slices.Contains(subscribeAllWords, strings.ToLower(w)) {
			all = true
		}
	}
	if !all && len(sub.Targets) == 0 {
		return Reply{}, sayf("This channel follows everything. Use /sitrep unsubscribe to stop, " +
			"or /sitrep subscribe <target>… to follow only some targets.")
	}
	var missing []string
	left := slices.Clone(sub.Targets)
	if !all {
		drop, _ := r.resolveTargets(words)
		// A stored target may no longer resolve (a user topic since removed from the configuration).
		for _, w := range words {
			if i := indexFold(left, normTarget(w)); i >= 0 && indexFold(drop, left[i]) < 0 {
				drop = append(drop, left[i])
			}
		}
		for _, t := range drop {
			i := indexFold(left, t)
			if i < 0 {
				missing = append(missing, t)
				continue
			}
			left = slices.Delete(left, i, i+1)
		}
		if len(left) == len(sub.Targets) {
			return Reply{}, sayf("This channel doesn't follow %s. It follows: %s.", orList(words), strings.Join(sub.Targets, ", "))
		}
	}
	if all || len(left) == 0 {
		if err := r.store.Unsubscribe(ctx, cmd.Platform, cmd.Channel); err != nil && !errors.Is(err, store.ErrNotFound) {
			return Reply{}, fmt.Errorf("router: unsubscribe: %w", err)
		}
		return Reply{Title: "Unsubscribed", Text: "This channel gets no more sitrep posts or digests."}, nil
	}
	sub.Targets = left
	saved, err := r.store.Subscribe(ctx, sub)
	if err != nil {
		return Reply{}, fmt.Errorf("router: unsubscribe: %w", err)
	}
	text := "This channel now follows " + describeSub(saved) + "."
	if len(missing) > 0 {
		text += " (It didn't follow " + orList(missing) + ".)"
	}
	return Reply{Title: "Unsubscribed", Text: text}, nil
}

// subscriptions shows the channel's subscription.
func (r *Router) subscriptions(ctx context.Context, cmd Command) (Reply, error) {
	if err := needChannel(cmd); err != nil {
		return Reply{}, err
	}
	sub, had, err := r.channelSub(ctx, cmd)
	if err != nil {
		return Reply{}, err
	}
	if !had {
		return Reply{Ephemeral: true, Text: "This channel has no subscription. Try /sitrep subscribe <region or topic>."}, nil
	}
	return Reply{Ephemeral: true, Title: "Subscriptions", Text: "This channel follows " + describeSub(sub) + "."}, nil
}

// topicList lists everything a channel can follow.
func (r *Router) topicList(_ context.Context, _ Command) (Reply, error) {
	regions := topics.Regions()
	slugs := make([]string, len(regions))
	for i, reg := range regions {
		slugs[i] = reg.Slug
	}
	secs := []Section{
		{Heading: "Security topics", Text: strings.Join(topics.BuiltinTopics(), ", ")},
		{Heading: fmt.Sprintf("Regions (%d)", len(slugs)), Text: strings.Join(slugs, ", ")},
	}
	if len(r.opt.UserTopics) > 0 {
		var b strings.Builder
		for _, u := range r.opt.UserTopics {
			fmt.Fprintf(&b, "%s: %s\n", u.Name, clip.Runes(u.Query, 80))
		}
		secs = append(secs, Section{Heading: "User topics", Text: strings.TrimSpace(b.String())})
	}
	return Reply{Ephemeral: true, Title: "What you can follow", Sections: secs,
		Text: "Use any of these with subscribe, latest, brief, or as region:/topic: in search."}, nil
}
