package summarize

import (
	"unicode"
	"unicode/utf8"
)

// stripDateline returns where the sentence text[s:e] starts once a news
// dateline is removed: "(CNN)", "(CNN) --", "BAGHDAD (Reuters) -",
// "LONDON, England (CNN) --", "ERBIL, Kurdistan Region - ". Page furniture
// glued before an upper-case dateline in the same paragraph ("... A+ A- ERBIL,
// Kurdistan Region - Iraq's ...") goes with it.
func stripDateline(text string, s, e int) int {
	if k, ok := datelineParen(text, s, e); ok {
		return k
	}
	if k, ok := datelineCaps(text, s, e); ok {
		return k
	}
	if k, ok := datelineSource(text, s, e); ok {
		return k
	}
	if k, ok := datelineColon(text, s, e); ok {
		return k
	}
	if k, ok := datelineUncased(text, s, e); ok {
		return k
	}
	// an upper-case dateline after a run of non-sentence words
	limit := min(e, s+600)
	prevLower := false
	for i := s; i < limit; {
		c := text[i]
		if c == ' ' {
			i++
			continue
		}
		if i > s && !prevLower && c >= 'A' && c <= 'Z' {
			if k, ok := datelineCaps(text, i, e); ok && capsLen(text, i, e) >= 4 {
				return k
			}
		}
		r, _ := utf8.DecodeRuneInString(text[i:e])
		prevLower = unicode.IsLower(r)
		for i < limit && text[i] != ' ' {
			i++
		}
		if i > s && text[i-1] == ',' {
			prevLower = true // "..., ISIS - " is inside a sentence
		}
	}
	return s
}

// datelineParen matches "[Place[, Place]] (Agency)[ --]" at text[s:].
func datelineParen(text string, s, e int) (int, bool) {
	limit := min(e, s+70)
	p := s
	// place words: capitalised, with commas, spaces, periods and hyphens
	wordStart := true
	mixed := false // the place words hold lower-case letters ("London, England")
	for p < limit && text[p] != '(' {
		c := text[p]
		switch {
		case c == ' ' || c == ',':
			wordStart = true
		case c == '.' || c == '-' || c == '\'':
			wordStart = false
		case c >= 'A' && c <= 'Z' || c >= '0' && c <= '9': // "TEHRAN, Aug. 11 (MNA)"
			wordStart = false
		case c >= 'a' && c <= 'z':
			if wordStart {
				return s, false
			}
			mixed = true
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(text[p:e])
			if !unicode.IsUpper(r) && !(unicode.IsLower(r) && !wordStart) {
				return s, false
			}
			mixed = mixed || unicode.IsLower(r)
			wordStart = false
			p += n
			continue
		default:
			return s, false
		}
		p++
	}
	if p >= limit || text[p] != '(' {
		return s, false
	}
	q := p + 1
	for q < e && q-p < 32 && text[q] != ')' {
		c := text[q]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == ' ' || c == '.' || c == '&' || c == '-') {
			return s, false
		}
		q++
	}
	if q >= e || text[q] != ')' || q == p+1 || text[p+1] < 'A' || text[p+1] > 'Z' {
		return s, false
	}
	content := text[p+1 : q]
	k := q + 1
	glued := k < e && text[k] != ' '
	k = skipSpace(text, k, e)
	k2, dash := skipDash(text, k, e)
	allCaps := len(content) >= 2
	for i := 0; i < len(content); i++ {
		if c := content[i]; !(c >= 'A' && c <= 'Z') {
			allCaps = false
		}
	}
	// Without a dash, only "(CNN)" alone or after an upper-case place
	// ("WASHINGTON (CNN) The …") is a dateline: "The United Kingdom
	// Maritime Trade Operation (UKMTO) announced …" is a sentence.
	if !(dash || glued || (allCaps || content == "Reuters") && !mixed) {
		return s, false
	}
	if k2 >= e {
		return s, false
	}
	return k2, true
}

// datelineCaps matches "PLACE[, Region words] - " at text[s:].
func datelineCaps(text string, s, e int) (int, bool) {
	n := capsLen(text, s, e)
	if n < 3 {
		return s, false
	}
	p := s + n
	limit := min(e, p+45)
	if p < e && text[p] == ',' {
		p++
		for p < limit {
			c := text[p]
			if c == ' ' || c == ',' || c == '.' || c == '\'' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				if c == ' ' && p+1 < e && (text[p+1] == '-' || text[p+1] == 0xE2) {
					break
				}
				p++
				continue
			}
			break
		}
	}
	if p < e && text[p] != ' ' && capsLetters(text[s:p]) >= 4 {
		// "TEHRAN- The ...": the dash glued to the place
		if k, dash := skipDash(text, p, e); dash && k > p && k < e {
			return k, true
		}
	}
	if p >= e || text[p] != ' ' {
		return s, false
	}
	k, dash := skipDash(text, p+1, e)
	if !dash || k == p+1 || k >= e {
		return s, false
	}
	return k, true
}

// capsLetters counts the letters of s.
func capsLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// capsLen returns the length of an upper-case place name at text[s:]
// ("BAGHDAD", "NEW YORK", "ABU DHABI"), 0 when there is none.
func capsLen(text string, s, e int) int {
	p := s
	letters := 0
	for p < e {
		c := text[p]
		if c >= 'A' && c <= 'Z' {
			letters++
			p++
			continue
		}
		if c >= 0x80 && letters > 0 { // "BRASÍLIA", "KOBİGEL"
			if r, n := utf8.DecodeRuneInString(text[p:e]); unicode.IsUpper(r) {
				letters++
				p += n
				continue
			}
		}
		if (c == ' ' || c == '-' || c == '.') && p+1 < e && text[p+1] >= 'A' && text[p+1] <= 'Z' &&
			p+2 < e && text[p+2] >= 'A' && text[p+2] <= 'Z' {
			p++
			continue
		}
		break
	}
	if p < e {
		if c := text[p]; c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			return 0
		}
		if r, _ := utf8.DecodeRuneInString(text[p:e]); unicode.IsLower(r) {
			return 0
		}
	}
	if letters < 3 {
		return 0
	}
	return p - s
}

// skipDash skips a dash run ("-", "--", "—", "–") and the spaces after it.
func skipDash(text string, k, e int) (int, bool) {
	start := k
	for k < e {
		if text[k] == '-' {
			k++
			continue
		}
		if k+2 < e && text[k] == 0xE2 && text[k+1] == 0x80 && (text[k+2] == 0x94 || text[k+2] == 0x93) {
			k += 3
			continue
		}
		break
	}
	if k == start {
		return k, false
	}
	if k < e && text[k] != ' ' {
		return start, false // "Iran-Iraq" is a word, not a dateline dash
	}
	return skipSpace(text, k, e), true
}

// datelineSource matches "Outlet Name – Place " before a sentence opener, as
// in "Shafaq News – Baghdad A senior official said ...".
func datelineSource(text string, s, e int) (int, bool) {
	p, words := capWords(text, s, e, 4)
	if words == 0 || p >= e || text[p] != ' ' {
		return s, false
	}
	k, dash := skipDash(text, p+1, e)
	if !dash {
		return s, false
	}
	q, places := capWords(text, k, e, 3)
	if places == 0 || q >= e || text[q] != ' ' {
		return s, false
	}
	// the words after the place must open a sentence: "A senior", "The"
	next := q + 1
	if next >= e || !opensSentence(text, next, e) || text[next] < 'A' || text[next] > 'Z' {
		return s, false
	}
	return next, true
}

// capWords scans up to max capitalised words separated by single spaces and
// returns where they end and how many there were.
func capWords(text string, s, e, max int) (int, int) {
	p, n := s, 0
	for n < max && p < e && text[p] >= 'A' && text[p] <= 'Z' {
		q := p + 1
		for q < e && (text[q] >= 'a' && text[q] <= 'z' || text[q] >= 'A' && text[q] <= 'Z' || text[q] == '-' || text[q] == '\'') {
			q++
		}
		if opensSentence(text, p, e) {
			break // "The", "A": the sentence itself
		}
		n++
		p = q
		if p+1 < e && text[p] == ' ' && text[p+1] >= 'A' && text[p+1] <= 'Z' && n < max {
			if _, ok := skipDash(text, p+1, e); ok {
				break
			}
			p++
			continue
		}
		break
	}
	if n > 0 && p > s && text[p-1] == ' ' {
		p--
	}
	return p, n
}

// datelineColon matches "Place, Region[, Country]: " before a capitalised
// word, as in "Washington, DC, United States: Getting to the Moon ...". At
// least one comma is required, so that "Sudan: ..." stays a sentence.
func datelineColon(text string, s, e int) (int, bool) {
	limit := min(e, s+60)
	commas := 0
	wordStart := true
	p := s
	for ; p < limit && text[p] != ':'; p++ {
		c := text[p]
		switch {
		case c == ' ':
			wordStart = true
		case c == ',':
			commas++
			wordStart = true
		case c >= 'A' && c <= 'Z':
			wordStart = false
		case c >= 'a' && c <= 'z' || c == '.' || c == '-':
			if wordStart {
				return s, false
			}
		default:
			return s, false
		}
	}
	if p >= limit || commas == 0 || p+2 >= e || text[p+1] != ' ' || text[p+2] < 'A' || text[p+2] > 'Z' {
		return s, false
	}
	return p + 2, true
}

// datelineUncased matches the datelines of scripts without capitals
// (Arabic, Persian, Urdu): "PLACE- AGENCY- " ("مهاباد- ایرنا- ") and
// "PLACE (AGENCY) - " ("تهران (پانا) - "), with at most three words in
// each part.
func datelineUncased(text string, s, e int) (int, bool) {
	p, n := uncasedWords(text, s, e, 3)
	if n == 0 {
		return s, false
	}
	if p < e && text[p] == '(' {
		q, m := uncasedWords(text, p+1, e, 3)
		if m == 0 || q >= e || text[q] != ')' {
			return s, false
		}
		k, dash := skipDash(text, skipSpace(text, q+1, e), e)
		if !dash || k >= e {
			return s, false
		}
		return k, true
	}
	k := p
	for k < e && (text[k] == '-' || k+2 < e && text[k] == 0xE2 && text[k+1] == 0x80 && (text[k+2] == 0x93 || text[k+2] == 0x94)) {
		if text[k] == '-' {
			k++
		} else {
			k += 3
		}
	}
	if k == p {
		return s, false
	}
	k = skipSpace(text, k, e)
	q, m := uncasedWords(text, k, e, 3)
	if m == 0 {
		return s, false
	}
	k2, dash := skipDash(text, q, e)
	if !dash || k2 >= e {
		return s, false
	}
	return k2, true
}

// uncasedWords scans up to max words of letters without case (and
// zero-width non-joiners) separated by single spaces, and returns where
// they end (after any space) and how many there were.
func uncasedWords(text string, s, e, max int) (int, int) {
	p, n := s, 0
	for n < max && p < e {
		q := p
		for q < e {
			r, size := utf8.DecodeRuneInString(text[q:e])
			if !(unicode.IsLetter(r) && !unicode.IsUpper(r) && !unicode.IsLower(r) || r == '\u200c' || unicode.Is(unicode.Mn, r)) {
				break
			}
			q += size
		}
		if q == p {
			break
		}
		n++
		p = q
		if p < e && text[p] == ' ' {
			p++
		}
	}
	return p, n
}
