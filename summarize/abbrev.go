package summarize

// Abbreviations and sentence openers used by the splitter.

type abbrev uint8

const (
	abbrevNone abbrev = iota
	abbrevTitle
	abbrevNumber
	abbrevMonth
	abbrevOther
)

// abbrevKind classifies the word before a period, ignoring case.
func abbrevKind(w string) abbrev {
	if len(w) > 8 {
		return abbrevNone
	}
	var buf [8]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	if k, ok := abbrevs[string(buf[:len(w)])]; ok {
		if k == abbrevNumber && w[0] >= 'a' {
			return abbrevNone // "said no." is a word, "No. 1" an abbreviation
		}
		return k
	}
	return abbrevNone
}

var abbrevs = map[string]abbrev{
	"mr": abbrevTitle, "mrs": abbrevTitle, "ms": abbrevTitle, "dr": abbrevTitle, "prof": abbrevTitle,
	"gen": abbrevTitle, "lt": abbrevTitle, "col": abbrevTitle, "sgt": abbrevTitle, "capt": abbrevTitle,
	"maj": abbrevTitle, "adm": abbrevTitle, "cmdr": abbrevTitle, "cpl": abbrevTitle, "pvt": abbrevTitle,
	"brig": abbrevTitle, "rep": abbrevTitle, "reps": abbrevTitle, "sen": abbrevTitle, "sens": abbrevTitle,
	"gov": abbrevTitle, "pres": abbrevTitle, "rev": abbrevTitle, "fr": abbrevTitle, "st": abbrevTitle,
	"sr": abbrevTitle, "jr": abbrevTitle, "messrs": abbrevTitle, "mt": abbrevTitle, "ft": abbrevTitle,
	"hon": abbrevTitle, "amb": abbrevTitle, "supt": abbrevTitle, "det": abbrevTitle, "insp": abbrevTitle,
	"atty": abbrevTitle, "vs": abbrevTitle, "v": abbrevTitle, "cf": abbrevTitle, "sheikh": abbrevNone,
	"mme": abbrevTitle, "mlle": abbrevTitle, "dept": abbrevTitle, "univ": abbrevTitle, "ave": abbrevOther,
	"no": abbrevNumber, "nos": abbrevNumber, "vol": abbrevNumber, "fig": abbrevNumber, "art": abbrevNumber,
	"p": abbrevNumber, "pp": abbrevNumber, "ch": abbrevNumber, "sec": abbrevNumber, "op": abbrevNumber,
	"jan": abbrevMonth, "feb": abbrevMonth, "mar": abbrevMonth, "apr": abbrevMonth, "jun": abbrevMonth,
	"jul": abbrevMonth, "aug": abbrevMonth, "sep": abbrevMonth, "sept": abbrevMonth, "oct": abbrevMonth,
	"nov": abbrevMonth, "dec": abbrevMonth,
	"inc": abbrevOther, "corp": abbrevOther, "ltd": abbrevOther, "co": abbrevOther, "etc": abbrevOther,
	"approx": abbrevOther, "est": abbrevOther, "bros": abbrevOther, "plc": abbrevOther, "llc": abbrevOther,
	"dist": abbrevOther, "govt": abbrevOther, "mins": abbrevOther, "min": abbrevOther, "al": abbrevOther,
}

// sentenceOpeners are lower-cased words that often open an English sentence;
// after an ambiguous abbreviation ("U.S.", "Inc.") they signal a boundary.
var sentenceOpeners = map[string]struct{}{
	"the": {}, "a": {}, "an": {}, "he": {}, "she": {}, "it": {}, "they": {}, "we": {}, "i": {},
	"you": {}, "but": {}, "and": {}, "in": {}, "on": {}, "at": {}, "this": {}, "that": {}, "these": {},
	"those": {}, "there": {}, "his": {}, "her": {}, "their": {}, "its": {}, "our": {}, "my": {},
	"if": {}, "when": {}, "while": {}, "after": {}, "before": {}, "as": {}, "so": {}, "yet": {},
	"however": {}, "meanwhile": {}, "still": {}, "also": {}, "some": {}, "many": {}, "most": {},
	"officials": {}, "according": {}, "since": {}, "for": {}, "with": {}, "what": {}, "who": {},
	"why": {}, "how": {}, "where": {}, "now": {}, "then": {}, "one": {}, "two": {}, "last": {},
	"both": {}, "each": {}, "other": {}, "another": {}, "such": {}, "no": {}, "not": {}, "all": {},
	"during": {}, "under": {}, "from": {}, "by": {}, "to": {}, "of": {}, "more": {}, "earlier": {},
	"later": {}, "today": {}, "yesterday": {}, "police": {}, "authorities": {},
}
