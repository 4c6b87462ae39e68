package topics

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sitrep-bot/sitrep/topics/internal/logreg"
)

// The learned model decides the built-in topics, the security flag and the severity. It is a
// one-vs-rest logistic regression (package logreg) over general features of an item: its words
// (cut to a stem, see modelStem) and word pairs, the multilingual concepts of data/lexicon.txt,
// the scores of the phrase rules (data/topics.txt), casualty and violence signals, what its
// headline reports (violence at a place, other violence, words only; two countries, with or
// without violence between them), and how many places it names — never the names of places or
// outlets. Its weights, data/model.txt, are written by
//
//	go run ./topics/cmd/train --data ../shared/corpus/labelled/dev.jsonl
//
// which also prints cross-validated figures. Training is deterministic, so the file can be
// reproduced bit for bit. The words of an item's text need more evidence than the concepts to
// weigh on its topics (train's --penalty): they name the story more than its kind.

// Model output names besides the built-in topics.
const (
	outSecurity = "security"
	outHigh     = "severity-high"   // high, among security items
	outMedium   = "severity-medium" // medium, among security items that are not high
)

// ModelOutputs lists the outputs of the learned model in the order of data/model.txt: the
// built-in topics, then the security flag, then severity high (among security items) and
// severity medium (among security items that are not high); a security item gets the likeliest
// of the three severities, see modelSeverity.
func ModelOutputs() []string {
	return append(BuiltinTopics(), outSecurity, outHigh, outMedium)
}

// Model feature limits: the title and this many tokens of the text are read (news puts what it
// is about first: 80 tokens score as well held back as 120 and cost less to scan).
const modelTextTokens = 80

// model is a loaded logreg.Model ready for lookups.
type model struct {
	index          map[string]int32
	w              []float32
	no             int
	bias, thr      []float32
	sec, high, med int                  // outputs after the built-in topics
	words          map[string]wordFeats // word -> its features in the model
	scratch        sync.Pool
}

// Which word features of a word can be among the model's: emitFeatures asks the index for
// those only (most words and word pairs of an item are not features of the model).
const (
	wordW      uint8 = 1 << iota // "w:WORD"
	wordT                        // "t:WORD"
	wordFirst                    // "b:WORD_..."
	wordSecond                   // "b:..._WORD"
	wordAll    = wordW | wordT | wordFirst | wordSecond
)

// wordFeats are the features of a word in the model: which ones (wordW...) and the index of
// its "w:" and "t:" features.
type wordFeats struct {
	fl   uint8
	w, t int32
}

// modelScratch is reused between items to keep tagging from allocating per feature.
type modelScratch struct {
	ids  []int32
	key  []byte
	seen []uint32 // per feature: the gen of the last item that had it
	gen  uint32
	z    []float64
}

// featurizer computes the model's features; it needs the lexicon but no weights, so that a
// model can be trained before one exists.
type featurizer struct {
	lex   *matcher
	lkeys []string
	cues  []uint8 // concept id -> its severity cues (cueViolent...)
}

// Severity cues of lexicon concepts: the guide's rubric rates an item by what its title reports
// (deaths or one state striking another: high; violence: medium; statements and talks: low).
const (
	cueViolent uint8 = 1 << iota // an attack, strike, battle or blast
	cueSpeech                    // talks, statements, threats, condemnation
)

// conceptCues gives the severity cues of the lexicon's concepts.
var conceptCues = map[string]uint8{
	"kill": cueViolent, "strike": cueViolent, "drone": cueViolent, "missile": cueViolent, "fight": cueViolent,
	"attack": cueViolent, "explosion": cueViolent,
	"talks": cueSpeech, "diplomat": cueSpeech, "condemn": cueSpeech, "threat": cueSpeech, "un": cueSpeech,
	"sanction": cueSpeech, "agreement": cueSpeech,
}

func newFeaturizer(lex *matcher, lkeys []string) *featurizer {
	fz := &featurizer{lex: lex, lkeys: lkeys, cues: make([]uint8, len(lkeys))}
	for i, k := range lkeys {
		fz.cues[i] = conceptCues[k]
	}
	return fz
}

var (
	defaultModelOnce sync.Once
	defaultModel     *model
	defaultModelErr  error
)

// builtinModel returns the embedded model and the featurizer.
func builtinModel() (*model, *featurizer, error) {
	if _, _, err := builtin(); err != nil {
		return nil, nil, err
	}
	defaultModelOnce.Do(func() {
		b, err := dataFS.ReadFile("data/model.txt")
		if err != nil {
			defaultModelErr = fmt.Errorf("topics: %w", err)
			return
		}
		defaultModel, defaultModelErr = parseModel(b)
	})
	return defaultModel, defaultFeat, defaultModelErr
}

// parseModel reads model weights in the logreg text format.
func parseModel(b []byte) (*model, error) {
	lm, err := logreg.Read(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("topics: model: %w", err)
	}
	if !slices.Equal(lm.Outputs, ModelOutputs()) {
		return nil, fmt.Errorf("topics: model outputs %v, want %v", lm.Outputs, ModelOutputs())
	}
	m := &model{index: make(map[string]int32, len(lm.Features)), w: lm.W, no: len(lm.Outputs),
		bias: lm.Bias, thr: lm.Thresholds}
	for i, f := range lm.Features {
		m.index[f] = int32(i)
	}
	// the word features, from the index (so that a repeated name has the id a lookup gives)
	m.words = map[string]wordFeats{}
	get := func(w string) wordFeats {
		if wf, ok := m.words[w]; ok {
			return wf
		}
		return wordFeats{w: -1, t: -1}
	}
	for f, id := range m.index {
		switch kind, w, _ := strings.Cut(f, ":"); kind {
		case "w":
			wf := get(w)
			wf.fl, wf.w = wf.fl|wordW, id
			m.words[w] = wf
		case "t":
			wf := get(w)
			wf.fl, wf.t = wf.fl|wordT, id
			m.words[w] = wf
		case "b":
			// every split at "_" (a word itself might hold one)
			for i := range len(w) {
				if w[i] == '_' {
					wf := get(w[:i])
					wf.fl |= wordFirst
					m.words[w[:i]] = wf
					wf = get(w[i+1:])
					wf.fl |= wordSecond
					m.words[w[i+1:]] = wf
				}
			}
		}
	}
	n := len(builtinTopics)
	m.sec, m.high, m.med = n, n+1, n+2
	m.scratch.New = func() any { return &modelScratch{ids: make([]int32, 0, 512), key: make([]byte, 0, 128)} }
	return m, nil
}

// loadLexicon reads the multilingual concepts ("KEY = alias, ...") into a matcher in ix.
func loadLexicon(ix *wordIndex, name string) (*matcher, []string, error) {
	lines, err := readData(name)
	if err != nil {
		return nil, nil, err
	}
	m, err := newMatcherIn(ix)
	if err != nil {
		return nil, nil, err
	}
	m.verbs = true
	var keys []string
	for _, l := range lines {
		key, aliases, ok := strings.Cut(l.text, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return nil, nil, fmt.Errorf("topics: %s:%d: want \"KEY = alias, ...\"", name, l.no)
		}
		if slices.Contains(keys, key) {
			return nil, nil, fmt.Errorf("topics: %s:%d: duplicate key %q", name, l.no, key)
		}
		id := int32(len(keys))
		keys = append(keys, key)
		for _, a := range splitAliases(aliases) {
			if !m.add(a, id) {
				return nil, nil, fmt.Errorf("topics: %s:%d: alias %q has no words", name, l.no, a)
			}
		}
	}
	return m, keys, nil
}

// modelInput is what the features are computed from.
type modelInput struct {
	a       *analysis
	scores  []float64 // phrase-rule scores (index nonSecurity: non-security cues)
	sev     sevSignals
	regions int
}

// ruleSteps are the phrase-rule score levels that become features.
var ruleSteps = [...]float64{3, 7, 14}

// modelStopwords are frequent words that say nothing of the topic.
var modelStopwords = map[string]bool{
	"the": true, "and": true, "for": true, "with": true, "that": true, "this": true, "from": true,
	"was": true, "were": true, "has": true, "have": true, "had": true, "are": true, "his": true, "her": true,
	"its": true, "their": true, "they": true, "who": true, "which": true, "but": true, "not": true,
	"been": true, "will": true, "would": true, "also": true, "than": true, "into": true, "about": true,
	"after": true, "over": true, "what": true, "when": true, "more": true, "one": true, "two": true,
	"said": true, "says": true, "new": true, "post": true, "appeared": true, "first": true,
	"się": true, "nie": true, "jak": true, "oraz": true, "jest": true, "dla": true, "przez": true,
	"już": true, "też": true, "tak": true, "czy": true, "jego": true, "który": true, "która": true,
	"które": true, "po": true, "na": true, "do": true, "od": true, "że": true, "ze": true, "to": true,
	"في": true, "من": true, "على": true, "الى": true, "إلى": true, "عن": true, "مع": true, "ان": true, "أن": true,
	"و": true, "در": true, "به": true, "از": true, "كه": true, "را": true, "با": true, "اين": true,
}

// wordFeature reports whether a token is worth a word feature: two letters or more, not a
// number, not a stopword.
func wordFeature(w string) bool {
	if utf8.RuneCountInString(w) < 3 && !(len(w) >= 4 && w[0] >= 0x80) {
		return false
	}
	if asciiDigits(w) {
		return false
	}
	return !modelStopwords[w]
}

// modelStemRunes is how many letters of a word written in Latin script its word features
// keep: a crude stem that makes "strike", "strikes" and "striking" one feature, and the
// inflections of Polish ("Wenezuela", "Wenezueli", "Wenezuelę") too.
const modelStemRunes = 6

// modelStem is the form of a word in the model's word features: the first modelStemRunes
// letters of a word in Latin script, the whole normalised word otherwise.
func modelStem(t token) string {
	if t.arabic {
		return t.norm
	}
	n := 0
	for i := range t.norm {
		if n == modelStemRunes {
			return t.norm[:i]
		}
		n++
	}
	return t.norm
}

// emitFeatures calls emit with the name of every feature of in (repeats possible). key is a
// scratch buffer; the slice passed to emit is valid only during the call. With known (see
// model.words) it leaves out the word features that known rules out and passes the indexes of
// the "w:" and "t:" features to emitID instead of their names; nil emits them all by name.
func (fz *featurizer) emitFeatures(g *gazetteer, in modelInput, key []byte, known map[string]wordFeats, emit func([]byte), emitID func(int32)) []byte {
	put := func(parts ...string) {
		key = key[:0]
		for _, p := range parts {
			key = append(key, p...)
		}
		emit(key)
	}
	a := in.a
	text := a.text
	if len(text) > modelTextTokens {
		text = text[:modelTextTokens]
	}
	words := func(toks []token, ms []mention, title bool) {
		mi := 0
		prev := ""
		var prevFl uint8
		for i, t := range toks {
			for mi < len(ms) && ms[mi].end <= i {
				mi++
			}
			if mi < len(ms) && ms[mi].start <= i {
				if ms[mi].start == i {
					k := string(rune(g.entities[ms[mi].ent].kind))
					put("e:", k)
					if title {
						put("te:", k)
					}
				}
				prev = ""
				continue
			}
			stem := modelStem(t)
			wf := wordFeats{fl: wordAll}
			if known != nil {
				wf = known[stem]
			}
			fl := wf.fl
			// a word of no feature is as good as a word that is not a feature word: it ends
			// the pair before it and starts none
			if fl == 0 || !wordFeature(t.norm) {
				prev = ""
				continue
			}
			switch {
			case known != nil:
				if wf.w >= 0 && fl&wordW != 0 {
					emitID(wf.w)
				}
				if title && wf.t >= 0 && fl&wordT != 0 {
					emitID(wf.t)
				}
			default:
				if fl&wordW != 0 {
					put("w:", stem)
				}
				if title && fl&wordT != 0 {
					put("t:", stem)
				}
			}
			if prev != "" && prevFl&wordFirst != 0 && fl&wordSecond != 0 {
				put("b:", prev, "_", stem)
			}
			prev, prevFl = stem, fl
		}
	}
	words(a.title, a.titleMents, true)
	words(text, a.textMents, false)
	var cues uint8
	fz.lex.scanLooked(a.title, a.titleLk, func(id int32, _, _ int) {
		put("c:", fz.lkeys[id])
		put("tc:", fz.lkeys[id])
		cues |= fz.cues[id]
	})
	titleRegion := false // the headline names a country, region or place
	for _, m := range a.titleMents {
		if k := g.entities[m.ent].kind; k == kindRegion || k == kindPlace {
			titleRegion = true
			break
		}
	}
	// With violence, two countries in the headline are one state striking another, which the
	// rubric rates high.
	if titleStates(g, a) == 2 {
		put("i:two-states")
		if cues&cueViolent != 0 {
			put("i:violence-between-states")
		}
	}
	// What the headline reports, for severity: words about violence (a reaction to an
	// attack), violence at a named place (a strike on a country), other violence, or words only.
	switch {
	case cues&cueViolent != 0 && cues&cueSpeech != 0:
		put("v:speech-on-violence")
	case cues&cueViolent != 0 && titleRegion:
		put("v:violence-at-place")
	case cues&cueViolent != 0:
		put("v:violence")
	case cues&cueSpeech != 0:
		put("v:speech")
	}
	fz.lex.scanLooked(text, a.textLk.slice(0, len(text)), func(id int32, _, _ int) { put("c:", fz.lkeys[id]) })
	for i, s := range in.scores {
		name := "nonsecurity"
		if i < len(builtinTopics) {
			name = builtinTopics[i]
		}
		for _, step := range ruleSteps {
			if s >= step {
				put("r:", name, ">", strconv.Itoa(int(step)))
			}
		}
	}
	sv := in.sev
	if sv.killed > 0 {
		put("s:killed")
	}
	if sv.killed >= 10 || sv.massacre {
		put("s:killed10")
	}
	if sv.wounded > 0 {
		put("s:wounded")
	}
	if sv.violent {
		put("s:violent")
	}
	if sv.titleKilled > 0 {
		put("s:title-killed")
	}
	if sv.titleViolent {
		put("s:title-violent")
	}
	// the rubric's medium: violence reported in the headline, no one reported killed
	if cues&cueViolent != 0 && sv.killed == 0 && !sv.massacre {
		put("s:violent-no-deaths")
	}
	put("n:", strconv.Itoa(min(in.regions, 3)))
	return key
}

// titleStates counts the countries the headline names, by a place, a demonym, a person or a
// group of theirs, up to two.
func titleStates(g *gazetteer, a *analysis) int {
	var states [2]int
	n := 0
	for _, m := range a.titleMents {
		for _, ri := range g.entities[m.ent].regions {
			if g.parent[ri] < 0 && (n == 0 || states[0] != ri) {
				states[n] = ri
				if n++; n == 2 {
					return n
				}
			}
		}
	}
	return n
}

// predict fills p with the probability of every output for in.
func (m *model) predict(fz *featurizer, g *gazetteer, in modelInput, p []float64) {
	sc := m.scratch.Get().(*modelScratch)
	if nf := len(m.w) / m.no; len(sc.seen) != nf {
		sc.seen, sc.gen = make([]uint32, nf), 0
	}
	if sc.gen++; sc.gen == 0 { // wrapped: forget every mark
		clear(sc.seen)
		sc.gen = 1
	}
	seen, gen := sc.seen, sc.gen
	ids := sc.ids[:0]
	add := func(id int32) {
		if seen[id] != gen {
			seen[id] = gen
			ids = append(ids, id)
		}
	}
	sc.key = fz.emitFeatures(g, in, sc.key, m.words, func(k []byte) {
		if id, ok := m.index[string(k)]; ok {
			add(id)
		}
	}, add)
	slices.Sort(ids)
	// As in training, the item is scaled by the number of its features the model knows.
	s := logreg.Scale(len(ids))
	// Each output sums its weights in ascending feature order (as the training does); going
	// through the features' rows one after the other keeps that order and reads w in sequence.
	z := append(sc.z[:0], make([]float64, m.no)...)
	for o := range z {
		z[o] = float64(m.bias[o])
	}
	for _, id := range ids {
		row := m.w[int(id)*m.no : int(id)*m.no+m.no]
		for o, w := range row {
			z[o] += float64(w) * s
		}
	}
	for o, zo := range z {
		p[o] = logreg.Sigmoid(zo)
	}
	sc.ids, sc.z = ids[:0], z
	m.scratch.Put(sc)
}
