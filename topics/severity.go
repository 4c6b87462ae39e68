package topics

import "strconv"

// casualty words: killed (k), a massacre (K) or wounded (w); English and Arabic, then Polish,
// Turkish, Persian and Urdu.
var casualtyWords = addWords(map[string]byte{
	"killed": 'k', "kill": 'k', "toll": 'k', "dead": 'k', "died": 'k', "deaths": 'k', "death": 'k', "killing": 'k', "kills": 'k',
	"fatalities": 'k', "lives": 'k', "bodies": 'k', "massacre": 'K', "massacred": 'K',
	"wounded": 'w', "injured": 'w', "injuring": 'w', "wounding": 'w', "injuries": 'w', "casualties": 'w', "hurt": 'w',
	"مقتل": 'k', "قتلى": 'k', "قتيل": 'k', "قتيلا": 'k', "قتل": 'k', "مصرع": 'k', "شهداء": 'k', "شهيد": 'k', "شهيدا": 'k',
	"استشهاد": 'k', "وفاة": 'k', "مجزرة": 'K',
	"جرحى": 'w', "جريح": 'w', "جريحا": 'w', "إصابة": 'w', "اصابة": 'w', "إصابات": 'w', "مصابين": 'w', "مصابا": 'w',
}, map[byte]string{
	'k': "zginął, zginęła, zginęło, zginęli, zginie, zabity, zabita, zabici, zabitych, zabił, zabiła, zabiło, zabili, " +
		"ofiar, ofiary, śmierć, śmierci, zmarł, zmarło, zmarli, zabójstwo, " +
		"öldü, öldürüldü, öldürdü, ölü, hayatını, şehit, " +
		"کشته, کشتار, جانباختگان, ہلاک, جاں",
	'K': "masakra, masakry, masakrze, katliam",
	'w': "ranny, ranna, ranni, rannych, rannymi, poszkodowanych, yaralandı, yaralı, yaralılar, زخمی, مجروح, مجروحان",
})

// addWords adds the comma-separated words of more (by value) to m, normalised as tokens are: the
// words of the other languages are written as in the news.
func addWords[V comparable](m map[string]V, more map[V]string) map[string]V {
	for v, list := range more {
		for _, w := range splitAliases(list) {
			if toks := tokenize(w, nil); len(toks) == 1 {
				if _, ok := m[toks[0].norm]; !ok {
					m[toks[0].norm] = v
				}
			}
		}
	}
	return m
}

// numberWords are counts written as words (vague ones as a typical value).
var numberWords = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
	"fifty": 50, "hundred": 100, "several": 3, "dozen": 12, "dozens": 24, "scores": 40, "hundreds": 200,
	"thousands": 2000, "many": 5, "numerous": 5,
	"واحد": 1, "اثنان": 2, "اثنين": 2, "ثلاثة": 3, "أربعة": 4, "اربعة": 4, "خمسة": 5, "ستة": 6, "سبعة": 7,
	"ثمانية": 8, "تسعة": 9, "عشرة": 10, "عشرات": 24, "مئات": 200, "آلاف": 2000, "عدد": 3,
}

// vagueCount marks number words that are estimates, not counts to compare between reports.
var vagueCount = map[string]bool{"a": true, "an": true, "several": true, "dozens": true, "scores": true,
	"hundreds": true, "thousands": true, "many": true, "numerous": true, "عشرات": true, "مئات": true, "آلاف": true, "عدد": true}

// violentWords raise the floor of severity: violent events are at least medium (English and
// Arabic, then Polish, Turkish, Persian and Urdu).
var violentWords = addWords(map[string]bool{
	"attack": true, "attacks": true, "attacked": true, "strike": true, "strikes": true, "airstrike": true,
	"airstrikes": true, "bombing": true, "explosion": true, "blast": true, "clashes": true, "shelling": true,
	"shot": true, "gunmen": true, "ambush": true, "raid": true, "rocket": true, "rockets": true, "missile": true,
	"missiles": true, "drone": true, "bomb": true, "suicide": true, "assassination": true, "assassinated": true,
	"kidnapped": true, "hijacked": true, "seized": true,
	"هجوم": true, "غارة": true, "غارات": true, "قصف": true, "انفجار": true, "تفجير": true, "اشتباكات": true,
	"صاروخ": true, "صواريخ": true, "مسيرة": true, "استهداف": true, "اغتيال": true, "انتحاري": true,
}, map[bool]string{true: "atak, ataku, ataki, atakiem, ataków, nalot, naloty, nalotu, ostrzał, ostrzału, " +
	"eksplozja, eksplozje, eksplozji, wybuch, wybuchu, zamach, zamachu, bombardowanie, strzelanina, strzelaniny, " +
	"uderzenie, uderzenia, rakiety, rakiet, drony, dronów, zaatakowali, zaatakowała, zaatakowany, porwany, porwali, " +
	"saldırı, saldırısı, saldırıda, patlama, patlamada, bombalı, füze, roket, pusu, " +
	"حمله, حملات, انفجار, بمباران, موشک, پهپاد, ترور, حملہ, حملے, دھماکہ, دھماکے, میزائل"})

// incidentWords are verb forms that report a violent act or a seizure as done: "killed",
// "bombed", "captured", "zaatakowali", "öldürüldü". A headline holding one reports the incident
// itself, where "strike", "attack" or "capture" are as often the nouns of a backdrop ("after the
// strike") or of a reaction to it. English, then Polish, Turkish, Arabic, Persian and Urdu.
var incidentWords = addWords(map[string]bool{}, map[bool]string{true: "killed, kills, dead, died, " +
	"attacked, bombed, bombs, shelled, struck, targeted, pounded, invaded, invades, raided, stormed, shot, " +
	"captured, captures, seized, seizes, " +
	"zaatakowali, zaatakował, zaatakowała, zaatakowana, zaatakowany, ostrzelali, uderzyli, uderzył, uderzyła, " +
	"zginął, zginęła, zginęło, zginęli, zabił, zabili, zabity, zabici, zabitych, pojmany, pojmanego, porwany, porwali, " +
	"öldü, öldürüldü, öldürdü, vurdu, vuruldu, saldırdı, bombaladı, alıkoydu, yakalandı, " +
	"قتلت, استشهد, هاجمت, قصفت, تقصف, يقصف, استهدفت, استولت, احتجزت, " +
	"کشته, ہلاک"})

// backdropWords open a clause that sets a headline's news against an earlier event ("… after
// the US captured Maduro"): an incident word after one is not what the item reports. English,
// Polish, Arabic and Persian put them before the clause (Turkish puts its own after it).
var backdropWords = addWords(map[string]bool{}, map[bool]string{true: "after, following, since, amid, as, " +
	"po, بعد, عقب, پس"})

// parseCount reads a count from a token: digits (not a year) or a number word.
func parseCount(w string) (int, bool) {
	if !asciiDigits(w) {
		// Only digit strings parse; checking first saves Atoi's error allocation on every word.
		n, ok := numberWords[w]
		return n, ok
	}
	if n, err := strconv.Atoi(w); err == nil {
		if n <= 0 || (n >= 1900 && n <= 2100) || n > 100000 {
			return 0, false
		}
		return n, true
	}
	n, ok := numberWords[w]
	return n, ok
}

// asciiDigits reports whether w is a non-empty run of the digits 0-9.
func asciiDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// sevSignals are what a text says of the toll and violence of an event.
type sevSignals struct {
	killed, wounded   int  // largest counts near casualty words (1 when a death is reported without one)
	massacre, violent bool // a massacre word; a violent event word
	// the same in the headline alone, which says what the item reports (a text often
	// recalls the deaths of an earlier event)
	titleKilled  int
	titleViolent bool
	// the headline reports a violent act or a seizure as done (one of incidentWords)
	titleIncident bool
}

// modelSeverity picks the likeliest of the three severities from the model's two outputs: the
// probability that a security item is high, and that one that is not high is medium rather
// than low. Taking the likeliest level, rather than a threshold on each output in turn, keeps
// an item whose probability mass is spread over high and medium from falling to low.
func modelSeverity(pHigh, pMedium float64) Severity {
	high, medium, low := pHigh, (1-pHigh)*pMedium, (1-pHigh)*(1-pMedium)
	switch {
	case high >= medium && high >= low:
		return SeverityHigh
	case medium >= low:
		return SeverityMedium
	}
	return SeverityLow
}

// severityOf rates an item with the phrase rules (used when no learned model is loaded).
func severityOf(title, text []token) Severity {
	sv := severitySignals(title, text)
	switch {
	case sv.massacre || sv.killed >= 10 || sv.wounded >= 30:
		return SeverityHigh
	case sv.killed > 0 || sv.wounded > 0 || sv.violent:
		return SeverityMedium
	}
	return SeverityLow
}

// severitySignals looks for casualty counts near casualty words ("12 people were killed",
// "killing of at least 12", "مقتل 5", "dozens wounded") and for violent event words.
func severitySignals(title, text []token) sevSignals {
	const limit = 400
	if len(text) > limit {
		text = text[:limit]
	}
	killed, wounded := 0, 0
	massacre, violent := false, false
	var arr [8]string
	vbuf := arr[:0]
	scan := func(toks []token) {
		for i, t := range toks {
			if violentWords[t.norm] {
				violent = true
			}
			kind, ok := casualtyWords[t.norm]
			if !ok && t.arabic {
				vbuf = variants(t, vbuf)
				for _, v := range vbuf[1:] {
					if kind, ok = casualtyWords[v]; ok {
						break
					}
				}
			}
			if !ok {
				continue
			}
			if kind == 'K' {
				massacre = true
				continue
			}
			n := 0
			for j := max(0, i-5); j < min(len(toks), i+6); j++ {
				if j == i {
					continue
				}
				if c, ok := parseCount(toks[j].norm); ok && c > n {
					n = c
				}
			}
			if n == 0 && kind == 'k' && (t.norm == "killed" || t.norm == "مقتل" || t.norm == "مصرع" || t.norm == "قتلى") {
				n = 1
			}
			if kind == 'k' {
				killed = max(killed, n)
			} else {
				wounded = max(wounded, n)
			}
		}
	}
	scan(title)
	titleKilled, titleViolent := killed, violent
	titleIncident := false
	for _, t := range title {
		if backdropWords[t.norm] {
			break
		}
		if incidentWords[t.norm] {
			titleIncident = true
			break
		}
	}
	scan(text)
	return sevSignals{killed: killed, wounded: wounded, massacre: massacre, violent: violent,
		titleKilled: titleKilled, titleViolent: titleViolent, titleIncident: titleIncident}
}
