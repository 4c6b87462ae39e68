package summarize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the sentence-level furniture rules that hold for any
// feed: "read more" endings in the languages sitrep serves, WordPress's
// "The post … appeared first on …" footer and messaging-app promotions.
// Furniture particular to one feed is learned from its items (FeedFurniture).

// readMorePhrases end a teaser with a link to the article (lower case,
// without trailing punctuation).
var readMorePhrases = []string{
	// English
	"continue reading", "read more", "read the full story", "read the full article", "read full story",
	"read full article", "read the rest", "keep reading", "full story", "more", "read on",
	// Arabic
	"اقرأ المزيد", "إقرأ المزيد", "اقرأ أيضا", "اقرأ أيضاً", "للمزيد", "المزيد", "التفاصيل", "اقرأ التفاصيل",
	"تابع القراءة", "أكمل القراءة",
	// Persian
	"ادامه مطلب", "ادامه خبر", "بیشتر بخوانید", "بیشتر بخوانيد", "ادامه", "مشروح خبر",
	// Turkish
	"devamı", "devamını oku", "haberin devamı", "devamı için tıklayın", "devamı için tıklayınız", "devamını okumak için tıklayın",
	"tamamını oku", "habere git",
	// Urdu
	"مزید پڑھیں", "مزید پڑھیے", "پوری خبر پڑھیں", "مکمل خبر پڑھیں",
	// Polish
	"czytaj więcej", "czytaj dalej", "więcej", "czytaj także", "zobacz więcej",
	// German, French, Spanish, Portuguese, Russian (feeds in the corpus)
	"weiterlesen", "mehr lesen", "lire la suite", "en savoir plus", "leer más", "seguir leyendo",
	"leia mais", "continuar lendo", "читать далее", "подробнее",
}

// readMoreByLast holds readMorePhrases by their last byte, in list order.
var readMoreByLast = func() (t [256][]string) {
	for _, p := range readMorePhrases {
		t[p[len(p)-1]] = append(t[p[len(p)-1]], p)
	}
	return t
}()

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerASCII lower-cases an ASCII capital letter.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c
}

// hasSuffixFoldASCII reports whether the ASCII s, lower-cased, ends with
// the lower-case p.
func hasSuffixFoldASCII(s, p string) bool {
	if len(p) > len(s) {
		return false
	}
	return equalFoldASCII(s[len(s)-len(p):], p)
}

// readMoreTrail is the punctuation and arrows around a read-more link.
const readMoreTrail = " \t\u00a0.…:»›>→←«‹<[](){}|-–—!"

// trimReadMore cuts a read-more link from the end of text ("… Continue
// reading...", "[Read more]", "ادامه مطلب") and returns what is left.
func trimReadMore(text string) string {
	for range 3 {
		t := strings.TrimRight(text, readMoreTrail+"\n\r")
		if t == "" {
			return text
		}
		cut := -1
		// the phrases are matched against the lower-cased tail of t; an
		// ASCII tail (the usual case) is folded on the fly, without a copy
		tail := t[max(0, len(t)-64):]
		ascii := isASCII(tail)
		if !ascii {
			tail = strings.ToLower(tail)
		}
		for _, p := range readMoreByLast[lowerASCII(tail[len(tail)-1])] {
			if ascii && !hasSuffixFoldASCII(tail, p) || !ascii && !strings.HasSuffix(tail, p) {
				continue
			}
			at := len(t) - len(p)
			// the phrase must stand apart: at the start, or after a space,
			// a bracket or a sentence end
			if at > 0 {
				r, _ := utf8.DecodeLastRuneInString(t[:at])
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					continue
				}
				// a lone "more"/"المزيد" word ends many sentences: it is a
				// link only on its own line or after a sentence end
				if countWords(p, 2) == 1 && !standsAlone(t[:at]) {
					continue
				}
			}
			cut = at
			break
		}
		if cut < 0 {
			return text
		}
		text = strings.TrimRight(t[:cut], " \t\u00a0\r\n[(«‹<|-–—:")
		if strings.TrimSpace(text) == "" {
			return ""
		}
	}
	return text
}

// standsAlone reports whether what precedes a one-word phrase ends a line,
// a sentence or opens a bracket.
func standsAlone(before string) bool {
	b := strings.TrimRight(before, " \t\u00a0")
	if b == "" || strings.HasSuffix(b, "\n") || endsSentence(b) {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(b)
	return strings.ContainsRune("[(«‹<|-–—", r)
}

// isStockFurniture reports whether a sentence is furniture any feed may
// carry: a read-more link on its own, the WordPress feed footer "The post
// TITLE appeared first on SITE." or a messaging-app promotion.
// apps is false when the text is known to hold no app name.
func isStockFurniture(s string, apps bool) bool {
	limit := 7 // whether it has more than six words is all that matters without apps
	if apps {
		limit = 26
	}
	words := countWords(s, limit)
	if words <= 6 && strings.TrimSpace(trimReadMore(s)) == "" {
		return true
	}
	if len(s) > 9 && strings.EqualFold(s[:9], "the post ") && strings.Contains(s, " appeared first on ") {
		return true
	}
	return apps && words <= 25 && isMessagingPromo(s)
}

// messagingApps are the names of messaging and social apps outlets point
// their readers to, in the scripts sitrep serves.
var messagingApps = []string{
	"telegram", "whatsapp", "signal", "viber", "instagram", "facebook", "twitter", "youtube", "tiktok",
	"تليغرام", "تلغرام", "تيليغرام", "تلیگرام", "تلگرام", "واتساب", "واتس اب", "واتس آب", "واتس\u200cاپ", "واتساپ",
	"إنستغرام", "انستغرام", "اینستاگرام", "ایتا", "بله", "روبیکا", "سروش",
}

// promoWords invite the reader to follow, join or subscribe.
var promoWords = []string{
	"follow us", "follow our", "join us", "join our", "subscribe", "our channel", "our telegram", "our whatsapp",
	"for continuous coverage", "for live updates", "for the latest",
	"تابعوا", "تابعونا", "اشترك", "انضم", "تغطية متواصلة", "قناة موقع", "قناتنا", "عبر قناة",
	"عضو شوید", "بپیوندید", "کانال ما", "ما را دنبال کنید", "دنبال کنید",
	"bizi takip", "kanalımıza", "abone ol", "takip edin",
	"obserwuj nas", "dołącz do", "subskrybuj",
	"ہمیں فالو", "چینل کو", "جوائن کریں",
}

// reportWords mark a sentence that reports news about an app channel
// ("Hamas said on its Telegram channel …"), not a promotion.
var reportWords = []string{" said", " says", " told", " posted", " wrote", "statement", "قال", "أعلن", "ذكر", "بيان",
	"گفت", "اعلام کرد", "dedi", "açıkladı", "powiedział", "napisał"}

// isMessagingPromo reports whether the sentence s is a promotion of the
// outlet's messaging or social channel (callers check that it is short).
func isMessagingPromo(s string) bool {
	return appSet.in(s) && promoSet.in(s) && !reportSet.in(s)
}

// trimFooter cuts WordPress's feed footer "The post TITLE appeared first
// on SITE." from the end of text; TITLE may hold sentence ends of its own,
// so this is done on the text rather than on one sentence.
func trimFooter(text string) string {
	const mark = " appeared first on "
	from := max(0, len(text)-800) // the footer ends the text
	// the last mark: strings.Index finds the first one much faster than
	// strings.LastIndex scans back, and a text has one mark or none
	i := strings.Index(text[from:], mark)
	if i < 0 {
		return text
	}
	i += from
	for {
		k := strings.Index(text[i+1:], mark)
		if k < 0 {
			break
		}
		i += 1 + k
	}
	tail := strings.TrimSpace(text[i+len(mark):])
	if len(tail) > 120 || strings.ContainsRune(tail, '\n') {
		return text
	}
	j := strings.LastIndex(text[:i], "The post ")
	if j < 0 || i-j > 600 || j > 0 && !unicode.IsSpace(rune(text[j-1])) {
		return text
	}
	return strings.TrimRight(text[:j], " \t\r\n")
}

// cutPromoClauses removes a messaging-app promotion spliced into a
// sentence without a full stop of its own, as in "… المدينة. تغطية متواصلة
// على قناة موقع "عرب 48" في "تليغرام" وقال شهود …": the clause from the
// previous sentence end to the app's name, when it is short, invites the
// reader and reports nothing.
func cutPromoClauses(text string) string {
	if !channelSet.in(text) {
		return text
	}
	lower := strings.ToLower(text)
	if len(lower) != len(text) {
		return text
	}
	for _, app := range channelApps {
		for from := 0; ; {
			k := strings.Index(lower[from:], app)
			if k < 0 {
				break
			}
			at := from + k
			end := at + len(app)
			for end < len(text) {
				if strings.IndexByte("\"')", text[end]) >= 0 {
					end++
					continue
				}
				if r, n := utf8.DecodeRuneInString(text[end:]); r == '”' || r == '»' || r == '’' {
					end += n
					continue
				}
				break
			}
			start := clauseStart(text, at)
			clause := lower[start:end]
			rest := end
			for rest < len(text) && (text[rest] == ' ' || text[rest] == '\t') {
				rest++
			}
			// a lower-case word after the app's name continues the sentence
			// ("Users who follow us on Facebook were targeted …")
			next, _ := utf8.DecodeRuneInString(text[rest:])
			if !unicode.IsLower(next) && countWords(clause, 15) <= 14 && promoSet.in(clause) &&
				!reportSet.in(clause) {
				text = text[:start] + text[rest:]
				lower = lower[:start] + lower[rest:]
				from = start
				continue
			}
			from = end
		}
	}
	return text
}

// clauseStart returns where the sentence holding text[at] starts: after the
// previous sentence end or line break, else 0.
func clauseStart(text string, at int) int {
	from := max(0, at-400) // a clause of at most 14 words
	start := from
	for _, sep := range []string{". ", "! ", "? ", "؟ ", "۔ ", "\n"} {
		if i := strings.LastIndex(text[from:at], sep); i >= 0 && from+i+len(sep) > start {
			start = from + i + len(sep)
		}
	}
	return start
}

// wordSet finds any of a list of lower-case words in a text in one pass,
// ignoring the case of ASCII letters.
type wordSet struct {
	byFirst [256][]string   // words by their first byte
	pairs   [1 << 10]uint64 // bit w[0]<<8|w[1] set for every word
	tris    [1 << 7]uint64  // bit triKey(w[0], w[1], w[2]) set for every word
	minLen  int             // the length of the shortest word
}

func newWordSet(list []string) *wordSet {
	ws := &wordSet{}
	for _, w := range list {
		if w == "" {
			continue
		}
		ws.byFirst[w[0]] = append(ws.byFirst[w[0]], w)
		if ws.minLen == 0 || len(w) < ws.minLen {
			ws.minLen = len(w)
		}
		if len(w) >= 2 {
			k := int(w[0])<<8 | int(w[1])
			ws.pairs[k>>6] |= 1 << (k & 63)
		}
		if len(w) >= 3 {
			k := triKey(w[0], w[1], w[2])
			ws.tris[k>>6] |= 1 << (k & 63)
		}
	}
	return ws
}

// triKey hashes three bytes to a bit of wordSet.tris.
func triKey(a, b, c byte) uint32 {
	return (uint32(a)<<16 | uint32(b)<<8 | uint32(c)) * 0x9E3779B1 >> (32 - 13)
}

// in reports whether s contains one of the words.
func (ws *wordSet) in(s string) bool {
	if ws.minLen >= 3 {
		// no word starts with these three bytes: no word here; each byte
		// is lower-cased once, as it enters the window
		if len(s) < 3 {
			return false
		}
		b, c := lowerASCII(s[0]), lowerASCII(s[1])
		for i := 0; i+2 < len(s); i++ {
			a := b
			b, c = c, lowerASCII(s[i+2])
			if k := triKey(a, b, c); ws.tris[k>>6]&(1<<(k&63)) == 0 {
				continue
			}
			for _, w := range ws.byFirst[a] {
				if len(s)-i >= len(w) && equalFoldASCII(s[i:i+len(w)], w) {
					return true
				}
			}
		}
		return false
	}
	for i := 0; i < len(s); i++ {
		c := lowerASCII(s[i])
		if ws.minLen >= 2 {
			// no word starts with these two bytes (or one byte is left): no word here
			if i+1 >= len(s) {
				break
			}
			if k := int(c)<<8 | int(lowerASCII(s[i+1])); ws.pairs[k>>6]&(1<<(k&63)) == 0 {
				continue
			}
		}
		for _, w := range ws.byFirst[c] {
			if len(s)-i >= len(w) && equalFoldASCII(s[i:i+len(w)], w) {
				return true
			}
		}
	}
	return false
}

// equalFoldASCII reports whether s equals the lower-case w, ignoring the
// case of ASCII letters in s.
func equalFoldASCII(s, w string) bool {
	for j := 0; j < len(w); j++ {
		d := s[j]
		if d >= 'A' && d <= 'Z' {
			d += 'a' - 'A'
		}
		if d != w[j] {
			return false
		}
	}
	return true
}

// channelApps are the apps whose channels outlets splice promotions for
// into their texts ("… on our Telegram channel"): the clause rule of
// cutPromoClauses looks for these only.
var channelApps = []string{"telegram", "whatsapp", "تليغرام", "تلغرام", "تيليغرام", "تلیگرام", "تلگرام",
	"واتساب", "واتس اب", "واتس آب", "واتساپ", "ایتا", "روبیکا"}

var (
	channelSet = newWordSet(channelApps)
	appSet     = newWordSet(messagingApps)
	promoSet   = newWordSet(promoWords)
	reportSet  = newWordSet(reportWords)
)

// dropSentences removes the sentences of text for which drop returns true
// (given the sentence, white space not folded, and its index) and returns the rest, keeping line
// and paragraph breaks. It returns text itself when nothing is dropped.
func dropSentences(text string, drop func(s string, i int) bool) string {
	return dropSentencesSpans(text, drop, nil)
}

// dropSentencesSpans is dropSentences; it leaves the spans of text in *buf
// when buf is not nil.
func dropSentencesSpans(text string, drop func(s string, i int) bool, buf *[]span) string {
	if buf == nil {
		buf = spanPool.Get().(*[]span)
		defer spanPool.Put(buf)
	}
	*buf = splitSpans(text, (*buf)[:0], 0)
	spans := *buf
	// The kept text is a list of pieces of text. While it is one piece
	// (sentences dropped at the start or the end, the usual case) it is
	// returned as a substring; the builder is only needed from the second.
	var b strings.Builder
	from, to := 0, 0 // the first kept piece, text[from:to]
	dropped := false
	keep := func(s, e int) {
		switch {
		case s == e:
		case b.Cap() > 0:
			b.WriteString(text[s:e])
		case from == to:
			from, to = s, e
		default:
			b.Grow(to - from + len(text) - s)
			b.WriteString(text[from:to])
			b.WriteString(text[s:e])
		}
	}
	last := 0
	for i, sp := range spans {
		if !drop(text[sp.start:sp.end], i) {
			continue
		}
		dropped = true
		keep(last, sp.start)
		last = sp.end
		// the spaces after a dropped sentence go with it, a line break stays
		for last < len(text) && (text[last] == ' ' || text[last] == '\t') {
			last++
		}
	}
	if !dropped {
		return text
	}
	keep(last, len(text))
	if b.Cap() == 0 {
		return text[from:to]
	}
	return b.String()
}
