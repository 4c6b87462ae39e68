package topics

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sitrep-bot/sitrep/internal/clip"
)

// Feature extraction for story clustering.
//
// A doc is described by a weighted set of features taken from its title and lead: recognised
// entities (places, groups, people: language-independent keys), event concepts (also
// language-independent), numbers, and content words; words inside a recognised name weigh half,
// since the name is an entity feature already, so that two reports naming the same people and
// places are alike in wording mostly when they say the same thing about them. Entities named
// further down the text add weaker features. Weights are static per kind; the clusterer scales
// them by rarity.

const (
	nameWordWeight  = 0.5 // weight of a word inside a recognised name, counted as an entity already
	clusterLead     = 70  // tokens of text treated as the lead
	clusterEntities = 350 // tokens of text searched for entities
	clusterScan     = 400 // tokens of text read at all (days of the week, script)
	eventKeyWeight  = 2.0 // weight of an event key (see extractFeatures)
	// Words count by their first letters after the English suffixes are stripped, so inflected forms
	// meet: "annexation" and "annexed", Polish "Wenezueli" and "Wenezuelę", Turkish case endings.
	// Tuned on ../shared/corpus/labelled/dev.jsonl: 6 and 7 merge unrelated words, 10 misses forms.
	wordPrefix = 8
)

// feature kinds
const (
	fEntity  = 'e'
	fConcept = 'c'
	fNumber  = '#'
	fWord    = 'w'
	fEvent   = 'k' // an event key: a singular kind of event in a country, both in the headline
)

type feat struct {
	h     uint64
	kind  byte
	actor bool // an entity that is a person or a group, not a place
	head  bool // in the headline
	w     float64
}

// hashKey is the 64-bit FNV-1a hash of kind, a zero byte and s.
func hashKey(kind byte, s string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	h = (h ^ uint64(kind)) * prime
	h *= prime // the zero byte
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * prime
	}
	return h
}

// entityWeight is the base weight of an entity by kind: a country says little about which event
// a report is about; a town, a group or a person says more.
func entityWeight(k byte) float64 {
	switch k {
	case kindRegion:
		return 0.6
	case kindPlace:
		return 2.0
	default:
		return 2.2
	}
}

var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more most my no nor
not now of off on once only or other our ours out over own same she should so some such than that the their theirs
them then there these they this those through to too under until up very was we were what when where which while who
whom why will with would you your said says say told according new also first last year years month
week day days time today yesterday monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december mr ms per cent percent amid over into since while
would could should people officials official government country countries state states news report reports reported
statement added including including part held make made take taken called call like us s t
في من على إلى الى عن مع أن ان إن التي الذي الذين هذا هذه ذلك تلك كان كانت يكون قد لا ما لم لن بعد قبل عند بين حيث
كما أو او ثم حتى كل بعض غير خلال منذ عليه عليها فيه فيها به بها له لها هو هي هم نحو وقال قال وقالت قالت اليوم أمس
يوم الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت وأضاف أضاف وأكد أكد مصدر مصادر`) {
		toks := tokenize(w, nil)
		for _, t := range toks {
			m[t.norm] = true
		}
	}
	return m
}()

// weekdayBits maps weekday words (English and Arabic) to a bit per day.
var weekdayBits = func() map[string]uint8 {
	m := map[string]uint8{}
	days := [][]string{
		{"sunday", "الأحد", "الاحد"}, {"monday", "الاثنين", "الإثنين"}, {"tuesday", "الثلاثاء"},
		{"wednesday", "الأربعاء", "الاربعاء"}, {"thursday", "الخميس"}, {"friday", "الجمعة"}, {"saturday", "السبت"},
	}
	for i, ws := range days {
		for _, w := range ws {
			for _, t := range tokenize(w, nil) {
				m[t.norm] = 1 << i
			}
		}
	}
	return m
}()

// wordInfo is what feature extraction needs to know of a word, found with one lookup.
type wordInfo struct {
	day   uint8 // weekdayBits
	stop  bool  // stopwords
	isNum bool  // numberWords
	num   int
}

var wordInfos = func() map[string]wordInfo {
	m := map[string]wordInfo{}
	for w, b := range weekdayBits {
		i := m[w]
		i.day = b
		m[w] = i
	}
	for w := range stopwords {
		i := m[w]
		i.stop = true
		m[w] = i
	}
	for w, n := range numberWords {
		i := m[w]
		i.isNum, i.num = true, n
		m[w] = i
	}
	return m
}()

// oneVictim holds the words after "one" that make it a count of victims in a headline ("one
// person killed", "one dead"), not "one of", "one year on".
var oneVictim = map[string]bool{"person": true, "killed": true, "dead": true, "died": true, "injured": true,
	"wounded": true, "soldier": true, "civilian": true, "man": true, "woman": true, "child": true, "officer": true}

// stem is a light English suffix stripper so that "strike"/"strikes", "signed"/"signs" meet.
func stem(w string) string {
	n := len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ing"):
		return w[:n-3]
	case n > 4 && strings.HasSuffix(w, "ied"):
		return w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "ed"):
		return w[:n-2]
	case n > 4 && strings.HasSuffix(w, "es") && !strings.HasSuffix(w, "ses"):
		return w[:n-1]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		return w[:n-1]
	}
	return w
}

// docFeatures is the clustering description of one doc.
type docFeatures struct {
	feats       []feat // sorted by h, one per hash
	arabic      bool
	lang        uint8    // language (langEnglish…), langArabic for Arabic script; see otherLanguage
	weekdays    uint8    // days of the week named as the event's day, a bit per day from Sunday
	saidDays    uint8    // days of the week named as the day of a statement about it
	places      []int32  // place entities named in the title or lead
	primary     []int32  // place entities named in the title or the lead's first sentence
	groups      []int32  // armed groups and institutions named in the title
	concepts    []int32  // event-type concepts in the title
	proceedings []int32  // ... those that are formal proceedings (see rules.proceeding)
	leadProcs   []int32  // proceedings the lead's first sentence sets its news at ("at a Security Council meeting")
	nums        []int32  // counts named in the title ("3 Palestinians killed")
	numKinds    []uint8  // ... parallel: countExact, countAtLeast ("over 100"), countAbout ("nearly 100")
	regions     []int32  // regions named or implied in the title or lead
	headRegions []uint64 // signature keys of the regions of the places and regions the title names
	sigKeys     []uint64 // what story signatures count: actors, and the regions named or implied in the title or lead (sorted)
}

// idLists is scratch for the id lists of a docFeatures being built, in the order of settleLists.
type idLists [8][]int32

var listScratch = sync.Pool{New: func() any { return new(idLists) }}

// settleLists moves the id lists, built in the scratch lp, into one allocation of their own, and
// keeps the grown scratch in lp for the next doc.
func (df *docFeatures) settleLists(lp *idLists) {
	lists := [8]*[]int32{&df.places, &df.primary, &df.groups, &df.concepts, &df.proceedings, &df.leadProcs, &df.nums, &df.regions}
	n := 0
	for i, l := range lists {
		lp[i] = (*l)[:0]
		n += len(*l)
	}
	arena := make([]int32, 0, n)
	for _, l := range lists {
		if len(*l) == 0 {
			*l = nil
			continue
		}
		k := len(arena)
		arena = append(arena, *l...)
		*l = arena[k:len(arena):len(arena)]
	}
}

// featScratch holds extractFeatures' scratch feature lists.
var featScratch = sync.Pool{New: func() any { s := make([]feat, 0, 128); return &s }}

func extractFeatures(g *gazetteer, r *rules, a *analysis) docFeatures {
	// The features are gathered in pooled scratch and copied out once deduplicated.
	accp := featScratch.Get().(*[]feat)
	acc := (*accp)[:0]
	defer func() {
		*accp = acc[:0]
		featScratch.Put(accp)
	}()
	var df docFeatures
	// The id lists are gathered in pooled scratch too and moved into one allocation at the end.
	lp := listScratch.Get().(*idLists)
	defer listScratch.Put(lp)
	df.places, df.primary, df.groups, df.concepts = lp[0][:0], lp[1][:0], lp[2][:0], lp[3][:0]
	df.proceedings, df.leadProcs, df.nums, df.regions = lp[4][:0], lp[5][:0], lp[6][:0], lp[7][:0]
	inTitle := true
	put := func(kind byte, key string, w float64) {
		acc = append(acc, feat{h: hashKey(kind, key), kind: kind, w: w, head: inTitle})
	}
	// The lead, without a wire dateline ("TEHRAN, Aug. 13 (MNA) –"): where and when the reporter
	// filed says nothing about which event it is.
	dl := a.dateline
	lead := a.text[dl:]
	if len(lead) > clusterLead {
		lead = lead[:clusterLead]
	}
	arabicToks := 0
	var langs langCounter
	looked := [...]lookups{a.titleLk, a.textLk.slice(dl, dl+len(lead))}
	for pi, part := range [][]token{a.title, lead} {
		inTitle = pi == 0
		boost := 1.0
		if pi == 0 {
			boost = 1.5
		}
		ments := a.titleMents
		off := 0
		if pi == 1 {
			ments, off = a.textMents, dl
		}
		mi := 0
		for ti, t := range part {
			if t.arabic {
				arabicToks++
			}
			for mi < len(ments) && ments[mi].end <= ti+off {
				mi++
			}
			inName := mi < len(ments) && ments[mi].start <= ti+off
			info := wordInfos[t.norm]
			if b := info.day; b != 0 {
				if statementDay(part, ti) {
					df.saidDays |= b
				} else {
					df.weekdays |= b
				}
				continue
			}
			if info.stop {
				continue
			}
			n, ok := info.num, info.isNum
			if !ok && asciiDigits(t.norm) {
				n, ok = parseCount(t.norm)
			}
			if ok {
				// Digits and exact number words ("four", "أربعة") are the same feature; days of
				// the month are not counts.
				if n == 1 && pi == 0 && (t.norm == "one" || t.norm == "1") && ti+1 < len(part) && oneVictim[part[ti+1].norm] && !slices.Contains(df.nums, 1) {
					// "One person killed in attack on convoy" is a count to compare ("kill 15"),
					// though one is no feature: "one" is too common a word.
					df.nums = append(df.nums, 1)
					df.numKinds = append(df.numKinds, countKind(part, ti))
				}
				if n >= 2 && !vagueCount[t.norm] && !nextToMonth(part, ti) {
					put(fNumber, strconv.Itoa(n), 1.0*boost)
					if pi == 0 && !slices.Contains(df.nums, int32(n)) {
						df.nums = append(df.nums, int32(n))
						df.numKinds = append(df.numKinds, countKind(part, ti))
					}
				}
				continue
			}
			if utf8.RuneCountInString(t.norm) < 3 {
				continue
			}
			w := t.norm
			if !t.arabic {
				w = clip.Prefix(stem(w), wordPrefix)
			}
			ww := 1.0
			if inName {
				ww = nameWordWeight // names are entity features; words say what happened
			}
			put(fWord, w, ww*boost)
		}
		r.concepts.scanLooked(part, looked[pi], func(id int32, start, _ int) {
			put(fConcept, r.ckeys[id], 1.3*boost)
			if pi == 1 && r.proceeding[id] && dl+start < a.first && atVenue(part, start) && !slices.Contains(df.leadProcs, id) {
				df.leadProcs = append(df.leadProcs, id)
			}
			if pi == 0 && !r.generic[id] && !slices.Contains(df.concepts, id) {
				df.concepts = append(df.concepts, id)
				if r.proceeding[id] {
					df.proceedings = append(df.proceedings, id)
				}
			}
		})
	}
	inTitle = false
	scan := a.text[:min(len(a.text), clusterScan)]
	for ti, t := range scan {
		if b := wordInfos[t.norm].day; b != 0 {
			if statementDay(scan, ti) {
				df.saidDays |= b
			} else {
				df.weekdays |= b
			}
		}
		if t.arabic {
			arabicToks++
		}
		langs.add(t)
	}
	for _, t := range a.title {
		langs.add(t)
	}
	df.arabic = arabicToks*2 > len(a.title)+len(scan)
	df.lang = langs.best()
	if df.arabic {
		df.lang = langArabic
	}
	addPlace := func(m mention, primary bool) {
		e := &g.entities[m.ent]
		if e.kind == kindPlace && !slices.Contains(df.places, int32(m.ent)) {
			df.places = append(df.places, int32(m.ent))
		}
		if primary && e.kind == kindPlace && !slices.Contains(df.primary, int32(m.ent)) {
			df.primary = append(df.primary, int32(m.ent))
		}

		for _, r := range e.regions {
			if !slices.Contains(df.regions, int32(r)) {
				df.regions = append(df.regions, int32(r))
			}
		}
	}
	putEntity := func(e *entity, w float64, head bool) {
		acc = append(acc, feat{h: hashKey(fEntity, e.key), kind: fEntity, w: w, actor: e.kind == kindGroup || e.kind == kindPerson, head: head})
	}
	var headBuf [8]uint64 // the title's regions (see docFeatures.headRegions), rarely more than a few
	headRegions := headBuf[:0]
	for _, m := range a.titleMents {
		e := &g.entities[m.ent]
		putEntity(e, entityWeight(e.kind)*1.5, true)
		addPlace(m, true)
		if e.kind == kindPlace || e.kind == kindRegion {
			for _, r := range e.regions {
				if k := g.regionKey(r); !slices.Contains(headRegions, k) {
					headRegions = append(headRegions, k)
				}
			}
		}
		if e.kind == kindGroup && !slices.Contains(df.groups, int32(m.ent)) {
			df.groups = append(df.groups, int32(m.ent))
		}
	}
	// Event keys: a singular kind of event (rules.singular) in a country, both named in the
	// headline. Reports of one earthquake word it differently, but the pair names it (see
	// eventFloor).
	for _, c := range df.concepts {
		if !r.singular[c] {
			continue
		}
		ch := hashKey(fConcept, r.ckeys[c])
		for _, k := range headRegions {
			acc = append(acc, feat{h: (ch ^ k) * 1099511628211, kind: fEvent, w: eventKeyWeight, head: true})
		}
	}
	for _, m := range a.textMents {
		if m.start >= clusterEntities {
			break
		}
		if m.start < dl {
			continue
		}
		e := &g.entities[m.ent]
		w := entityWeight(e.kind)
		if m.start >= clusterLead {
			w *= 0.6
		} else {
			addPlace(m, m.start < a.first)
		}
		putEntity(e, w, false)
	}
	// One feature per hash, with the highest weight it was given.
	slices.SortFunc(acc, func(x, y feat) int {
		switch {
		case x.h < y.h:
			return -1
		case x.h > y.h:
			return 1
		}
		return 0
	})
	out := acc[:0]
	for _, f := range acc {
		if n := len(out); n > 0 && out[n-1].h == f.h {
			out[n-1].w = max(out[n-1].w, f.w)
			out[n-1].head = out[n-1].head || f.head
			continue
		}
		out = append(out, f)
	}
	df.feats = slices.Clone(out)
	df.settleLists(lp)
	// Signature keys: a report names Venezuela whether it says "Venezuela", "Venezuelan" or
	// "Caracas", so places count by the regions they imply; people and groups by themselves.
	// The headline's regions share the signature keys' allocation (after them).
	n := len(df.regions)
	for _, f := range df.feats {
		if f.kind == fEntity && f.actor {
			n++
		}
	}
	keys := make([]uint64, 0, n+len(headRegions))
	for _, f := range df.feats {
		if f.kind == fEntity && f.actor {
			keys = append(keys, f.h)
		}
	}
	for _, r := range df.regions {
		keys = append(keys, g.regionKey(int(r)))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	df.sigKeys = keys[:len(keys):len(keys)]
	if len(headRegions) > 0 {
		df.headRegions = append(keys[len(keys):], headRegions...)
	}
	return df
}

// idfPrior pretends every collection has this many more docs, none with the feature, so that a
// handful of docs does not make every shared word look common.
const idfPrior = 30

// idf returns the rarity factor of a feature seen in df of n docs (BM25 form): about 3 for a rare
// feature, falling to 0 for one that every doc of a large collection has.
func idf(df, n int) float64 {
	N := float64(n + idfPrior)
	d := float64(df)
	return math.Log(1 + (N-d+0.5)/(d+0.5))
}

var monthWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("january february march april may june july august september october november december " +
		"jan feb mar apr jun jul aug sep sept oct nov dec يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر " +
		"كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين") {
		for _, t := range tokenize(w, nil) {
			m[t.norm] = true
		}
	}
	return m
}()

// nextToMonth reports whether toks[i] is next to a month name ("Aug. 13", "13 March").
func nextToMonth(toks []token, i int) bool {
	return (i > 0 && monthWords[toks[i-1].norm]) || (i+1 < len(toks) && monthWords[toks[i+1].norm])
}

// speechWords mark a weekday as the day something was said rather than the day of the event
// ("the minister said on Wednesday that the deal signed this week ...").
var speechWords = map[string]bool{
	"said": true, "says": true, "told": true, "announced": true, "statement": true, "stated": true,
	"added": true, "confirmed": true, "denied": true, "warned": true, "urged": true, "briefing": true,
	"interview": true, "conference": true, "tweeted": true, "wrote": true,
}

// statementDay reports whether the weekday toks[i] dates a statement: a speech word stands right
// after it or among the few words before it, with nothing but "on" or a speech word right before it.
func statementDay(toks []token, i int) bool {
	if i+1 < len(toks) && speechWords[toks[i+1].norm] {
		return true
	}
	if i == 0 || (toks[i-1].norm != "on" && !speechWords[toks[i-1].norm]) {
		return false
	}
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		if speechWords[toks[j].norm] {
			return true
		}
	}
	return false
}

// How a headline gives a count: exactly, as a lower bound or roughly.
const (
	countExact   uint8 = iota
	countAtLeast       // "over 100", "at least 10", "more than 40", "ponad 30", "أكثر من"
	countAbout         // "nearly 100", "about 40", "around 300", "up to 20"
)

// countWords maps the word before a count that makes it a bound or an estimate ("over 100",
// "nearly 100"), normalised. countAfter lists, for words that do so only after another ("at
// least", "more than", "up to", Turkish "en az", Arabic "أكثر من", Persian "بیش از"), the words
// they follow.
var countWords, countAfter = func() (map[string]uint8, map[string][]string) {
	norm := func(w string) string { return tokenize(w, nil)[0].norm }
	words := map[string]uint8{}
	for k, ws := range map[uint8]string{
		countAtLeast: "over above exceeds least than ponad najmniej przynajmniej az من از",
		countAbout:   "nearly almost about around roughly some approximately to prawie około niemal حوالي نحو قرابة yaklaşık",
	} {
		for _, w := range strings.Fields(ws) {
			words[norm(w)] = k
		}
	}
	after := map[string][]string{}
	for w, before := range map[string]string{
		"least": "at", "than": "more over", "to": "up", "az": "en", "من": "أكثر", "از": "بیش بیشتر",
	} {
		for _, b := range strings.Fields(before) {
			after[norm(w)] = append(after[norm(w)], norm(b))
		}
	}
	return words, after
}()

// countKind tells how the count at toks[i] is given, from the words before it.
func countKind(toks []token, i int) uint8 {
	if i == 0 {
		return countExact
	}
	w := toks[i-1].norm
	k := countWords[w]
	if after, ok := countAfter[w]; ok && (i < 2 || !slices.Contains(after, toks[i-2].norm)) {
		return countExact // "rises to 40", "10 of the 40" are counts
	}
	return k
}

// countsConflict reports whether both headlines give counts and none of a's agrees with one of
// b's: equal, within a bound ("over 100" and 114) or near an estimate ("nearly 100" and 96).
func countsConflict(a, b *docFeatures) bool {
	if len(a.nums) == 0 || len(b.nums) == 0 {
		return false
	}
	for i, x := range a.nums {
		for j, y := range b.nums {
			if countsAgree(x, a.numKinds[i], y, b.numKinds[j]) {
				return false
			}
		}
	}
	return true
}

func countsAgree(x int32, kx uint8, y int32, ky uint8) bool {
	switch {
	case x == y:
		return true
	case kx == countAtLeast && y > x, ky == countAtLeast && x > y:
		return true
	case kx == countAbout || ky == countAbout:
		lo, hi := min(x, y), max(x, y)
		return float64(hi) <= 1.25*float64(lo)
	}
	return false
}

// daysConflict reports whether two reports name days of the week that cannot be the same event:
// both name days, no event day is shared, and no statement of one was made on an event day of
// the other or within the two days after it (a minister speaking on Wednesday about a memorandum
// signed on Monday).
func daysConflict(a, b *docFeatures) bool {
	if a.weekdays|a.saidDays == 0 || b.weekdays|b.saidDays == 0 {
		return false
	}
	if a.weekdays&b.weekdays != 0 || a.saidDays&b.saidDays != 0 {
		return false
	}
	return a.saidDays&daysAfter(b.weekdays) == 0 && b.saidDays&daysAfter(a.weekdays) == 0
}

// daysAfter returns the given days and the two days after each.
func daysAfter(d uint8) uint8 {
	rot := func(x uint8, k int) uint8 { return (x<<k | x>>(7-k)) & 0x7f }
	return d | rot(d, 1) | rot(d, 2)
}

// venueWords introduce the setting of what a sentence reports: "at a Security Council meeting",
// "told the court", "during the hearing" (English, Polish, Arabic). Words as common as "in" are
// left out: "will face charges in court" sets nothing.
var venueWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("at told addressed during podczas przed خلال أمام") {
		for _, t := range tokenize(w, nil) {
			m[t.norm] = true
		}
	}
	return m
}()

// atVenue reports whether the words just before toks[i] (up to three, an article and a name
// between) set what the sentence reports at the proceeding named at i.
func atVenue(toks []token, i int) bool {
	for j := i - 1; j >= max(0, i-3); j-- {
		if venueWords[toks[j].norm] {
			return true
		}
	}
	return false
}
