// Package summarize builds extractive summaries of news text: it cleans page
// furniture from scraped text, splits sentences, ranks them and returns the
// best ones in article order, for one document or for several reports of the
// same story.
//
// The pipeline is Clean (furniture lines, end-of-article headings, ad
// blocks, and the furniture any feed may carry: "read more" links in the
// languages sitrep serves, WordPress's "The post … appeared first on …",
// messaging-app promotions), a headline taken off the top (a line that is
// not the given title stays, as a standfirst), Split (abbreviations, agency
// datelines in Latin and Arabic script, quotes, bullets, Arabic and Persian
// punctuation; headings and link lines without a full stop are left out),
// then ranking: each sentence gets
// a position prior, its centrality in the TF-IDF cosine graph of the
// document's sentences, title overlap, length penalties and small penalties
// for quotations and questions; sentences are then chosen greedily with
// maximal-marginal-relevance redundancy removal, up to a sentence count, an
// optional character budget and (by default) a word budget, and returned in
// article order. Terms are lower-cased, stop words of English, Arabic and
// Persian dropped, English words lightly stemmed and common news synonyms
// folded; other scripts are kept as they are.
//
// The weights were tuned on the development half of a CNN/DailyMail sample
// only; the package eval scores summaries with ROUGE (package rouge).
// Options.Lead keeps an editor's description whole when it is short and
// starts the summary with its lead otherwise. FeedFurniture learns one
// feed's own furniture from the items it has sent. All
// functions are safe for concurrent use, deterministic, and run in time
// linear in the input (only the first sentences of a very long text are
// ranked).
package summarize

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"unicode/utf8"
)

// ErrEmpty is returned when the input holds no text to summarize.
var ErrEmpty = errors.New("summarize: no text to summarize")

// Options tune a summary.
type Options struct {
	Sentences int    // max sentences; 0 means 3
	MaxChars  int    // optional character budget; 0 = none
	Title     string // optional title, may help ranking
	// Words is a soft length budget: no further sentence is added once the
	// summary holds this many words. 0 picks the default: DefaultWords when
	// Sentences is 0 (so a default summary is up to three sentences, fewer
	// when they are long), none otherwise. Negative means none.
	Words int
	// Lead marks text as an editor's description of an item (a feed
	// description or standfirst): when it is short (at most LeadWords
	// words, or the word budget if larger) all of it is the summary;
	// otherwise the summary starts with its first sentence and the ranking
	// adds the rest.
	Lead bool
}

// LeadWords is the length up to which a description given with
// Options.Lead is its own summary.
const LeadWords = 60

// DefaultWords is the word budget of a summary made with default options;
// it was chosen on the development half of the CNN/DailyMail sample, whose
// human summaries average about 33 words.
const DefaultWords = 45

// words returns the effective word budget for Summarize.
func (o Options) words() int {
	switch {
	case o.Words > 0:
		return o.Words
	case o.Words == 0 && o.Sentences <= 0:
		return DefaultWords
	}
	return 0
}

// Sentence is one chosen sentence and where it came from.
type Sentence struct {
	Text  string
	Doc   int     // index of the source document in SummarizeMany (0 for Summarize)
	Index int     // sentence position within its document
	Score float64 // ranking score, higher is better; 0 in a short lead kept whole (Options.Lead), which is not ranked
	// Also lists the other documents (SummarizeMany) that state the same
	// fact in a near-identical sentence, merged into this one.
	Also []int
}

// Summary is the result of Summarize or SummarizeMany.
type Summary struct {
	Title     string     // opt.Title, else a headline detected at the top of the text (may be "")
	Sentences []Sentence // chosen sentences, in article order (multi-doc: grouped by document, traceable by Doc)
}

// Text returns the sentences joined with single spaces.
func (s Summary) Text() string {
	switch len(s.Sentences) {
	case 0:
		return ""
	case 1:
		return s.Sentences[0].Text
	}
	n := len(s.Sentences) - 1
	for _, x := range s.Sentences {
		n += len(x.Text)
	}
	var b strings.Builder
	b.Grow(n)
	for i, x := range s.Sentences {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(x.Text)
	}
	return b.String()
}

// defaultSentences is the summary length when Options.Sentences is 0.
const defaultSentences = 3

func (o Options) sentences() int {
	if o.Sentences <= 0 {
		return defaultSentences
	}
	return o.Sentences
}

// Summarize returns the most informative sentences of text, in article order.
// Text is plain text, possibly a scraped page: furniture is cleaned away and a
// headline at the top becomes the summary's title. HTML is converted to text
// before, by package feeds (readability for pages, its converter for
// fragments), so that there is one HTML-to-text path. It returns ErrEmpty when
// no sentence is left.
func Summarize(text string, opt Options) (Summary, error) {
	return summarizeWith(text, opt, &defaultParams)
}

func summarizeWith(text string, opt Options, p *params) (Summary, error) {
	r := getRanker()
	d := prepareInto(text, opt.Title, r.sents[:0])
	out, err := r.summarize(d, opt, p)
	clear(d.sents) // the pooled ranker must not keep the text alive
	r.sents = d.sents[:0]
	putRanker(r)
	return out, err
}

// summarize is summarizeWith on the prepared document d.
func (r *ranker) summarize(d document, opt Options, p *params) (Summary, error) {
	if len(d.sents) == 0 {
		return Summary{Title: d.title}, ErrEmpty
	}
	r.p = *p
	if r.p.wordBudget == 0 {
		r.p.wordBudget = opt.words()
	}
	var picked []int
	if opt.Lead {
		if picked = shortLead(d, max(LeadWords, r.p.wordBudget), opt.MaxChars, r.picked[:0]); picked != nil {
			r.picked = picked // keep the storage, if it grew
		}
	}
	var scores []float64 // nil for a short lead, which is not ranked
	if picked == nil {
		scores = r.rank(d, opt.Title)
		picked = r.selectMMR(d, scores, opt.sentences(), opt.MaxChars, opt.Lead)
	}
	sort.Ints(picked)
	out := Summary{Title: d.title, Sentences: make([]Sentence, 0, len(picked))}
	for k, i := range picked {
		text := d.sents[i].text
		if k < len(picked)-1 && d.sents[i].flags&flagOpen != 0 {
			text += "." // a standfirst without a full stop, followed by more
		}
		st := Sentence{Text: fitChars(text, opt.MaxChars), Index: d.sents[i].index}
		if scores != nil {
			st.Score = scores[i]
		}
		out.Sentences = append(out.Sentences, st)
	}
	return out, nil
}

// shortLead returns all sentences of d (their indexes, appended to dst)
// when they hold at most maxWords words and fit maxChars (0: no limit),
// else nil.
func shortLead(d document, maxWords, maxChars int, dst []int) []int {
	words, chars := 0, 0
	for _, s := range d.sents {
		words += s.words
		chars += len(s.text) + 2
	}
	if words > maxWords || maxChars > 0 && chars > maxChars {
		return nil
	}
	for i := range d.sents {
		dst = append(dst, i)
	}
	return dst
}

// document is text prepared for ranking.
type document struct {
	text  string // cleaned body text (spans point into it)
	title string
	sents []sent
}

// sent is a candidate sentence.
type sent struct {
	text  string
	index int // position among the document's sentences
	doc   int // source document (SummarizeMany)
	para  int
	words int
	flags sentFlag
}

// sentFlag marks surface features of a sentence that bear on ranking.
type sentFlag uint8

const (
	flagQuote    sentFlag = 1 << iota // opens with a quotation mark
	flagQuestion                      // ends with a question mark
	flagPronoun                       // opens with a pronoun or connective that needs context
	flagDigit                         // contains a number
	flagSaid                          // reports speech ("said", "told")
	flagYou                           // addresses the reader ("you", "your")
	flagOpen                          // ends its paragraph without a full stop (a standfirst)
)

// prepare cleans the text, takes a headline off the top and splits the rest
// into candidate sentences.
func prepare(text, title string) document {
	return prepareInto(text, title, nil)
}

// prepareInto is prepare with the sentences appended to sents[:0] (scratch
// space of a ranker).
func prepareInto(text, title string, sents []sent) document {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "") // binary noise carries no sentences
	}
	text, apps := cleanText(text, false) // furniture sentences are skipped below
	d := document{title: strings.TrimSpace(title)}
	body, head := splitHeadline(text)
	if head != "" && d.title != "" && !sameTitle(head, d.title) {
		head = "" // a standfirst under the given title, not a headline
	}
	if head != "" {
		if d.title == "" {
			d.title = head
		}
		text = body
	}
	d.text = text
	buf := spanPool.Get().(*[]span)
	defer spanPool.Put(buf)
	*buf = splitSpans(text, (*buf)[:0], 2*maxCandidates)
	spans := *buf
	d.sents = sents[:0]
	if cap(d.sents) < len(spans) {
		d.sents = make([]sent, 0, len(spans))
	}
	for k, sp := range spans {
		if len(d.sents) >= maxCandidates {
			break
		}
		s, w := foldCount(text[sp.start:sp.end])
		if !hasLetter(s) || isDateOnly(s) || isStockFurniture(s, apps) {
			continue
		}
		f := flagsOf(s)
		endsPara := k == len(spans)-1 || spans[k+1].para != sp.para
		if endsPara && !endsSentence(s) {
			alone := k == 0 || spans[k-1].para != sp.para
			if alone && sp.para > 0 && w <= headingWords {
				continue // a heading or a link line, not a sentence
			}
			f |= flagOpen
		}
		d.sents = append(d.sents, sent{text: s, index: len(d.sents), para: sp.para, words: w, flags: f})
	}
	return d
}

// headingWords is the longest a paragraph without a full stop can be and
// still be taken for a heading or a link rather than text.
const headingWords = 12

// sameTitle reports whether a detected headline repeats the given title:
// most of the shorter one's words are in the other. Words are those of
// normUnit, which separates them by single spaces; both are normalised into
// stack buffers.
func sameTitle(head, title string) bool {
	var bufA, bufB [256]byte
	a, b := appendNorm(bufA[:0], head), appendNorm(bufB[:0], title)
	na, nb := spaceWords(a), spaceWords(b)
	if na > nb {
		a, b, na = b, a, nb
	}
	if na == 0 {
		return false
	}
	n := 0
	for rest := a; len(rest) > 0; {
		w := rest
		if i := bytes.IndexByte(rest, ' '); i >= 0 {
			w, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if hasSpaceWord(b, w) {
			n++
		}
	}
	return 10*n >= 6*na
}

// spaceWords counts the words of a normalised text (words separated by
// single spaces, no space at either end).
func spaceWords(norm []byte) int {
	if len(norm) == 0 {
		return 0
	}
	return 1 + bytes.Count(norm, []byte{' '})
}

// hasSpaceWord reports whether w is one of the words of the normalised text norm.
func hasSpaceWord(norm, w []byte) bool {
	for len(norm) > 0 {
		i := bytes.IndexByte(norm, ' ')
		if i < 0 {
			return bytes.Equal(norm, w)
		}
		if bytes.Equal(norm[:i], w) {
			return true
		}
		norm = norm[i+1:]
	}
	return false
}

// splitHeadline detects a headline: a short first line without a full stop,
// followed by more text. It returns the rest of the text and the headline.
func splitHeadline(text string) (body, head string) {
	t := strings.TrimLeft(text, " \t\r\n\ufeff")
	i := strings.IndexByte(t, '\n')
	if i < 0 {
		return text, ""
	}
	line := strings.TrimSpace(t[:i])
	rest := t[i+1:]
	if line == "" || len(line) > 200 || strings.TrimSpace(rest) == "" {
		return text, ""
	}
	w := countWords(line, 30)
	if w < 2 || w >= 30 || endsSentence(line) && !strings.HasSuffix(line, "?") {
		return text, ""
	}
	if strings.HasSuffix(line, ":") || strings.HasSuffix(line, ",") {
		return text, ""
	}
	if len(splitSpans(line, make([]span, 0, 2), 2)) > 1 {
		return text, "" // a paragraph whose last sentence lacks a full stop
	}
	return rest, foldSpace(line)
}

// hasLetter reports whether s contains a letter or digit.
func hasLetter(s string) bool {
	for _, r := range s {
		if isWordRune(r) {
			return true
		}
	}
	return false
}

// fitChars cuts s at a word boundary to at most max bytes (0: no limit),
// marking the cut with an ellipsis.
func fitChars(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	const ell = "…"
	cut := max - len(ell)
	if cut < 8 {
		// too small for an ellipsis: cut bare, keeping at least one rune
		cut = max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if cut == 0 {
			_, cut = utf8.DecodeRuneInString(s)
		}
		return s[:cut]
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if k := strings.LastIndexByte(s[:cut], ' '); k > cut/2 {
		cut = k
	}
	return strings.TrimRight(s[:cut], " ,;:-") + ell
}

// flagsOf computes the surface features of sentence s.
func flagsOf(s string) sentFlag {
	var f sentFlag
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '"', '\'', '“', '‘', '«', '„':
		f |= flagQuote
	}
	for t := s; len(t) > 0; {
		r, n := utf8.DecodeLastRuneInString(t)
		if r == '"' || r == '\'' || r == '”' || r == '’' || r == '»' || r == ')' || r == ' ' {
			t = t[:len(t)-n]
			continue
		}
		if r == '?' || r == '؟' {
			f |= flagQuestion
		}
		break
	}
	j := 0
	for j < len(s) && j < 12 && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
		j++
	}
	if j > 0 && j < len(s) {
		var buf [12]byte
		for i := 0; i < j; i++ {
			c := s[i]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		if _, ok := contextWords[string(buf[:j])]; ok {
			f |= flagPronoun
		}
	}
	return f
}

// contextWords open sentences that lean on an earlier one.
var contextWords = map[string]struct{}{
	"he": {}, "she": {}, "it": {}, "they": {}, "we": {}, "i": {}, "you": {}, "his": {}, "her": {},
	"their": {}, "its": {}, "this": {}, "that": {}, "these": {}, "those": {}, "but": {}, "and": {},
	"so": {}, "also": {}, "however": {}, "still": {}, "yet": {}, "then": {}, "there": {}, "such": {},
}

// isDateOnly reports whether a sentence is only a date or time stamp
// ("March 10, 2015 .", "Updated 10:32 GMT"): furniture, not content.
func isDateOnly(s string) bool {
	if len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
			j++
		}
		if j > i {
			w := strings.ToLower(s[i:j])
			if _, ok := dateWords[w]; !ok {
				return false
			}
			i = j
			continue
		}
		if s[i] >= 0x80 {
			return false
		}
		i++
	}
	return true
}

// dateWords may appear in a date or time stamp.
var dateWords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields("january february march april may june july august september october " +
		"november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday " +
		"thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun am pm a m p gmt utc est " +
		"edt pst pdt bst cet updated published posted last th st nd rd") {
		m[w] = struct{}{}
	}
	return m
}()
