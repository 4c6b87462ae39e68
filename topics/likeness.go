package topics

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// How alike two reports are: a rarity-weighted likeness of what they name and say, damped by what
// tells two events apart (time, conflicting places, counts, weekdays and proceedings, headlines
// with nothing in common, a feature beside a report, one outlet's house style), and raised for
// two headlines naming one singular event (an earthquake in one country). The parameters are with
// the clusterer's (cluster.go).

func absNanos(d int64) int64 {
	if d < 0 {
		return -d
	}
	return d
}

// similarityW combines two rarity-weighted Dice overlaps: of the docs' entities (places, groups,
// people, regions) and of their text features (lead words, concepts, numbers; only concepts and
// numbers across languages). Their geometric mean requires both to agree: the same wording about
// other places, or the same places in other words, is not the same event (in one language, text
// overlapping less than minTextSim gives none at all). The result is damped by the time between
// the reports and by conflicting weekdays, places and regions. a's feature weights are given
// (wa[i] for a.f.feats[i]); rarity is counted before the doc being assigned.
func (c *Clusterer) similarityW(a *cdoc, wa []float64, b *cdoc) float64 {
	s := c.likeness(a, wa, b)
	if s == 0 {
		return 0
	}
	return s * c.damping(a, b)
}

// likeness is similarityW before damping.
func (c *Clusterer) likeness(a *cdoc, wa []float64, b *cdoc) float64 {
	if len(a.f.feats) < minFeatures || len(b.f.feats) < minFeatures {
		return 0 // a headline of a word or two and no text ("Here's the latest.") tells no event
	}
	cross := otherLanguage(&a.f, &b.f)
	var interE, sumE, interT, sumT float64
	var hasEA, hasEB, event bool
	fa, fb := a.f.feats, b.f.feats
	i, j := 0, 0
	for i < len(fa) || j < len(fb) {
		switch {
		case j >= len(fb) || (i < len(fa) && fa[i].h < fb[j].h):
			f := &fa[i]
			if f.kind == fEntity {
				sumE += wa[i]
				hasEA = true
			} else if !cross || f.kind != fWord {
				sumT += wa[i]
			}
			i++
		case i >= len(fa) || fb[j].h < fa[i].h:
			f := &fb[j]
			if f.kind == fEntity {
				sumE += c.weightOf(b, j)
				hasEB = true
			} else if !cross || f.kind != fWord {
				sumT += c.weightOf(b, j)
			}
			j++
		default:
			f := &fa[i]
			if cross && f.kind == fWord {
				i++
				j++
				continue
			}
			// Same feature, same posting list: the idf is shared.
			wa, wb := wa[i], c.weightOf(b, j)
			event = event || f.kind == fEvent
			if f.kind == fEntity {
				sumE += wa + wb
				interE += 2 * min(wa, wb)
				hasEA, hasEB = true, true
			} else {
				sumT += wa + wb
				interT += 2 * min(wa, wb)
			}
			i++
			j++
		}
	}
	textSim := 0.0
	if sumT > 0 {
		textSim = interT / sumT
	}
	var s float64
	switch {
	case hasEA && hasEB && sumE > 0:
		// The constant keeps one shared name (a president quoted in every story) from making
		// two reports' entities look identical.
		entSim := interE / (sumE + entitySmoothing)
		if cross {
			s = math.Sqrt(entSim*max(textSim, textFloor(a, b))) * crossFactor
		} else if textSim >= minTextSim {
			s = math.Sqrt(entSim * textSim)
		}
	case hasEA || hasEB:
		// One report names places or people and the other none the gazetteer knows ("Eva
		// Schloss … dies at 96" beside the same obituary that names Amsterdam): the wording
		// decides, discounted.
		s = textSim * 0.75
	default:
		s = textSim * 0.8
	}
	if event {
		s = max(s, eventFloor)
	}
	return s
}

// weightTotals sums a newcomer's feature weights by kind: entities, text features (lead words,
// concepts, numbers) and text features other than words (what counts across languages); the
// common* fields hold the part from features whose posting lists best does not read.
type weightTotals struct {
	ent, text, textX                   float64
	commonEnt, commonText, commonTextX float64
	event                              bool // the newcomer has an event key (see eventFloor)
}

func (t *weightTotals) add(kind byte, w float64, common bool) {
	t.event = t.event || kind == fEvent
	switch {
	case kind == fEntity:
		t.ent += w
		if common {
			t.commonEnt += w
		}
	default:
		t.text += w
		if kind != fWord {
			t.textX += w
		}
		if common {
			t.commonText += w
			if kind != fWord {
				t.commonTextX += w
			}
		}
	}
}

// upperBound bounds similarityW(a, ·, b) before damping, from what a shares with b as counted
// by best (b.acc, b.accE) plus a's common features, which b may share too. Each Dice overlap
// 2I/(A+B) with shared weight I <= X (a's weight on the shared features) and B >= I is at most
// 2X/(A+X).
func (t *weightTotals) upperBound(a, b *cdoc) float64 {
	cross := otherLanguage(&a.f, &b.f)
	textTot, textCommon := t.text, t.commonText
	if cross {
		textTot, textCommon = t.textX, t.commonTextX
	}
	xe := min(b.accE+t.commonEnt, t.ent)
	xt := min(b.acc-b.accE+textCommon, textTot)
	var ent, text float64
	if xe > 0 {
		ent = 2 * xe / (t.ent + xe + entitySmoothing)
	}
	if xt > 0 {
		text = 2 * xt / (textTot + xt)
	}
	both := math.Sqrt(ent * text)
	if cross {
		both = math.Sqrt(ent*max(text, textFloor(a, b))) * crossFactor
	}
	if t.event {
		return max(both, text*0.8, eventFloor)
	}
	return max(both, text*0.8)
}

// damping is the factor by which the time between two reports and their conflicting weekdays,
// places, regions, groups, event types, counts and proceedings lower their similarity, and by which
// a feature paired with a report and one outlet's house style are discounted.
func (c *Clusterer) damping(a, b *cdoc) float64 {
	gap := absNanos(a.t - b.t)
	s := math.Exp(-float64(gap) / float64(decayScale))
	if daysConflict(&a.f, &b.f) {
		s *= weekdayConflict
	}
	if c.placesConflict(eventPlaces(&a.f), eventPlaces(&b.f)) {
		s *= placeConflict
	}
	if disjoint(a.f.regions, b.f.regions) {
		s *= placeConflict
	}
	if disjoint(a.f.groups, b.f.groups) {
		s *= placeConflict
	} else if differBothWays(a.f.groups, b.f.groups) {
		s *= groupMismatch
	}
	if c.r.conceptsDisjoint(a.f.concepts, b.f.concepts) {
		s *= placeConflict
	}
	if countsConflict(&a.f, &b.f) {
		s *= numberConflict
	}
	if oneSided(a.f.proceedings, &b.f) || oneSided(b.f.proceedings, &a.f) {
		s *= procMismatch
	}
	if !headlinesMeet(a.head, b.head) {
		s *= headMismatch
	}
	if a.asks != b.asks {
		s *= kindMismatch
	}
	if a.src != "" && a.src == b.src && !c.shareRare(a.f.places, b.f.places) && !c.shareRare(a.f.groups, b.f.groups) {
		s *= sameSource
	}
	return s
}

// disjoint reports whether a and b are both non-empty and share no element.
func disjoint(a, b []int32) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	for _, x := range a {
		if slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// placesConflict reports whether two reports name places and no place of one is, contains or
// lies within a place of the other (Amedi and Batifa conflict although both are in Duhok; Duhok
// and Amedi do not).
func (c *Clusterer) placesConflict(a, b []int32) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	return !c.leavesCompatible(a, b)
}

// eventPlaces returns the places a report names in its title and first sentence, where it says
// where the event happened, or else all the places of its lead. Places named further on are
// often context or a government named by its capital ("Ankara did not comment").
func eventPlaces(f *docFeatures) []int32 {
	if len(f.primary) > 0 {
		return f.primary
	}
	return f.places
}

// leavesCompatible compares only the most specific places of each report: those that contain no
// other place the report names. It reports whether some pair of them is compatible.
func (c *Clusterer) leavesCompatible(a, b []int32) bool {
	for _, x := range a {
		if !c.isLeaf(x, a) {
			continue
		}
		for _, y := range b {
			if c.isLeaf(y, b) && (c.g.contains(int(x), int(y)) || c.g.contains(int(y), int(x))) {
				return true
			}
		}
	}
	return false
}

// isLeaf reports whether place p contains none of the other places ps.
func (c *Clusterer) isLeaf(p int32, ps []int32) bool {
	for _, q := range ps {
		if q != p && c.g.contains(int(p), int(q)) {
			return false
		}
	}
	return true
}

// differBothWays reports whether each of a and b has an element the other lacks.
func differBothWays(a, b []int32) bool {
	extra := func(x, y []int32) bool {
		for _, v := range x {
			if !slices.Contains(y, v) {
				return true
			}
		}
		return false
	}
	return extra(a, b) && extra(b, a)
}

// textFloor is the text similarity assumed at least between two reports in different scripts:
// concept lists cannot cover every wording, so their shared entities carry more weight. Two
// languages of one script (Polish and English) share names, which are entities, and get none.
func textFloor(a, b *cdoc) float64 {
	if a.f.arabic != b.f.arabic {
		return crossTextFloor
	}
	return 0
}

// oneSided reports whether a headline's proceedings (procs) include one that the other report
// names neither in its headline nor as the setting of its lead ("told the Security Council").
func oneSided(procs []int32, other *docFeatures) bool {
	for _, p := range procs {
		if !slices.Contains(other.concepts, p) && !slices.Contains(other.leadProcs, p) {
			return true
		}
	}
	return false
}

// shareRare reports whether two reports name a place or group in common that few reports in the
// window before the doc being assigned name (a port, a town; not the country of every story).
func (c *Clusterer) shareRare(a, b []int32) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			continue
		}
		if pl := c.postings[hashKey(fEntity, c.g.entities[x].key)]; pl != nil {
			if list, _ := c.span(pl); len(list) <= rareEntity {
				return true
			}
		}
	}
	return false
}

// headlinesMeet reports whether two reports' headlines share a feature (a word, number, concept or
// name): their sorted headline feature hashes meet.
func headlinesMeet(a, b []uint64) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			return true
		}
	}
	return false
}

// explains reports whether an item is a feature rather than a report of an event: its headline
// asks a question or announces an explanation ("Why support for … runs deep", "How Israel turns
// winter into a weapon", "Who is …?"), or the headline or the opening of its text names the
// piece's form as comment ("Opinion: …", "… – podcast", "Cartoon of the Day by …"). A feature
// about a subject resembles the news reports of that subject without reporting one of its events.
func explains(title, text string) bool {
	t := strings.TrimSpace(title)
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "؟") {
		return true
	}
	first, _, _ := strings.Cut(t, " ")
	switch strings.ToLower(strings.Trim(first, "\"'‘’“”:")) {
	case "how", "why", "what", "who", "where", "explainer", "analysis", "opinion", "comment", "podcast", "cartoon", "editorial":
		return true
	}
	// A form named after the headline: "… – podcast", "… | Opinion".
	if i := strings.LastIndexAny(t, "–—|"); i >= 0 && commentForm(t[i:], true) {
		return true
	}
	// Or at the opening of the text: "The New Arab Cartoon of the Day by …", "An op-ed by …".
	lead := text
	if len(lead) > 120 {
		lead = lead[:120]
	}
	return commentForm(lead, false)
}

// commentForm reports whether s names a form of comment as a word of its own: a cartoon, an op-ed,
// a podcast, and where s is a headline's tail (label), also an opinion, an editorial or a column
// (words a report's text uses otherwise: public opinion, a column of tanks).
func commentForm(s string, label bool) bool {
	// Words compared in place, without lowering or splitting s: this runs on every doc added.
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && r != '-' {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsLetter(r) && r != '-' {
				break
			}
			j += n
		}
		w := s[i:j]
		i = j
		switch {
		case strings.EqualFold(w, "cartoon"), strings.EqualFold(w, "op-ed"), strings.EqualFold(w, "podcast"):
			return true
		case label && (strings.EqualFold(w, "opinion") || strings.EqualFold(w, "editorial") || strings.EqualFold(w, "column")):
			return true
		}
	}
	return false
}
