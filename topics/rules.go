package topics

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// builtinTopics is the DESIGN.md list of security topics, in its order.
var builtinTopics = []string{
	"border-security", "terrorism", "armed-conflict", "maritime-security", "diplomacy",
	"politics", "energy", "protests", "humanitarian", "cyber",
}

// nonSecurity is the pseudo-topic index of the non-security cues.
var nonSecurity = len(builtinTopics)

// BuiltinTopics returns the built-in security topics in the DESIGN.md order.
func BuiltinTopics() []string { return slices.Clone(builtinTopics) }

// IsTopic reports whether s is a built-in security topic.
func IsTopic(s string) bool { return slices.Contains(builtinTopics, s) }

// rules holds the compiled topic terms (data/topics.txt) and event concepts (data/concepts.txt).
type rules struct {
	terms    *matcher
	weights  [][]topicWeight // term id → topic weights (topic nonSecurity = non-security cue)
	concepts *matcher
	ckeys    []string // concept id → key
	generic  []bool   // concept id → outcome/setting concept, not an event type
	// concept id → a formal proceeding (a hearing, a council session, a swearing-in, a vote): a
	// scheduled event of its own, never a mere aspect of the incident that led to it
	proceeding []bool
	// concept id → a kind of event rare enough (an earthquake, a coup) that one of its kind in one
	// country within days is one event: the pair is a clustering feature of its own
	singular []bool
	// concept id → its family (the id of the family's first concept; its own id when it has
	// none): kinds of event one report may call by another's name (a strike, an attack)
	family []int32
	// concept id → the kinds of event it is a broader name of (an attack: a strike, a bombing), which
	// a headline naming it does not conflict with, though they may conflict with each other
	narrower [][]int32
}

// loadRules compiles the topic terms and the event concepts, their matchers in the gazetteer's
// word index.
func loadRules(g *gazetteer) (*rules, error) {
	terms, err := newMatcherIn(g.m.ix)
	if err != nil {
		return nil, err
	}
	concepts, err := newMatcherIn(g.m.ix)
	if err != nil {
		return nil, err
	}
	r := &rules{terms: terms, concepts: concepts}
	r.terms.verbs, r.concepts.verbs = true, true
	if err := r.loadTopics("data/topics.txt"); err != nil {
		return nil, err
	}
	if err := r.loadConcepts("data/concepts.txt"); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *rules) loadTopics(name string) error {
	lines, err := readData(name)
	if err != nil {
		return err
	}
	ids := map[string]int32{} // normalized term → id
	cur := -1
	for _, l := range lines {
		fail := func(format string, a ...any) error {
			return fmt.Errorf("topics: %s:%d: %s", name, l.no, fmt.Sprintf(format, a...))
		}
		if !l.indent {
			f := strings.Fields(l.text)
			switch {
			case len(f) == 1 && f[0] == "nonsecurity":
				cur = nonSecurity
			case len(f) == 2 && f[0] == "topic":
				if cur = slices.Index(builtinTopics, f[1]); cur < 0 {
					return fail("unknown topic %q", f[1])
				}
			default:
				return fail("want \"topic NAME\" or \"nonsecurity\"")
			}
			continue
		}
		if cur < 0 {
			return fail("term line before any topic")
		}
		ws, terms, ok := strings.Cut(l.text, "=")
		if !ok {
			return fail("want \"WEIGHT = term, ...\"")
		}
		w, err := strconv.ParseFloat(strings.TrimSpace(ws), 64)
		if err != nil {
			return fail("bad weight: %v", err)
		}
		for _, t := range splitAliases(terms) {
			key := strings.TrimSpace(t)
			if !strings.HasPrefix(key, "!") {
				key = normalizeText(strings.TrimSuffix(key, "*"))
				if strings.HasSuffix(t, "*") {
					key += "*"
				}
			}
			id, seen := ids[key]
			if !seen {
				id = int32(len(r.weights))
				ids[key] = id
				r.weights = append(r.weights, nil)
				if !r.terms.add(t, id) {
					return fail("term %q has no words", t)
				}
			}
			r.weights[id] = addWeight(r.weights[id], cur, w)
		}
	}
	return nil
}

// addWeight sets the weight of topic in ws, keeping the larger weight for a repeated term.
func addWeight(ws []topicWeight, topic int, w float64) []topicWeight {
	for i := range ws {
		if ws[i].topic == topic {
			ws[i].weight = max(ws[i].weight, w)
			return ws
		}
	}
	return append(ws, topicWeight{topic: topic, weight: w})
}

func (r *rules) loadConcepts(name string) error {
	lines, err := readData(name)
	if err != nil {
		return err
	}
	return r.loadConceptLines(name, lines)
}

// loadConceptLines compiles the lines of concepts file name.
func (r *rules) loadConceptLines(name string, lines []dataLine) error {
	for _, l := range lines {
		key, aliases, ok := strings.Cut(l.text, "=")
		key = strings.TrimSpace(key)
		if fam, found := strings.CutPrefix(key, "family "); found {
			if err := r.addFamily(name, l.no, strings.TrimSpace(fam), aliases); err != nil {
				return err
			}
			continue
		}
		if b, found := strings.CutPrefix(key, "broader "); found {
			if err := r.addBroader(name, l.no, strings.TrimSpace(b), aliases); err != nil {
				return err
			}
			continue
		}
		if k, more := strings.CutSuffix(key, "+"); more {
			// "KEY += alias, ..." gives a concept defined above more aliases (a line per language).
			k = strings.TrimSpace(k)
			id := int32(slices.Index(r.ckeys, "c:"+k))
			if k == "" || strings.ContainsAny(k, " \t") || id < 0 {
				return fmt.Errorf("topics: %s:%d: \"%s +=\" before \"%s = ...\"", name, l.no, k, k)
			}
			if err := r.addConceptAliases(name, l.no, aliases, id); err != nil {
				return err
			}
			continue
		}
		generic, proceeding, singular := false, false, false
		if k, found := strings.CutPrefix(key, "singular "); found {
			key, singular = strings.TrimSpace(k), true
		}
		if k, found := strings.CutPrefix(key, "generic "); found {
			key, generic = strings.TrimSpace(k), true
		}
		if k, found := strings.CutPrefix(key, "proceeding "); found {
			key, proceeding = strings.TrimSpace(k), true
		}
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return fmt.Errorf("topics: %s:%d: want \"key = alias, ...\"", name, l.no)
		}
		if slices.Contains(r.ckeys, "c:"+key) {
			return fmt.Errorf("topics: %s:%d: duplicate concept %q", name, l.no, key)
		}
		id := int32(len(r.ckeys))
		r.ckeys = append(r.ckeys, "c:"+key)
		r.generic = append(r.generic, generic)
		r.proceeding = append(r.proceeding, proceeding)
		r.singular = append(r.singular, singular)
		r.family = append(r.family, id)
		r.narrower = append(r.narrower, nil)
		if err := r.addConceptAliases(name, l.no, aliases, id); err != nil {
			return err
		}
	}
	return nil
}

// addFamily makes the concepts listed (keys defined above, comma-separated) one family, named fam
// for the reader only (line no of file name).
func (r *rules) addFamily(name string, no int, fam, keys string) error {
	if fam == "" || strings.ContainsAny(fam, " \t") {
		return fmt.Errorf("topics: %s:%d: want \"family NAME = key, key, ...\"", name, no)
	}
	var ids []int32
	for _, k := range strings.Split(keys, ",") {
		k = strings.TrimSpace(k)
		id := int32(slices.Index(r.ckeys, "c:"+k))
		if id < 0 {
			return fmt.Errorf("topics: %s:%d: family %s: concept %q is not defined above", name, no, fam, k)
		}
		if r.inFamily(id) || slices.Contains(ids, id) {
			return fmt.Errorf("topics: %s:%d: family %s: concept %q is in another family", name, no, fam, k)
		}
		ids = append(ids, id)
	}
	if len(ids) < 2 {
		return fmt.Errorf("topics: %s:%d: family %s: want at least two concepts", name, no, fam)
	}
	for _, id := range ids {
		r.family[id] = ids[0]
	}
	return nil
}

// addBroader makes concept key (defined above) the broader name of the concepts listed (keys
// defined above, comma-separated; line no of file name).
func (r *rules) addBroader(name string, no int, key, keys string) error {
	id := int32(slices.Index(r.ckeys, "c:"+key))
	if key == "" || id < 0 {
		return fmt.Errorf("topics: %s:%d: broader %q: not a concept defined above", name, no, key)
	}
	if len(r.narrower[id]) > 0 {
		return fmt.Errorf("topics: %s:%d: broader %s: given twice", name, no, key)
	}
	var ids []int32
	for _, k := range strings.Split(keys, ",") {
		k = strings.TrimSpace(k)
		n := int32(slices.Index(r.ckeys, "c:"+k))
		if n < 0 || n == id {
			return fmt.Errorf("topics: %s:%d: broader %s: %q is not another concept defined above", name, no, key, k)
		}
		ids = append(ids, n)
	}
	r.narrower[id] = ids
	return nil
}

// inFamily reports whether concept id belongs to a family already.
func (r *rules) inFamily(id int32) bool {
	for j, f := range r.family {
		if (int32(j) == id) != (f == id) { // id points elsewhere, or another points at id
			return true
		}
	}
	return false
}

// conceptsDisjoint reports whether two headlines both name kinds of event and share none, nor
// one of its family, nor a kind and a broader name of it (an attack and a strike).
func (r *rules) conceptsDisjoint(a, b []int32) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	for _, x := range a {
		for _, y := range b {
			if r.family[x] == r.family[y] || slices.Contains(r.narrower[x], y) || slices.Contains(r.narrower[y], x) {
				return false
			}
		}
	}
	return true
}

// addConceptAliases registers a comma-separated alias list of concept id (line no of file name).
func (r *rules) addConceptAliases(name string, no int, aliases string, id int32) error {
	for _, a := range splitAliases(aliases) {
		if !r.concepts.add(a, id) {
			return fmt.Errorf("topics: %s:%d: alias %q has no words", name, no, a)
		}
	}
	return nil
}

// Topic scoring parameters (tuned on the dev half of testdata/labelled.jsonl).
const (
	titleFactor    = 2.0 // a term in the title counts this many times
	maxTermCount   = 2   // a term counts at most this many times in the text
	topicThreshold = 7.0 // minimum score for a topic: more than one generic word in a title
	relThreshold   = 0.2 // minimum score relative to the best topic
	scoreTextLimit = 600 // only the first tokens of a long text are scored
	topicLead      = 120 // text tokens after these count bodyFactor times
	bodyFactor     = 0.5
)

// scoreTopics returns the score of every built-in topic (and the non-security cues at index
// nonSecurity) for a title and text, plus the entity evidence of mentions. Words inside entity
// names ("Party" in "Kurdistan Workers' Party", "State" in "Islamic State") are not terms.
func (r *rules) scoreTopics(g *gazetteer, a *analysis) []float64 {
	scores := make([]float64, len(builtinTopics)+1)
	// how often each term was counted in the text: a few dozen terms, searched in order (a map
	// would allocate as it grows)
	type termCount struct {
		id int32
		n  int
	}
	counts := make([]termCount, 0, 64)
	title, text := a.title, a.text
	inMention := func(ms []mention, s, e int) bool {
		for _, m := range ms {
			if m.start < e && s < m.end {
				return true
			}
			if m.start >= e {
				break
			}
		}
		return false
	}
	add := func(toks []token, lk lookups, ms []mention, factor float64, counted bool) {
		r.terms.scanLooked(toks, lk, func(id int32, s, e int) {
			if inMention(ms, s, e) {
				return
			}
			f := factor
			if counted && s >= topicLead {
				f *= bodyFactor // news puts what matters first
			}
			if counted {
				i := 0
				for i < len(counts) && counts[i].id != id {
					i++
				}
				if i == len(counts) {
					counts = append(counts, termCount{id: id})
				}
				if counts[i].n++; counts[i].n > maxTermCount {
					return
				}
			}
			for _, tw := range r.weights[id] {
				scores[tw.topic] += tw.weight * f
			}
		})
	}
	add(title, a.titleLk, a.titleMents, titleFactor, false)
	if len(text) > scoreTextLimit {
		text = text[:scoreTextLimit]
	}
	add(text, a.textLk.slice(0, len(text)), a.textMents, 1, true)
	// Entity evidence counts once per entity, more when the entity is in the title.
	seen := map[int]bool{}
	for i, m := range append(slices.Clip(a.titleMents), a.textMents...) {
		if seen[m.ent] {
			continue
		}
		seen[m.ent] = true
		f := 1.0
		if i < len(a.titleMents) {
			f = 1.5
		}
		for _, tw := range g.entities[m.ent].topics {
			scores[tw.topic] += tw.weight * f
		}
	}
	return scores
}

// pickTopics turns scores into the sorted list of topics.
func pickTopics(scores []float64) []string {
	var out []string
	for i := range builtinTopics {
		if ruleGives(scores, i) {
			out = append(out, builtinTopics[i])
		}
	}
	slices.Sort(out)
	return out
}

// ruleGives reports whether the phrase rules give topic i: its score reaches the threshold and
// a share of the best topic's, and the non-security cues do not dominate.
func ruleGives(scores []float64, i int) bool {
	best := 0.0
	for _, s := range scores[:nonSecurity] {
		best = max(best, s)
	}
	if best < topicThreshold || scores[nonSecurity] >= best {
		return false
	}
	return scores[i] >= topicThreshold && scores[i] >= relThreshold*best
}
