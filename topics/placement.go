package topics

import (
	"slices"
)

// placement is the rule that decides which regions an item is substantially about, from where and
// how its places are named. Every mention adds to its regions' scores a weight for where it stands
// (title, lead sentence, wire dateline, further down) times one for how it names the place (the
// name itself, a capital, a demonym such as "Venezuelan", a person or group that belongs to the
// place, a state's own forces or institutions). A dateline counts as a lead mention when the lead
// names no other place and calls its news the country's own ("TEHRAN – ... nationwide"). A demonym
// that only gives one person's nationality ("Israeli teen", "Canadian politician") counts less; one
// before a force noun ("Israeli troops", "Russian strikes") counts as the state's forces: the state
// is the actor of the event; one before a territory noun ("Polish airports", "Syrian territory")
// counts as the place's name. A place that reacts ("Iran condemns the strike on ...", "Russia, Iran
// slam ...") or a person who opens a headline before a colon ("Macron: ...") counts speaker times
// less, unless no region is tagged without that discount; a place that urges or thanks another
// ("Denmark urges Trump to ...") is a party, not a speaker. A place in a headline's trailing clause
// ("... after US strikes", "... as Trump threatens") or leading one ("Days after US strikes, ...")
// counts trail times its headline weight, bar a place after "in", where it happened ("... as a
// ferry sinks in Zimbabwe", "Days after US strikes in Nigeria, ..."). A region is tagged when its
// score reaches min and at least share of the best region's score: a place named once in passing
// ("Iranian bookstores", "Saudi-backed forces") stays out, a place named in the headline or several
// times is in. A region behind two others needs third of the best score, unless the headline names
// it (not as a speaker, not in its trailing clause): on real news a third place is more often named
// in passing than a second.
//
// The weights were tuned on real outlets' items (shared/corpus/labelled/dev.jsonl, two of its
// three days, checked on the third); see topics/data/README.md.
type placement struct {
	title, lead, body      float64 // where: the headline, the lead sentence, the rest
	dateline               float64 // a wire dateline ("TEHRAN -")
	name, capital, demonym float64 // how: the place's name, its capital, a demonym
	place, person, group   float64 // a place inside the region, a person, an armed group or institution
	modifier               float64 // factor for "X-backed", "X-based", "X-born" ...
	speaker                float64 // factor for a place that speaks or reacts: "Iran condemns ..."
	individual             float64 // factor for a demonym that gives one person's nationality: "Canadian politician"
	force                  float64 // a state's forces or institution ("IDF", "Israeli troops", "Knesset")
	trail                  float64 // factor for a headline's place in a trailing "after ..."/"amid ..." clause
	min, share             float64
	third                  float64 // share of the best a region needs behind two others
}

var defaultPlacement = placement{
	title: 4, lead: 2, body: 1, dateline: 1.5,
	name: 1, capital: 1, demonym: 0.8,
	place: 1, person: 1, group: 0.6,
	modifier: 0.3, speaker: 0.15, individual: 0.3, force: 1, trail: 0.33,
	min: 2, share: 0.25, third: 0.8,
}

// modifierWords follow a place's name or demonym when it only qualifies something else
// ("Saudi-backed forces", "Belgium-based group").
var modifierWords = map[string]bool{
	"backed": true, "based": true, "born": true, "funded": true, "led": true, "made": true,
	"style": true, "linked": true, "aligned": true, "allied": true, "sponsored": true, "listed": true,
	"mediated": true, "brokered": true, "owned": true, "trained": true, "designated": true, "flagged": true,
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
	case e.kind == kindGroup && e.state:
		w = p.force
	case e.kind == kindGroup:
		w = p.group
	case e.role == roleDemonym && forceAfter(toks, end):
		w = p.force
	case e.role == roleDemonym && territoryAfter(toks, end):
		w = p.name
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
	if e.role == roleDemonym && individualAfter(toks, end) {
		w *= p.individual
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
	head bool    // named by name in the headline, not in its trailing clause nor as a speaker
}

// regions returns the sorted slugs of the regions a's item is about, and how many regions reach
// min and share before the third-region rule (what the learned topic model is told: how many
// places an item names substantially).
func (p *placement) regions(g *gazetteer, a *analysis) ([]string, int) {
	// An item names few regions: a short list on the stack beats a score per known region.
	var buf [32]regionScore
	scores := p.score(g, a, buf[:0])
	out, named := p.pick(g, scores, func(x regionScore) float64 { return x.s })
	if len(out) == 0 {
		// Only speakers: "Iran says no leniency for rioters" is about Iran after all.
		out, named = p.pick(g, scores, func(x regionScore) float64 { return x.full })
	}
	slices.Sort(out)
	return out, named
}

// score appends to scores the score of every region a's item names.
func (p *placement) score(g *gazetteer, a *analysis, scores []regionScore) []regionScore {
	add := func(m mention, toks []token, where float64, speaker, head bool) {
		e := &g.entities[m.ent]
		w := where * p.weight(g, e, toks, m.start, m.end)
		if w == 0 {
			return
		}
		head = head && !speaker && (e.kind == kindRegion || e.kind == kindPlace) && w >= where*p.name &&
			(e.role != roleDemonym || territoryAfter(toks, m.end))
		for _, r := range e.regions {
			i := slices.IndexFunc(scores, func(x regionScore) bool { return x.r == r })
			if i < 0 {
				i = len(scores)
				scores = append(scores, regionScore{r: r})
			}
			x := &scores[i]
			s := w
			if speaker {
				s *= p.speaker
			}
			x.s += s
			x.full += w
			x.head = x.head || head
		}
	}
	trail := trailStart(a.title)
	lead := leadEnd(a.title)
	tsp := speakerMentions(g, a.title, a.titleMents)
	for i, m := range a.titleMents {
		where := p.title
		if (m.start >= trail || m.start < lead) && !(m.start > 0 && a.title[m.start-1].norm == "in") {
			where *= p.trail
		}
		add(m, a.title, where, i < 64 && tsp&(1<<i) != 0, m.start < trail)
	}
	xsp := speakerMentions(g, a.text, a.textMents)
	for i, m := range a.textMents {
		where := p.body
		switch {
		case m.start < a.dateline && i == 0:
			where = p.dateline // where the reporter filed from: weak evidence, once
			if len(a.titleMents) == 0 && (len(a.textMents) == 1 || a.textMents[1].start >= a.first) && domestic(a.text[a.dateline:a.first]) {
				// "TEHRAN – ... the country's development plan", no other place before: news of
				// the dateline's country.
				where = p.lead
			}
		case m.start < a.dateline:
			continue // "ERBIL, Kurdistan Region -" names one place
		case m.start < a.first:
			where = p.lead
		}
		add(m, a.text, where, i < 64 && xsp&(1<<i) != 0, false)
	}
	return scores
}

// pick returns the slugs of the regions whose score reaches min and share of the best (and third
// of it behind two others), and the number of regions that reach min and share.
func (p *placement) pick(g *gazetteer, scores []regionScore, score func(regionScore) float64) ([]string, int) {
	best := 0.0
	for _, x := range scores {
		best = max(best, score(x))
	}
	var out []string
	named := 0
	for _, x := range scores {
		s := score(x)
		if s < p.min || s < p.share*best {
			continue
		}
		named++
		if s < p.third*best && !x.head {
			// Two regions ahead of it: a third place is more often named in passing.
			ahead := 0
			for _, y := range scores {
				if score(y) > s && g.parent[y.r] != x.r {
					ahead++
				}
			}
			if ahead >= 2 {
				continue
			}
		}
		out = append(out, g.regions[x.r].Slug)
	}
	return out, named
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

// speakerMentions returns a bit set of the mentions of ms (the first 64) that speak or react:
// a place or person followed by a reaction verb ("Iran condemns ...", "Albanese urges ..."), a
// place listed right before such a speaker ("Russia, Iran slam ..."), a person who ends a
// headline after "says" or opens it before a colon ("Macron: ...").
func speakerMentions(g *gazetteer, toks []token, ms []mention) uint64 {
	var set uint64
	for i := min(len(ms), 64) - 1; i >= 0; i-- {
		m := ms[i]
		e := &g.entities[m.ent]
		if e.kind == kindGroup {
			continue
		}
		// "Russia, Iran slam ...": a place listed right before a speaker speaks too; a person
		// who ends a headline after "says" is its speaker ("..., says Trump").
		if speaksTo(toks, ms, i) || i+1 < len(ms) && set&(1<<(i+1)) != 0 && listed(toks, m.end, ms[i+1].start) ||
			e.kind == kindPerson && m.end == len(toks) && m.start > 0 && saidBy[toks[m.start-1].norm] ||
			e.kind == kindPerson && m.start == 0 && m.end < len(toks) && toks[m.end].sep == ':' ||
			speaksAfterVerb(toks, ms, i) {
			set |= 1 << i
		}
	}
	return set
}

// speechVerbsFirst are Arabic reaction verbs, which stand before the speaker: "أدانت إيران ..."
// (Iran condemned), "نددت روسيا والصين ..." (Russia and China denounced). As tokens are
// normalized: hamza on alef dropped, taa marbuta as haa.
var speechVerbsFirst = map[string]bool{
	"ادانت": true, "ادان": true, "تدين": true, "يدين": true, "نددت": true, "ندد": true, "تندد": true,
	"يندد": true, "استنكرت": true, "استنكر": true, "تستنكر": true, "يستنكر": true, "شجبت": true,
	"شجب": true, "رحبت": true, "رحب": true, "ترحب": true, "يرحب": true, "طالبت": true, "تطالب": true,
	"دعت": true, "انتقدت": true, "انتقد": true, "اشادت": true, "اشاد": true,
}

// speaksAfterVerb reports whether mention i, or the first of the places listed with it, follows
// an Arabic reaction verb.
func speaksAfterVerb(toks []token, ms []mention, i int) bool {
	first := i
	for first > 0 && listed(toks, ms[first-1].end, ms[first].start) {
		first--
	}
	s := ms[first].start
	return s > 0 && speechVerbsFirst[toks[s-1].norm]
}

// saidBy are the verbs of a headline that ends with its speaker ("..., says Trump").
var saidBy = map[string]bool{"says": true, "said": true, "claims": true}

// listed reports whether the tokens between two mentions only join a list ("Russia, Iran",
// "Russia and Iran").
func listed(toks []token, end, next int) bool {
	if next < end || next > end+1 {
		return false
	}
	return next == end || toks[end].norm == "and" || toks[end].norm == "i" || toks[end].norm == "or"
}

// addressVerbs are the reaction verbs whose object is who is addressed: a place or person named
// right after one ("Denmark urges Trump to ...", "Venezuela thanks Iran") is the other party of
// an exchange, so the one before the verb is a party too, not a bystander that reacts.
var addressVerbs = map[string]bool{"urges": true, "urge": true, "urged": true, "thanks": true}

// speaksTo reports whether mention i of ms speaks (see speaks) to no place or person named right
// after its verb.
func speaksTo(toks []token, ms []mention, i int) bool {
	v := speaks(toks, ms[i].end)
	if v < 0 {
		return false
	}
	if !addressVerbs[toks[v].norm] {
		return true
	}
	for _, m := range ms[i+1:] {
		if m.start > v {
			return m.start != v+1
		}
	}
	return true
}

// speaks returns the index of the reaction verb that makes the one named before toks[end] a
// speaker, after at most a few words such as "foreign ministry", or -1.
func speaks(toks []token, end int) int {
	for j := end; j < len(toks) && j < end+6; j++ {
		n := toks[j].norm
		if speechVerbs[n] {
			return j
		}
		switch {
		case n == "and" || n == "or":
			j++ // "Russia and China condemn": the other speaker
		case !speakerSkip[n]:
			return -1
		}
	}
	return -1
}

// individualNouns name one person, a few, or a country's outlet or mission: after a demonym they
// give a nationality or a source, not a place ("Israeli teen dies in Swiss bar fire", "Zelensky
// taps Canadian politician", "Polish embassy says").
var individualNouns = map[string]bool{
	"teen": true, "teenager": true, "boy": true, "girl": true, "man": true, "woman": true,
	"child": true, "tourist": true, "tourists": true, "student": true, "students": true,
	"citizen": true, "citizens": true, "national": true, "nationals": true, "star": true,
	"player": true, "players": true, "footballer": true, "coach": true, "director": true,
	"directors": true, "filmmaker": true, "artist": true, "writer": true, "author": true,
	"novelist": true, "singer": true, "actor": true, "actress": true, "politician": true,
	"consul": true, "businessman": true, "billionaire": true, "athlete": true, "athletes": true,
	"wrestler": true, "wrestlers": true, "boxer": true, "influencer": true, "pilgrims": true,
	"media": true, "press": true, "newspaper": true, "embassy": true, "ambassador": true,
	// Polish, folded as tokens are ("ż" → "z", "ó" → "o", "ł" stays)
	"ambasady": true, "ambasada": true, "ambasadzie": true, "pielgrzymi": true, "turysci": true,
	"turysta": true, "obywatele": true, "obywatel": true, "obywatelka": true, "generał": true,
	"ambasador": true, "konsul": true, "nastolatek": true, "nastolatka": true, "kobieta": true,
	"mezczyzna": true, "piłkarz": true, "pisarz": true, "aktor": true, "aktorka": true,
	"rezyser": true, "sportowiec": true, "polityk": true,
}

// individualAfter reports whether an individual noun follows toks[end], at most one word on
// ("Israeli soccer star").
func individualAfter(toks []token, end int) bool {
	for j := end; j < len(toks) && j < end+2; j++ {
		if individualNouns[toks[j].norm] {
			return true
		}
	}
	return false
}

// listWords join two listed names: "British and French", "brytyjskiego i francuskiego".
var listWords = map[string]bool{"and": true, "or": true, "i": true, "oraz": true, "lub": true}

// forceNouns name a state's armed forces or what they do: after a demonym they make the state
// the actor of the event ("Israeli troops", "Russian strikes", "US gunfire").
var forceNouns = map[string]bool{
	"forces": true, "troops": true, "army": true, "military": true, "soldiers": true, "soldier": true,
	"police": true, "navy": true, "warships": true, "jets": true, "drones": true, "drone": true,
	"strike": true, "strikes": true, "airstrike": true, "airstrikes": true, "fire": true, "gunfire": true,
	"shelling": true, "raid": true, "raids": true, "attack": true, "attacks": true, "settlers": true,
	"settler": true, "occupation": true, "bombardment": true, "offensive": true, "warplanes": true,
	"aircraft": true, "bombers": true, "missiles": true, "missile": true, "rockets": true,
	// Polish (folded as tokens are: "ż" → "z", "ó" → "o"; "ł" stays)
	"wojska": true, "wojsk": true, "armia": true, "armii": true, "lotnictwa": true, "lotnictwo": true,
	"siły": true, "sił": true, "zołnierze": true, "zołnierzy": true, "drony": true, "dronow": true,
	"atak": true, "ataku": true, "ataki": true, "atakow": true, "nalot": true, "naloty": true,
	"nalotu": true, "ostrzał": true, "ostrzału": true, "rakiety": true, "marynarka": true, "marynarki": true,
}

// forceAfter reports whether a force noun follows toks[end], at most one word on ("Israeli
// air strikes"), or follows the demonym listed next ("British, French warplanes", "British and
// French jets").
func forceAfter(toks []token, end int) bool {
	if end < len(toks) && listWords[toks[end].norm] {
		end++
	}
	if end+1 < len(toks) && (end > 0 && listWords[toks[end-1].norm] || toks[end].sep == ',') && forceNouns[toks[end+1].norm] {
		return true
	}
	for j := end; j < len(toks) && j < end+2; j++ {
		if forceNouns[toks[j].norm] {
			return true
		}
	}
	return false
}

// trailWords open a headline's trailing clause, which tells the background of the event rather
// than the event: "Explosions heard over the capital amid US tensions".
var trailWords = map[string]bool{"after": true, "amid": true, "following": true, "despite": true, "as": true, "while": true}

// leadWords open a headline's leading clause ("After Venezuela, Trump says ...", "Days after US
// strikes in Nigeria, gunmen kill ..."), which, like a trailing one, tells the background of the
// event, bar where it happened ("in Nigeria").
var leadWords = map[string]bool{"after": true, "following": true, "wake": true}

// leadTime are the words that may stand before a leadWord: "Days after ...", "In the wake of".
var leadTime = map[string]bool{"days": true, "hours": true, "weeks": true, "months": true, "years": true, "in": true, "the": true}

// leadEnd returns the index of the first token after a headline's leading clause, which runs to
// its first comma, or 0 when it has none.
func leadEnd(title []token) int {
	i := 0
	for i < len(title) && i < 2 && leadTime[title[i].norm] {
		i++
	}
	if i >= len(title) || !leadWords[title[i].norm] {
		return 0
	}
	for j := i + 1; j < len(title) && j < i+12; j++ {
		if title[j].sep == ',' {
			return j
		}
	}
	return 0
}

// trailStart returns the index of the first token of a headline's trailing clause, or
// len(title) when it has none. A trail word among its first two words opens a leading clause
// instead ("Days after US strikes in Nigeria, gunmen kill dozens"): see leadEnd.
func trailStart(title []token) int {
	for i := 2; i < len(title); i++ {
		if trailWords[title[i].norm] {
			return i + 1
		}
	}
	return len(title)
}

// territoryNouns name a country's land, sea or air, or places in it: after a demonym they name
// the place itself ("Polish airports", "Syrian territory", "Venezuelan waters"), as its name
// would.
var territoryNouns = map[string]bool{
	"territory": true, "territories": true, "soil": true, "airspace": true, "waters": true,
	"coast": true, "coastline": true, "border": true, "borders": true, "cities": true, "city": true,
	"towns": true, "town": true, "villages": true, "village": true, "airport": true, "airports": true,
	"ports": true, "port": true, "capital": true, "province": true, "provinces": true, "islands": true,
	"mainland": true, "countryside": true, "streets": true, "prisons": true, "prison": true,
	// Polish (folded as tokens are)
	"terytorium": true, "lotniska": true, "lotnisko": true, "lotnisk": true,
	"miasta": true, "miasto": true, "granica": true, "granicy": true, "wody": true, "wybrzeze": true,
	"wybrzeza": true, "porty": true, "stolica": true, "stolicy": true,
}

// territoryAfter reports whether a territory noun follows toks[end], at most one word on
// ("Polish airports", "Syrian coastal cities").
func territoryAfter(toks []token, end int) bool {
	for j := end; j < len(toks) && j < end+2; j++ {
		if territoryNouns[toks[j].norm] {
			return true
		}
	}
	return false
}

// domesticWords in a lead say that its news is the country's own: after a wire dateline they
// make the dateline's country the place of the item ("TEHRAN – Ports will be upgraded under the
// country's development plan", "... programs will run nationwide").
var domesticWords = map[string]bool{"nationwide": true, "country": true, "national": true, "countrywide": true}

// domestic reports whether lead holds a domestic word ("the country's", "nationwide").
func domestic(lead []token) bool {
	for i, t := range lead {
		if domesticWords[t.norm] && (t.norm != "country" || i+1 < len(lead) && lead[i+1].norm == "s") {
			return true
		}
	}
	return false
}
