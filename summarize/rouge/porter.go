package rouge

// This file implements the Porter (1980) stemming algorithm with the
// refinements that NLTK's PorterStemmer applies by default (its
// NLTK_EXTENSIONS mode), which is the stemmer the rouge-score package uses.
// Words are lower-case ASCII.

// irregular maps word forms the rules get wrong to their stems.
var irregular = map[string]string{
	"sky": "sky", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
	"news": "news", "innings": "inning", "inning": "inning", "outings": "outing",
	"outing": "outing", "cannings": "canning", "canning": "canning", "howe": "howe",
	"proceed": "proceed", "exceed": "exceed", "succeed": "succeed",
}

// Stem returns the Porter stem of a lower-case word.
func Stem(word string) string {
	if s, ok := irregular[word]; ok {
		return s
	}
	if len(word) <= 2 {
		return word
	}
	w := []byte(word)
	w = step1a(w)
	w = step1b(w)
	w = step1c(w)
	w = step2(w)
	w = step3(w)
	w = step4(w)
	w = step5a(w)
	w = step5b(w)
	return string(w)
}

func isCons(w []byte, i int) bool {
	switch w[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return false
	case 'y':
		if i == 0 {
			return true
		}
		return !isCons(w, i-1)
	}
	return true
}

// measure counts the vowel-consonant sequences (the m of [C](VC)^m[V]).
func measure(w []byte) int {
	m := 0
	prevVowel := false
	for i := range w {
		c := isCons(w, i)
		if c && prevVowel {
			m++
		}
		prevVowel = !c
	}
	return m
}

func hasVowel(w []byte) bool {
	for i := range w {
		if !isCons(w, i) {
			return true
		}
	}
	return false
}

func endsDoubleCons(w []byte) bool {
	n := len(w)
	return n >= 2 && w[n-1] == w[n-2] && isCons(w, n-1)
}

func endsCVC(w []byte) bool {
	n := len(w)
	if n >= 3 && isCons(w, n-3) && !isCons(w, n-2) && isCons(w, n-1) {
		c := w[n-1]
		return c != 'w' && c != 'x' && c != 'y'
	}
	return n == 2 && !isCons(w, 0) && isCons(w, 1)
}

func hasSuffix(w []byte, s string) bool {
	return len(w) >= len(s) && string(w[len(w)-len(s):]) == s
}

// replace swaps suffix s of w for r.
func replace(w []byte, s, r string) []byte {
	return append(w[:len(w)-len(s)], r...)
}

type cond func(stem []byte) bool

type rule struct {
	suffix, repl string
	ok           cond // nil: always
}

func posMeasure(stem []byte) bool { return measure(stem) > 0 }
func measureGT1(stem []byte) bool { return measure(stem) > 1 }

// applyRules applies the first rule whose suffix matches; when its condition
// fails the word is left alone (later rules are not tried).
func applyRules(w []byte, rules []rule) []byte {
	for _, r := range rules {
		if !hasSuffix(w, r.suffix) {
			continue
		}
		stem := w[:len(w)-len(r.suffix)]
		if r.ok == nil || r.ok(stem) {
			return append(stem, r.repl...)
		}
		return w
	}
	return w
}

func step1a(w []byte) []byte {
	if len(w) == 4 && hasSuffix(w, "ies") {
		return replace(w, "ies", "ie")
	}
	return applyRules(w, []rule{{"sses", "ss", nil}, {"ies", "i", nil}, {"ss", "ss", nil}, {"s", "", nil}})
}

func step1b(w []byte) []byte {
	if hasSuffix(w, "ied") {
		if len(w) == 4 {
			return replace(w, "ied", "ie")
		}
		return replace(w, "ied", "i")
	}
	if hasSuffix(w, "eed") {
		if measure(w[:len(w)-3]) > 0 {
			return w[:len(w)-1]
		}
		return w
	}
	var stem []byte
	switch {
	case hasSuffix(w, "ed") && hasVowel(w[:len(w)-2]):
		stem = w[:len(w)-2]
	case hasSuffix(w, "ing") && hasVowel(w[:len(w)-3]):
		stem = w[:len(w)-3]
	default:
		return w
	}
	switch {
	case hasSuffix(stem, "at"):
		return append(stem, 'e')
	case hasSuffix(stem, "bl"):
		return append(stem, 'e')
	case hasSuffix(stem, "iz"):
		return append(stem, 'e')
	case endsDoubleCons(stem):
		if c := stem[len(stem)-1]; c != 'l' && c != 's' && c != 'z' {
			return stem[:len(stem)-1]
		}
		return stem
	case measure(stem) == 1 && endsCVC(stem):
		return append(stem, 'e')
	}
	return stem
}

func step1c(w []byte) []byte {
	n := len(w)
	if n > 0 && w[n-1] == 'y' {
		stem := w[:n-1]
		if len(stem) > 1 && isCons(stem, len(stem)-1) {
			return append(stem, 'i')
		}
	}
	return w
}

var step2Rules = []rule{
	{"ational", "ate", posMeasure}, {"tional", "tion", posMeasure}, {"enci", "ence", posMeasure},
	{"anci", "ance", posMeasure}, {"izer", "ize", posMeasure}, {"bli", "ble", posMeasure},
	{"alli", "al", posMeasure}, {"entli", "ent", posMeasure}, {"eli", "e", posMeasure},
	{"ousli", "ous", posMeasure}, {"ization", "ize", posMeasure}, {"ation", "ate", posMeasure},
	{"ator", "ate", posMeasure}, {"alism", "al", posMeasure}, {"iveness", "ive", posMeasure},
	{"fulness", "ful", posMeasure}, {"ousness", "ous", posMeasure}, {"aliti", "al", posMeasure},
	{"iviti", "ive", posMeasure}, {"biliti", "ble", posMeasure}, {"fulli", "ful", posMeasure},
	// "logi" -> "log" when the word without "logi"'s last three letters has m > 0
	{"logi", "log", func(stem []byte) bool { return measure(stem[:len(stem)+1]) > 0 }},
}

func step2(w []byte) []byte {
	if hasSuffix(w, "alli") && measure(w[:len(w)-4]) > 0 {
		return step2(replace(w, "alli", "al"))
	}
	return applyRules(w, step2Rules)
}

var step3Rules = []rule{
	{"icate", "ic", posMeasure}, {"ative", "", posMeasure}, {"alize", "al", posMeasure},
	{"iciti", "ic", posMeasure}, {"ical", "ic", posMeasure}, {"ful", "", posMeasure},
	{"ness", "", posMeasure},
}

func step3(w []byte) []byte { return applyRules(w, step3Rules) }

var step4Rules = []rule{
	{"al", "", measureGT1}, {"ance", "", measureGT1}, {"ence", "", measureGT1}, {"er", "", measureGT1},
	{"ic", "", measureGT1}, {"able", "", measureGT1}, {"ible", "", measureGT1}, {"ant", "", measureGT1},
	{"ement", "", measureGT1}, {"ment", "", measureGT1}, {"ent", "", measureGT1},
	{"ion", "", func(stem []byte) bool {
		n := len(stem)
		return measure(stem) > 1 && n > 0 && (stem[n-1] == 's' || stem[n-1] == 't')
	}},
	{"ou", "", measureGT1}, {"ism", "", measureGT1}, {"ate", "", measureGT1}, {"iti", "", measureGT1},
	{"ous", "", measureGT1}, {"ive", "", measureGT1}, {"ize", "", measureGT1},
}

func step4(w []byte) []byte { return applyRules(w, step4Rules) }

func step5a(w []byte) []byte {
	if hasSuffix(w, "e") {
		stem := w[:len(w)-1]
		m := measure(stem)
		if m > 1 || m == 1 && !endsCVC(stem) {
			return stem
		}
	}
	return w
}

func step5b(w []byte) []byte {
	if hasSuffix(w, "ll") && measure(w[:len(w)-1]) > 1 {
		return w[:len(w)-1]
	}
	return w
}
