package main

import (
	"strings"
)

// Polish declines country names ("Wenezuela": "Wenezueli", "Wenezuelę", "Wenezuelą"; "Stany
// Zjednoczone": "Stanów Zjednoczonych"). polishForms returns the oblique forms of a nominative
// name by the regular endings of its noun and the adjectives next to it. It over-generates: a
// form that is not a Polish word only costs a table entry, since the matcher looks whole words up.

// the cases after the nominative, in a fixed order.
const (
	cGen = iota
	cDat
	cAcc
	cIns
	cLoc
	nCases
)

// polishForms returns the declined forms of name (nominative excluded), or nil when the name is
// not declined by these rules.
func polishForms(name string) []string {
	words := strings.Fields(name)
	if len(words) == 0 || len(words) > 4 {
		return nil
	}
	// Inflect the leading adjectives, the first noun and the adjectives right after it; words
	// after that are complements already in their own case ("Republika Konga").
	per := make([][nCases][]string, len(words))
	noun := -1
	last := -1
	for i, w := range words {
		switch {
		case noun < 0 && isAdjective(w) && i+1 < len(words) && !isAdjective(words[i+1]):
			per[i] = adjectiveForms(w)
		case noun < 0:
			noun = i
			per[i] = nounForms(w)
		case i == noun+1 || (last == i-1 && isAdjective(w)):
			if !isAdjective(w) {
				goto done
			}
			per[i] = adjectiveForms(w)
		default:
			goto done
		}
		last = i
	}
done:
	if noun < 0 {
		return nil
	}
	var out []string
	for c := 0; c < nCases; c++ {
		combos := []string{""}
		for i, w := range words {
			forms := []string{w}
			if i <= last && len(per[i][c]) > 0 {
				forms = per[i][c]
			}
			var next []string
			for _, p := range combos {
				for _, f := range forms {
					if p == "" {
						next = append(next, f)
					} else {
						next = append(next, p+" "+f)
					}
				}
			}
			combos = next
		}
		for _, s := range combos {
			if s != name && !contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

var adjectiveEndings = []string{"ska", "cka", "na", "wa", "lka", "ne", "kie", "we", "ni", "ny", "ski", "cki", "wy"}

func isAdjective(w string) bool {
	if strings.ToLower(w) == w && len(w) < 4 {
		return false
	}
	for _, e := range adjectiveEndings {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

func adjectiveForms(w string) (f [nCases][]string) {
	switch {
	case strings.HasSuffix(w, "a"): // feminine: Północna, Wielka, Saudyjska
		s := strings.TrimSuffix(w, "a")
		ej := s + "ej"
		if strings.HasSuffix(s, "k") || strings.HasSuffix(s, "g") {
			ej = s + "iej"
		}
		f[cGen] = []string{ej}
		f[cDat] = []string{ej}
		f[cLoc] = []string{ej}
		f[cAcc] = []string{s + "ą"}
		f[cIns] = []string{s + "ą"}
	case strings.HasSuffix(w, "ie"): // plural after k/g: Arabskie
		s := strings.TrimSuffix(w, "e")
		f[cGen] = []string{s + "ch"}
		f[cLoc] = []string{s + "ch"}
		f[cDat] = []string{s + "m"}
		f[cIns] = []string{s + "mi"}
	case strings.HasSuffix(w, "e"): // plural: Zjednoczone
		s := strings.TrimSuffix(w, "e")
		f[cGen] = []string{s + "ych"}
		f[cLoc] = []string{s + "ych"}
		f[cDat] = []string{s + "ym"}
		f[cIns] = []string{s + "ymi"}
	case strings.HasSuffix(w, "i") || strings.HasSuffix(w, "y"): // masculine: Wschodni
		s := w[:len(w)-1]
		i := "y"
		if strings.HasSuffix(w, "i") {
			i = "i"
		}
		if strings.HasSuffix(s, "k") || strings.HasSuffix(s, "g") {
			i = "i"
		}
		f[cGen] = []string{s + i + "ego"}
		f[cDat] = []string{s + i + "emu"}
		f[cIns] = []string{s + i + "m"}
		f[cLoc] = []string{s + i + "m"}
	}
	return f
}

// locStem returns the stem of a masculine or feminine noun before the locative "-e" ending, with
// the consonant alternations (t→ci, d→dzi, r→rz, ł→l, k→c for feminine).
func locForms(s string, feminine bool) []string {
	switch {
	case strings.HasSuffix(s, "st"):
		return []string{strings.TrimSuffix(s, "st") + "ście"}
	case strings.HasSuffix(s, "t"):
		return []string{strings.TrimSuffix(s, "t") + "cie"}
	case strings.HasSuffix(s, "d"):
		return []string{strings.TrimSuffix(s, "d") + "dzie"}
	case strings.HasSuffix(s, "r"):
		return []string{s + "ze"}
	case strings.HasSuffix(s, "ł"):
		return []string{strings.TrimSuffix(s, "ł") + "le"}
	case strings.HasSuffix(s, "k"):
		if feminine {
			return []string{strings.TrimSuffix(s, "k") + "ce"}
		}
		return []string{s + "u"}
	case strings.HasSuffix(s, "g"):
		if feminine {
			return []string{strings.TrimSuffix(s, "g") + "dze"}
		}
		return []string{s + "u"}
	case strings.HasSuffix(s, "ch"):
		if feminine {
			return []string{strings.TrimSuffix(s, "ch") + "sze"}
		}
		return []string{s + "u"}
	case strings.HasSuffix(s, "l") || strings.HasSuffix(s, "j") || strings.HasSuffix(s, "c") || strings.HasSuffix(s, "i"):
		return []string{s + "u", s + "i"}
	}
	return []string{s + "ie"}
}

func nounForms(w string) (f [nCases][]string) {
	switch {
	case strings.HasSuffix(w, "ia") || strings.HasSuffix(w, "ja") || strings.HasSuffix(w, "ea"):
		// Kolumbia → Kolumbii, Rosja → Rosji, Korea → Korei
		s := strings.TrimSuffix(w, "a")
		g := s + "i"
		if strings.HasSuffix(w, "ea") {
			g = s + "i"
		}
		f[cGen] = []string{g}
		f[cDat] = []string{g}
		f[cLoc] = []string{g}
		f[cAcc] = []string{s + "ę"}
		f[cIns] = []string{s + "ą"}
	case strings.HasSuffix(w, "a"):
		// Wenezuela → Wenezueli, Kuba → Kuby/Kubie, Polska → Polski/Polsce
		s := strings.TrimSuffix(w, "a")
		g := s + "y"
		if strings.HasSuffix(s, "k") || strings.HasSuffix(s, "g") || strings.HasSuffix(s, "l") {
			g = s + "i"
		}
		f[cGen] = []string{g}
		loc := locForms(s, true)
		if strings.HasSuffix(s, "l") {
			loc = []string{s + "i"}
		}
		f[cDat] = loc
		f[cLoc] = loc
		f[cAcc] = []string{s + "ę"}
		f[cIns] = []string{s + "ą"}
	case strings.HasSuffix(w, "ie"): // Indie
		s := strings.TrimSuffix(w, "e")
		f[cGen] = []string{s + "i"}
		f[cDat] = []string{s + "om"}
		f[cLoc] = []string{s + "ach"}
		f[cIns] = []string{s + "ami"}
	case strings.HasSuffix(w, "y") || strings.HasSuffix(w, "i"): // plural: Stany, Czechy, Chiny, Filipiny
		s := w[:len(w)-1]
		f[cGen] = []string{s, s + "ów"}
		f[cDat] = []string{s + "om"}
		f[cLoc] = []string{s + "ach"}
		f[cIns] = []string{s + "ami"}
	case strings.HasSuffix(w, "o"): // Kongo, Monako, Togo
		s := strings.TrimSuffix(w, "o")
		f[cGen] = []string{s + "a"}
		f[cLoc] = []string{s + "u"}
		f[cIns] = []string{s + "iem", s + "em"}
	case strings.HasSuffix(w, "u") || strings.HasSuffix(w, "e"): // Peru, Chile: not declined
	default: // masculine: Iran, Izrael, Irak, Egipt, Jemen
		f[cGen] = []string{w + "u", w + "a"}
		f[cDat] = []string{w + "owi"}
		ins := w + "em"
		if strings.HasSuffix(w, "k") || strings.HasSuffix(w, "g") {
			ins = w + "iem"
		}
		f[cIns] = []string{ins}
		f[cLoc] = locForms(w, false)
	}
	return f
}

// polishAdjective returns the forms of a Polish relational adjective from its stem in -sk/-ck
// ("rosyjsk" → "rosyjski", "rosyjska", "rosyjskiego", ...).
func polishAdjective(stem string) []string {
	var out []string
	for _, e := range []string{"i", "a", "ie", "iego", "iej", "ich", "im", "imi", "iemu", "ą"} {
		out = append(out, stem+e)
	}
	return out
}
