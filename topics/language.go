package topics

import "strings"

// Languages of Latin-script reports, told apart by their commonest function words. Two reports in
// one script but different languages (a Polish and an English report of one event) share names,
// numbers and event concepts but hardly a word, so the clusterer compares them as it compares
// reports in different scripts.
const (
	langUnknown uint8 = iota // too few function words to tell, or a tie
	langArabic               // Arabic script (Arabic, Persian, Urdu, Kurdish), told by the script
	langEnglish
	langPolish
	langTurkish
	langFrench
	langGerman
	langSpanish
)

// langWords maps the normalised form of a function word to the language it marks. Only words
// frequent in one language and not words of another of these are listed.
var langWords = func() map[string]uint8 {
	m := map[string]uint8{}
	for lang, words := range map[uint8]string{
		langEnglish: `the of and to is for with after from at says over has was are its his their who what how will be by this that`,
		langPolish:  `w z na do się nie że po jest od dla jak oraz przez za ze ws już co są czy jego który która które po przed jako także`,
		langTurkish: `ve bir bu ile için olarak çok gibi daha sonra kadar ise değil olan dedi ancak göre yönelik üzerine`,
		langFrench:  `le les des du et une est pour dans sur aux qui avec pas selon après ont été sont cette`,
		langGerman:  `der die das und ist nicht mit auf für von den dem ein eine im bei nach sich wird wurde`,
		langSpanish: `el los las del y que por con para una es su al tras según como fue han sido`,
	} {
		for _, w := range strings.Fields(words) {
			for _, t := range tokenize(w, nil) {
				if _, dup := m[t.norm]; !dup {
					m[t.norm] = lang
				}
			}
		}
	}
	return m
}()

// langCounter counts the function words of each language in a report.
type langCounter [langSpanish + 1]int

func (c *langCounter) add(t token) {
	if l, ok := langWords[t.norm]; ok {
		c[l]++
		return
	}
	if t.arabic || t.orig == t.norm {
		return
	}
	// A word with a letter only one of these languages writes marks it too: Polish ą ę ł ś ź ż ć ń,
	// Turkish ğ ı ş, German ß ä, Spanish ñ.
	for _, r := range t.orig {
		if l := letterLang(r); l != langUnknown {
			c[l]++
			return
		}
	}
}

// letterLang returns the language whose alphabet alone, of these languages, has the letter r.
func letterLang(r rune) uint8 {
	switch r {
	case 'ą', 'ę', 'ł', 'ś', 'ź', 'ż', 'ć', 'ń', 'Ą', 'Ę', 'Ł', 'Ś', 'Ź', 'Ż', 'Ć', 'Ń':
		return langPolish
	case 'ğ', 'ı', 'ş', 'Ğ', 'İ', 'Ş':
		return langTurkish
	case 'ß', 'ä', 'Ä':
		return langGerman
	case 'ñ', 'Ñ':
		return langSpanish
	}
	return langUnknown
}

// best returns the language with the most function words: at least two, and more than any other.
func (c *langCounter) best() uint8 {
	best, n, tie := langUnknown, 0, false
	for l := langEnglish; l <= langSpanish; l++ {
		switch {
		case c[l] > n:
			best, n, tie = l, c[l], false
		case c[l] == n:
			tie = true
		}
	}
	if n < 2 || tie {
		return langUnknown
	}
	return best
}

// otherLanguage reports whether two reports are in different scripts, or in different languages
// of one script when both languages are known.
func otherLanguage(a, b *docFeatures) bool {
	if a.arabic != b.arabic {
		return true
	}
	return a.lang != langUnknown && b.lang != langUnknown && a.lang != b.lang
}
