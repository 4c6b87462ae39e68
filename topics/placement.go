package topics

import (
	"slices"
)

// placement is the rule that decides which regions an item is substantially about, from where
// and how its places are named. Every mention adds to its regions' scores a weight for where it
// stands (title, lead sentence, further down) times one for how it names the place (the name
// itself, a capital, a demonym such as "Venezuelan", a person or group that belongs to the
// place). A place that reacts ("Iran condemns the strike on ...") counts speaker times less,
// unless no region is tagged without that discount; a place in a headline's trailing clause
// ("... after US strikes", "... as Trump threatens") counts as if in the lead sentence. A region is tagged when its score reaches
// min and at least share of the best region's score: a place named once in passing ("Iranian
// bookstores", "Saudi-backed forces") stays out, a place named in the headline or several times
// is in.
//
// The weights were tuned on real outlets' items (shared/corpus/labelled/dev.jsonl, two of its
// three days, checked on the third); see topics/data/README.md.
type placement struct {
	title, lead, body      float64 // where: the headline, the lead sentence, the rest
	name, capital, demonym float64 // how: the place's name, its capital, a demonym
	place, person, group   float64 // a place inside the region, a person, an armed group or institution
	modifier               float64 // factor for "X-backed", "X-based", "X-born" ...
	speaker                float64 // factor for a place that speaks or reacts: "Iran condemns ..."
	trail                  float64 // factor for a headline's place in a trailing "after ..."/"amid ..." clause
	min, share             float64
}

var defaultPlacement = placement{
	title: 3, lead: 2, body: 1,
	name: 1, capital: 1, demonym: 0.7,
	place: 1, person: 1, group: 0.7,
	modifier: 0.3, speaker: 0.3, trail: 2.0 / 3,
	min: 2, share: 0.3,
}

// modifierWords follow a place's name or demonym when it only qualifies something else
// ("Saudi-backed forces", "Belgium-based group").
var modifierWords = map[string]bool{
	"backed": true, "based": true, "born": true, "funded": true, "led": true, "made": true,
	"style": true, "linked": true, "aligned": true, "allied": true, "sponsored": true, "listed": true,
}

// qualifierWords stand before a place's name or demonym when it only qualifies something else
// ("pro-Palestinian group", "anti-Israel advocacy").
var qualifierWords = map[string]bool{"pro": true, "anti": true, "ex": true, "non": true}

// weight returns how much one mention toks[start:end] of entity e says about its regions.
func (p *placement) weight(g *gazetteer, e *entity, toks []token, start, end int) float64 {
	w := p.name
	switch {
	case e.kind == kindPerson:
		w = p.person
	case e.kind == kindGroup:
		w = p.group
	case e.role == roleDemonym:
		w = p.demonym
	case e.role == roleCapital:
		w = p.capital
	case e.kind == kindPlace:
		w = p.place
	}
	if end < len(toks) && modifierWords[toks[end].norm] || start > 0 && qualifierWords[toks[start-1].norm] {
		w *= p.modifier
	}
	if e.kind == kindPlace && (toks[start].joined || end < len(toks) && toks[end].joined && !modifierWords[toks[end].norm]) {
		return 0 // part of a compound name: "Crans-Montana" is not in Montana
	}
	return w
}

// regionScore is the score of one region of an item.
type regionScore struct {
	r    int
	s    float64 // with speakers' mentions discounted
	full float64 // every mention at its full weight
}

// regions returns the sorted slugs of the regions a's item is about.
func (p *placement) regions(g *gazetteer, a *analysis) []string {
	// An item names few regions: a short list on the stack beats a score per known region.
	var buf [32]regionScore
	scores := buf[:0]
	add := func(m mention, toks []token, where float64) {
		e := &g.entities[m.ent]
		w := where * p.weight(g, e, toks, m.start, m.end)
		if w == 0 {
			return
		}
		s := w
		if (e.kind == kindRegion || e.kind == kindPlace) && speaks(toks, m.end) {
			s *= p.speaker
		}
		for _, r := range e.regions {
			found := false
			for i := range scores {
				if scores[i].r == r {
					scores[i].s += s
					scores[i].full += w
					found = true
					break
				}
			}
			if !found {
				scores = append(scores, regionScore{r: r, s: s, full: w})
			}
		}
	}
	trail := trailStart(a.title)
	for _, m := range a.titleMents {
		where := p.title
		if m.start >= trail {
			where *= p.trail
		}
		add(m, a.title, where)
	}
	for _, m := range a.textMents {
		if m.start < a.dateline {
			continue // where the reporter filed from is not a mention
		}
		where := p.body
		if m.start < a.first {
			where = p.lead
		}
		add(m, a.text, where)
	}
	out := p.pick(g, scores, func(x regionScore) float64 { return x.s })
	if len(out) == 0 {
		// Only speakers: "Iran says no leniency for rioters" is about Iran after all.
		out = p.pick(g, scores, func(x regionScore) float64 { return x.full })
	}
	slices.Sort(out)
	return out
}

// pick returns the slugs of the regions whose score reaches min and share of the best.
func (p *placement) pick(g *gazetteer, scores []regionScore, score func(regionScore) float64) []string {
	best := 0.0
	for _, x := range scores {
		best = max(best, score(x))
	}
	var out []string
	for _, x := range scores {
		if s := score(x); s >= p.min && s >= p.share*best {
			out = append(out, g.regions[x.r].Slug)
		}
	}
	return out
}

// speakerSkip are words that may stand between a place and what it says: "Iran's foreign
// ministry says", "Russia and China condemn", "Iran flatly condemns".
var speakerSkip = map[string]bool{
	"s": true, "and": true, "also": true, "has": true, "have": true, "had": true, "flatly": true,
	"strongly": true, "officially": true, "again": true, "now": true, "foreign": true, "ministry": true,
	"government": true, "officials": true, "official": true, "president": true, "leader": true,
	"leaders": true, "spokesperson": true, "spokesman": true, "embassy": true, "envoy": true,
}

// speechVerbs say that the place before them reacts to an event rather than is where it happens
// ("Russia and China condemn ...", "Rosja zarzuca ..."). "Says" is not among them: a place that
// speaks is often a party ("Denmark rejects US claims to Greenland", "Iran says ...").
var speechVerbs = map[string]bool{
	"condemns": true, "condemn": true, "condemned": true,
	"denounces": true, "denounce": true, "denounced": true, "slams": true, "slam": true, "slammed": true,
	"urges": true, "urge": true, "urged": true,
	"welcomes": true, "welcome": true, "welcomed": true, "criticises": true, "criticizes": true,
	"criticise": true, "criticize": true, "thanks": true, "praises": true, "hails": true,
	"reaguje": true, "zarzuca": true, "potepia": true, "apeluje": true,
}

// speaks reports whether the words from toks[end] on make the place before them a speaker.
func speaks(toks []token, end int) bool {
	for j := end; j < len(toks) && j < end+6; j++ {
		n := toks[j].norm
		if speechVerbs[n] {
			return true
		}
		switch {
		case n == "and" || n == "or":
			j++ // "Russia and China condemn": the other speaker
		case !speakerSkip[n]:
			return false
		}
	}
	return false
}

// trailWords open a headline's trailing clause, which tells the background of the event rather
// than the event: "Explosions heard over the capital amid US tensions".
var trailWords = map[string]bool{"after": true, "amid": true, "following": true, "despite": true, "as": true, "while": true}

// trailStart returns the index of the first token of a headline's trailing clause, or
// len(title) when it has none.
func trailStart(title []token) int {
	for i := 1; i < len(title); i++ {
		if trailWords[title[i].norm] {
			return i + 1
		}
	}
	return len(title)
}
