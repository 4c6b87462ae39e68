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

// readMoreTrail is the punctuation and arrows around a read-more link.
const readMoreTrail = " \t\u00a0.…:»›>→←«‹<[](){}|-–—!"

// trimReadMore cuts a read-more link from the end of text ("… Continue
// reading...", "[Read more]", "ادامه مطلب") and returns what is left.
func trimReadMore(text string) string {
	for range 3 {
		t := strings.TrimRight(text, readMoreTrail+"\n\r")
		cut := -1
		lower := strings.ToLower(t[max(0, len(t)-64):])
		for _, p := range readMorePhrases {
			if !strings.HasSuffix(lower, p) {
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
func isStockFurniture(s string) bool {
	if strings.TrimSpace(trimReadMore(s)) == "" {
		return true
	}
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "the post ") && strings.Contains(l, " appeared first on ") {
		return true
	}
	return isMessagingPromo(l)
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

// isMessagingPromo reports whether the lower-cased sentence l is a short
// promotion of the outlet's messaging or social channel.
func isMessagingPromo(l string) bool {
	if countWords(l, 26) > 25 || !containsAny(l, messagingApps) || !containsAny(l, promoWords) {
		return false
	}
	return !containsAny(l, reportWords)
}

// trimFooter cuts WordPress's feed footer "The post TITLE appeared first
// on SITE." from the end of text; TITLE may hold sentence ends of its own,
// so this is done on the text rather than on one sentence.
func trimFooter(text string) string {
	const mark = " appeared first on "
	i := strings.LastIndex(text, mark)
	if i < 0 {
		return text
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
	lower := strings.ToLower(text)
	if len(lower) != len(text) || !containsAny(lower, messagingApps) {
		return text
	}
	for _, app := range messagingApps {
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
			if !unicode.IsLower(next) && countWords(clause, 15) <= 14 && containsAny(clause, promoWords) &&
				!containsAny(clause, reportWords) {
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
	start := 0
	for _, sep := range []string{". ", "! ", "? ", "؟ ", "۔ ", "\n"} {
		if i := strings.LastIndex(text[:at], sep); i >= 0 && i+len(sep) > start {
			start = i + len(sep)
		}
	}
	return start
}

func containsAny(s string, list []string) bool {
	for _, w := range list {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// dropSentences removes the sentences of text for which drop returns true
// (given the sentence and its index) and returns the rest, keeping line
// and paragraph breaks. It returns text itself when nothing is dropped.
func dropSentences(text string, drop func(s string, i int) bool) string {
	spans := splitSpans(text, make([]span, 0, 16), 0)
	var b strings.Builder
	last := 0
	for i, sp := range spans {
		s, _ := foldCount(text[sp.start:sp.end])
		if !drop(s, i) {
			continue
		}
		if b.Cap() == 0 {
			b.Grow(len(text))
		}
		b.WriteString(text[last:sp.start])
		last = sp.end
		// the spaces after a dropped sentence go with it, a line break stays
		for last < len(text) && (text[last] == ' ' || text[last] == '\t') {
			last++
		}
	}
	if b.Cap() == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}
