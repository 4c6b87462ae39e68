package topics

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Where a report's own account of the event starts and ends. A wire dateline ("SINJAR -",
// "ERBIL, Kurdistan Region -", "TEHRAN, Aug. 13 (MNA) –") names where the reporter filed from,
// which is often not where the event is; the first sentence after it usually names the event's
// place and day.

// maxDatelineBytes bounds the text before the dash of a dateline.
const maxDatelineBytes = 64

// maxFirstSentence bounds the bytes searched for the end of the first sentence.
const maxFirstSentence = 600

// datelineBytes returns the length in bytes of a dateline at the start of text, the dash and the
// spaces after it included, or 0. A dateline starts with a word of at least three letters in
// capitals and ends, within a few words, at a dash or a colon.
func datelineBytes(text string) int {
	start := len(text) - len(strings.TrimLeft(text, " \t\r\n"))
	head := text[start:]
	word := head
	if i := strings.IndexFunc(head, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		word = head[:i]
	}
	if utf8.RuneCountInString(word) < 3 || strings.ToUpper(word) != word || strings.ToLower(word) == word {
		return 0
	}
	limit := min(len(head), maxDatelineBytes+4)
	for i := len(word); i < limit; {
		r, n := utf8.DecodeRuneInString(head[i:])
		switch {
		case r == '\n' || r == '.' && i+n < len(head) && head[i+n] == ' ' && !dateAbbrevBefore(head, i):
			return 0 // a sentence or paragraph ends first: no dateline
		case r == '-' || r == '–' || r == '—' || r == ':':
			// A hyphen inside a word ("Deir ez-Zor") is not the dateline's dash.
			if r == '-' && (i+n >= len(head) || head[i+n] != ' ') {
				break
			}
			end := i + n
			for end < len(head) && (head[end] == ' ' || head[end] == '\t') {
				end++
			}
			return start + end
		}
		i += n
	}
	return 0
}

// dateAbbrevBefore reports whether the '.' at s[i] ends a short abbreviation such as "Aug" or
// "St" (a dateline may hold a date).
func dateAbbrevBefore(s string, i int) bool {
	j := i
	for j > 0 && s[j-1] != ' ' && s[j-1] != ',' && s[j-1] != '(' {
		j--
	}
	return abbreviations[strings.ToLower(s[j:i])]
}

var abbreviations = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr st gen col lt maj sgt capt no vs u.s u.n u.k e.g i.e") {
		m[w] = true
	}
	return m
}()

// firstSentenceEnd returns the byte offset where the first sentence starting at from ends (after
// its full stop), bounded by maxFirstSentence bytes and always at a word boundary.
func firstSentenceEnd(text string, from int) int {
	limit := min(len(text), from+maxFirstSentence)
	for i := from; i < limit; {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch r {
		case '\n', '!', '?', '؟':
			return i + n
		case '.':
			if i+n >= len(text) {
				return i + n
			}
			next, _ := utf8.DecodeRuneInString(text[i+n:])
			if unicode.IsSpace(next) && !dateAbbrevBefore(text, i) && !initialBefore(text, i) {
				return i + n
			}
		}
		i += n
	}
	if limit >= len(text) {
		return len(text)
	}
	// Cut at a space so that no word is split in two.
	if j := strings.IndexAny(text[limit:], " \n\t"); j >= 0 {
		return limit + j
	}
	return len(text)
}

// initialBefore reports whether the '.' at s[i] follows a single capital letter ("George W.").
func initialBefore(s string, i int) bool {
	return i >= 1 && s[i-1] >= 'A' && s[i-1] <= 'Z' && (i == 1 || s[i-2] == ' ' || s[i-2] == '.')
}

// cutFeedTrailer removes the line a blog engine appends to every feed item's text, "The post
// <title> appeared first on <site>.", which repeats the title and names the outlet: neither says
// what the item is about.
func cutFeedTrailer(text string) string {
	// The trailer ends the text: only its last feedTrailerTail bytes are searched.
	from := max(len(text)-feedTrailerTail, 0)
	i := strings.LastIndex(text[from:], " appeared first on ")
	if i < 0 {
		return text
	}
	i += from
	j := strings.LastIndex(text[:i], "The post ")
	if j < 0 {
		return text
	}
	return strings.TrimRight(text[:j], " \n\t")
}

// feedTrailerTail is how far from the end of a text the "appeared first on" of a feed trailer
// starts at most.
const feedTrailerTail = 200
