package summarize

import (
	"math"
	"sync"
)

// maxCandidates bounds how many sentences of one document are ranked, so
// that time stays linear in the input (pairwise similarity is quadratic in
// the candidates). News puts what matters first.
const maxCandidates = 250

// params are the ranking weights, measured on the development half of the
// CNN/DailyMail sample (TestTune, TestTuneDescent). Features left at zero in
// defaultParams (wPronoun, wLeadSim, wDigit, wSaid, wYou, wordCost) were
// measured there and did not help; they stay as knobs for other corpora.
type params struct {
	posDecay   float64 // position prior: 1/(1+index)^posDecay
	wPos       float64
	wCent      float64 // weight of centrality over TF-IDF cosine
	wTitle     float64 // weight of title overlap
	shortWords float64 // sentences below this many words are penalised
	longWords  float64 // sentences above this many words are penalised
	wLen       float64
	lambda     float64 // MMR: penalty per unit of similarity to chosen sentences
	dupSim     float64 // cosine above which a sentence repeats a chosen one
	// laterPos is the share of the position prior withdrawn after the first
	// pick: in multi-document summaries every report's lead restates the
	// event, so once one lead is chosen the others lose their lead bonus.
	laterPos float64
	// sameDoc is subtracted per sentence already picked from the same
	// document, so that a multi-document summary draws on several reports.
	sameDoc float64
	// wordBudget stops a summary once it holds this many words (0: off).
	wordBudget int
	// wordCost is subtracted per word of a candidate, favouring concise
	// sentences.
	wordCost  float64
	wQuote    float64 // penalty for a sentence opening with a quotation
	wQuestion float64 // penalty for a question
	wPronoun  float64 // penalty for a sentence opening with a pronoun or connective
	centBack  float64 // weight of similarity to earlier sentences in centrality (later ones weigh 1)
	wLeadSim  float64 // weight of similarity to the first sentence (a stand-in for a title)
	wDigit    float64 // bonus for a sentence with a number
	wSaid     float64 // penalty for reported speech
	wYou      float64 // penalty for addressing the reader
	wShort    float64 // penalty weight for short sentences (wLen is for long ones)
}

var defaultParams = params{
	posDecay:   1.5,
	wPos:       1.0,
	wCent:      0.3,
	wTitle:     0.3,
	shortWords: 6,
	longWords:  35,
	wLen:       1,
	lambda:     1,
	dupSim:     0.3,
	wQuote:     0.1,
	wQuestion:  0.1,
	wShort:     1,
	centBack:   1,
}

// ranker holds the scratch space of one ranking; it is pooled so that a
// summary allocates little.
type ranker struct {
	p      params
	hashes []uint64
	ids    []int32
	off    []int32
	keys   []uint64
	vals   []int32
	df     []int32
	last   []int32
	idf    []float32
	dense  []float32
	norms  []float32
	sim    []float32 // n×n cosine similarities
	scores []float64
	pos    []float64 // position-prior part of each score
	cent   []float64 // normalised centrality
	title  []int32
	picked []int
	sents  []sent // the sentences of a summarized document (summarizeWith)
}

var rankerPool = sync.Pool{New: func() any { return &ranker{p: defaultParams} }}

func getRanker() *ranker  { return rankerPool.Get().(*ranker) }
func putRanker(r *ranker) { rankerPool.Put(r) }

// index tokenizes the sentences (and the title) and builds the TF-IDF
// similarity matrix.
func (r *ranker) index(d document, title string) {
	n := len(d.sents)
	r.hashes = r.hashes[:0]
	r.off = append(r.off[:0], 0)
	for i := range d.sents {
		var f sentFlag
		r.hashes, f = appendTerms(d.sents[i].text, r.hashes)
		d.sents[i].flags |= f
		r.off = append(r.off, int32(len(r.hashes)))
	}
	nSentTerms := len(r.hashes)
	if title != "" {
		r.hashes, _ = appendTerms(title, r.hashes)
	}
	// term ids via an open-addressing table
	size := 64
	for size < 2*len(r.hashes) {
		size <<= 1
	}
	r.keys = resize(r.keys, size)
	clear(r.keys)
	r.vals = resize(r.vals, size)
	r.ids = resize(r.ids, len(r.hashes))
	mask := uint64(size - 1)
	nt := int32(0)
	for i, h := range r.hashes {
		if h == 0 {
			h = 1
		}
		slot := (h ^ h>>29) & mask
		for {
			k := r.keys[slot]
			if k == h {
				r.ids[i] = r.vals[slot]
				break
			}
			if k == 0 {
				r.keys[slot] = h
				r.vals[slot] = nt
				r.ids[i] = nt
				nt++
				break
			}
			slot = (slot + 1) & mask
		}
	}
	r.title = r.ids[nSentTerms:]
	// document frequency over sentences
	r.df = resize(r.df, int(nt))
	clear(r.df)
	r.last = resize(r.last, int(nt))
	for i := range r.last {
		r.last[i] = -1
	}
	for i := 0; i < n; i++ {
		for _, id := range r.ids[r.off[i]:r.off[i+1]] {
			if r.last[id] != int32(i) {
				r.last[id] = int32(i)
				r.df[id]++
			}
		}
	}
	r.idf = resize(r.idf, int(nt))
	fn := float64(n)
	for t, df := range r.df {
		if df == 0 {
			df = 1 // title-only term
		}
		r.idf[t] = float32(math.Log(1 + fn/float64(df)))
	}
	r.dense = resize(r.dense, int(nt))
	clear(r.dense)
	r.norms = resize(r.norms, n)
	for i := 0; i < n; i++ {
		occ := r.ids[r.off[i]:r.off[i+1]]
		r.norms[i] = r.selfNorm(occ)
	}
	r.sim = resize(r.sim, n*n)
	for i := 0; i < n; i++ {
		occ := r.ids[r.off[i]:r.off[i+1]]
		r.sim[i*n+i] = 1
		if r.norms[i] == 0 {
			for j := i + 1; j < n; j++ {
				r.sim[i*n+j], r.sim[j*n+i] = 0, 0
			}
			continue
		}
		for _, id := range occ {
			r.dense[id] += r.idf[id]
		}
		for j := i + 1; j < n; j++ {
			var dot float32
			if r.norms[j] != 0 {
				for _, id := range r.ids[r.off[j]:r.off[j+1]] {
					dot += r.dense[id] * r.idf[id]
				}
				dot /= r.norms[i] * r.norms[j]
			}
			r.sim[i*n+j], r.sim[j*n+i] = dot, dot
		}
		for _, id := range occ {
			r.dense[id] = 0
		}
	}
}

// selfNorm returns the TF-IDF norm of the occurrences occ, using r.dense as
// scratch (left zeroed).
func (r *ranker) selfNorm(occ []int32) float32 {
	for _, id := range occ {
		r.dense[id] += r.idf[id]
	}
	var sq float32
	for _, id := range occ {
		sq += r.dense[id] * r.idf[id]
	}
	for _, id := range occ {
		r.dense[id] = 0
	}
	return float32(math.Sqrt(float64(sq)))
}

// titleSim returns the cosine between sentence i and the title terms.
func (r *ranker) titleSim(i int, tnorm float32) float32 {
	if tnorm == 0 || r.norms[i] == 0 {
		return 0
	}
	for _, id := range r.title {
		r.dense[id] += r.idf[id]
	}
	var dot float32
	for _, id := range r.ids[r.off[i]:r.off[i+1]] {
		dot += r.dense[id] * r.idf[id]
	}
	for _, id := range r.title {
		r.dense[id] = 0
	}
	return dot / (tnorm * r.norms[i])
}

// rank scores every sentence of d.
func (r *ranker) rank(d document, title string) []float64 {
	if title == "" {
		title = d.title
	}
	r.index(d, title)
	n := len(d.sents)
	p := &r.p
	r.scores = resize(r.scores, n)
	r.pos = resize(r.pos, n)
	// centrality: sum of similarities to the other sentences
	maxCent := float32(0)
	var tnorm float32
	if len(r.title) > 0 {
		tnorm = r.selfNorm(r.title)
	}
	for i := 0; i < n; i++ {
		var c float32
		row := r.sim[i*n : i*n+n]
		for _, v := range row[:i] {
			c += float32(p.centBack) * v
		}
		for _, v := range row[i+1:] {
			c += v
		}
		r.scores[i] = float64(c)
		if c > maxCent {
			maxCent = c
		}
	}
	r.cent = resize(r.cent, n)
	for i := 0; i < n; i++ {
		r.cent[i] = 0
		if maxCent > 0 {
			r.cent[i] = r.scores[i] / float64(maxCent)
		}
	}
	for i := 0; i < n; i++ {
		s := &d.sents[i]
		c := r.cent[i]
		r.pos[i] = p.wPos * math.Pow(1+float64(s.index), -p.posDecay)
		score := r.pos[i] + p.wCent*c
		if tnorm > 0 {
			score += p.wTitle * float64(r.titleSim(i, tnorm))
		}
		if i > 0 && d.sents[0].doc == s.doc {
			score += p.wLeadSim * float64(r.sim[i*n])
		}
		if w := float64(s.words); w < p.shortWords {
			score -= p.wShort * (p.shortWords - w) / p.shortWords
		} else if w > p.longWords {
			score -= p.wLen * math.Min(1, (w-p.longWords)/p.longWords)
		}
		if r.norms[i] == 0 {
			score -= 1 // nothing but stop words
		}
		if s.flags&flagQuote != 0 {
			score -= p.wQuote
		}
		if s.flags&flagQuestion != 0 {
			score -= p.wQuestion
		}
		if s.flags&flagPronoun != 0 {
			score -= p.wPronoun
		}
		if s.flags&flagDigit != 0 {
			score += p.wDigit
		}
		if s.flags&flagSaid != 0 {
			score -= p.wSaid
		}
		if s.flags&flagYou != 0 {
			score -= p.wYou
		}
		r.scores[i] = score
	}
	return r.scores
}

// selectMMR picks up to k sentences greedily by score minus redundancy with
// the sentences already picked, within an optional character budget. With
// lead, the first sentence is picked first whatever its score. The result
// is the ranker's scratch space, valid until it ranks again.
func (r *ranker) selectMMR(d document, scores []float64, k, maxChars int, lead bool) []int {
	n := len(d.sents)
	r.picked = r.picked[:0]
	chars, words := 0, 0
	if lead && n > 0 {
		// the lead: the first sentence, unless it is a word or two
		// ("Capra? Coppola? Bigelow? Our critic crowns …")
		i := 0
		for i+1 < min(n, 4) && d.sents[i].words < 4 {
			i++
		}
		if d.sents[i].words < 4 {
			i = 0
		}
		r.picked = append(r.picked, i)
		chars, words = len(d.sents[i].text), d.sents[i].words
	}
	for len(r.picked) < k {
		if r.p.wordBudget > 0 && words >= r.p.wordBudget {
			break
		}
		best, bestVal := -1, math.Inf(-1)
		for i := 0; i < n; i++ {
			if r.isPicked(i) {
				continue
			}
			red := float32(0)
			for _, j := range r.picked {
				if v := r.sim[i*n+j]; v > red {
					red = v
				}
			}
			if float64(red) >= r.p.dupSim {
				continue
			}
			if maxChars > 0 && chars+len(d.sents[i].text)+len(r.picked) > maxChars {
				continue
			}
			v := scores[i] - r.p.lambda*float64(red) - r.p.wordCost*float64(d.sents[i].words)
			if len(r.picked) > 0 {
				v -= r.p.laterPos * r.pos[i]
			}
			if r.p.sameDoc > 0 {
				for _, j := range r.picked {
					if d.sents[j].doc == d.sents[i].doc {
						v -= r.p.sameDoc
					}
				}
			}
			if v > bestVal {
				best, bestVal = i, v
			}
		}
		if best < 0 {
			break
		}
		r.picked = append(r.picked, best)
		chars += len(d.sents[best].text)
		words += d.sents[best].words
	}
	if len(r.picked) == 0 && n > 0 {
		// nothing fits the budget: the best sentence, cut to size below
		best := 0
		for i := range scores[:n] {
			if scores[i] > scores[best] {
				best = i
			}
		}
		r.picked = append(r.picked, best)
	}
	return r.picked
}

func (r *ranker) isPicked(i int) bool {
	for _, j := range r.picked {
		if j == i {
			return true
		}
	}
	return false
}

// resize returns s with length n, reusing its storage when it can.
func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n, n+n/4)
}
