package summarize

import (
	"sort"
	"strings"
)

// Document is one report given to SummarizeMany.
type Document struct {
	Title  string
	Text   string
	Source string // where it came from (outlet, URL); informational
}

// multiDupSim is the cosine above which two sentences of different reports
// are taken to state the same fact.
const multiDupSim = 0.2

// alsoSim is the cosine above which a sentence of another report counts as
// stating the same fact as a chosen sentence (Sentence.Also).
const alsoSim = 0.35

// multiLaterPos is the share of the position prior dropped after the first
// sentence of a multi-document summary (see params.laterPos).
const multiLaterPos = 0.6

// multiSameDoc is the MMR penalty per sentence already taken from the same
// report (see params.sameDoc).
const multiSameDoc = 0.1

// SummarizeMany summarizes several reports of one story (or a set of stories
// for a brief) together: sentences are ranked over all reports, facts shared
// by several reports rank high and are stated once (near-duplicate sentences
// are merged by maximal-marginal-relevance selection), and every sentence
// keeps the index of its document. Sentences come out grouped by document, in
// article order within each. Options.Words applies only when positive. It
// returns ErrEmpty when no document has text.
func SummarizeMany(docs []Document, opt Options) (Summary, error) {
	var all document
	title := strings.TrimSpace(opt.Title)
	perDoc := maxCandidates / max(1, len(docs))
	if perDoc < 8 {
		perDoc = 8
	}
	for di, doc := range docs {
		if len(all.sents) >= 4*maxCandidates {
			break
		}
		d := prepare(doc.Text, doc.Title)
		if title == "" && d.title != "" {
			title = d.title
		}
		for i, s := range d.sents {
			if i >= perDoc {
				break
			}
			s.doc = di
			all.sents = append(all.sents, s)
		}
	}
	all.title = title
	if len(all.sents) == 0 {
		return Summary{Title: title}, ErrEmpty
	}
	r := getRanker()
	defer putRanker(r)
	r.p = defaultParams
	r.p.dupSim = multiDupSim
	r.p.lambda = 2 * defaultParams.lambda
	r.p.laterPos = multiLaterPos
	r.p.sameDoc = multiSameDoc
	r.p.wordBudget = max(opt.Words, 0)
	scores := r.rank(all, title)
	picked := r.selectMMR(all, scores, opt.sentences(), opt.MaxChars, false)
	sort.Slice(picked, func(a, b int) bool {
		sa, sb := all.sents[picked[a]], all.sents[picked[b]]
		if sa.doc != sb.doc {
			return sa.doc < sb.doc
		}
		return sa.index < sb.index
	})
	out := Summary{Title: title, Sentences: make([]Sentence, 0, len(picked))}
	n := len(all.sents)
	for _, i := range picked {
		s := all.sents[i]
		var also []int
		for j, o := range all.sents {
			if o.doc != s.doc && r.sim[i*n+j] >= alsoSim && (len(also) == 0 || also[len(also)-1] != o.doc) {
				also = append(also, o.doc)
			}
		}
		out.Sentences = append(out.Sentences, Sentence{
			Text:  fitChars(s.text, opt.MaxChars),
			Doc:   s.doc,
			Index: s.index,
			Score: scores[i],
			Also:  also,
		})
	}
	return out, nil
}
