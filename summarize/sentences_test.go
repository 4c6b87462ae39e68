package summarize

import (
	"reflect"
	"strings"
	"testing"
)

var splitTests = []struct {
	name string
	in   string
	want []string
}{
	// Plain boundaries
	{"two sentences", "The army moved in. Residents fled.",
		[]string{"The army moved in.", "Residents fled."}},
	{"question and exclamation", "Was it a strike? Nobody knows! Officials declined to comment.",
		[]string{"Was it a strike?", "Nobody knows!", "Officials declined to comment."}},
	{"no final punctuation", "Talks resumed. Both sides attended",
		[]string{"Talks resumed.", "Both sides attended"}},

	// Abbreviations, initials, decimals
	{"title abbreviations", "Dr. Smith met Gen. Jones and Mr. Brown. They talked.",
		[]string{"Dr. Smith met Gen. Jones and Mr. Brown.", "They talked."}},
	{"U.S. mid-sentence", "The U.S. Navy sent ships. The U.N. Security Council met.",
		[]string{"The U.S. Navy sent ships.", "The U.N. Security Council met."}},
	{"U.S. ends sentence", "Troops returned to the U.S. The war ended.",
		[]string{"Troops returned to the U.S.", "The war ended."}},
	{"month abbreviation with day", "The vote is on Jan. 15 in Baghdad. Turnout may be low.",
		[]string{"The vote is on Jan. 15 in Baghdad.", "Turnout may be low."}},
	{"initials", "John F. Kennedy was shot in 1963. J. K. Rowling wrote books.",
		[]string{"John F. Kennedy was shot in 1963.", "J. K. Rowling wrote books."}},
	{"decimals and numbers", "Growth was 3.5 percent. Oil rose to $80.25 a barrel.",
		[]string{"Growth was 3.5 percent.", "Oil rose to $80.25 a barrel."}},
	{"No. before a number", "He was ranked No. 1 in the world. Then he lost.",
		[]string{"He was ranked No. 1 in the world.", "Then he lost."}},
	{"lower case after period is no boundary", "They used approx. five tons, e.g. fuel. It burned.",
		[]string{"They used approx. five tons, e.g. fuel.", "It burned."}},
	{"web address", "Read it on cnn.com today. It is free.",
		[]string{"Read it on cnn.com today.", "It is free."}},
	{"missing space after period", "He was stabbed on Wednesday.The attack shocked Berlin.Police arrested a man.",
		[]string{"He was stabbed on Wednesday.", "The attack shocked Berlin.", "Police arrested a man."}},
	{"missing space is not forced inside names", "Visit Amazon.com or Node.Js today. Fine.",
		[]string{"Visit Amazon.com or Node.Js today.", "Fine."}},

	// Quotes, brackets and ellipses
	{"quote after period", `He said, "We will win." The crowd cheered.`,
		[]string{`He said, "We will win."`, "The crowd cheered."}},
	{"quote then said", `"Is it over?" he asked. "Yes," she said.`,
		[]string{`"Is it over?" he asked.`, `"Yes," she said.`}},
	{"curly quotes", "She said “it is over.” Then she left.",
		[]string{"She said “it is over.”", "Then she left."}},
	{"bracket after period", "The toll rose (officials said so.) Rescue went on.",
		[]string{"The toll rose (officials said so.)", "Rescue went on."}},
	{"ellipsis", "We waited... Then the shelling began. And it went on… for hours.",
		[]string{"We waited...", "Then the shelling began.", "And it went on… for hours."}},

	// Datelines
	{"CNN dateline glued", "(CNN)Share, and your gift will be multiplied. That may sound odd.",
		[]string{"Share, and your gift will be multiplied.", "That may sound odd."}},
	{"Reuters dateline", "BAGHDAD (Reuters) - Iraq and Iran signed a deal on Monday. It covers the border.",
		[]string{"Iraq and Iran signed a deal on Monday.", "It covers the border."}},
	{"CNN dateline with place", "LONDON, England (CNN) -- Police arrested two men. They were released.",
		[]string{"Police arrested two men.", "They were released."}},
	{"upper-case place dateline", "ERBIL, Kurdistan Region - Iraq's adviser spoke on Wednesday. He was brief.",
		[]string{"Iraq's adviser spoke on Wednesday.", "He was brief."}},
	{"colon dateline", "Washington, DC, United States: Getting to the Moon is hard. Staying is harder.",
		[]string{"Getting to the Moon is hard.", "Staying is harder."}},
	{"colon without a comma is a sentence", "Sudan: The talks failed. Again.",
		[]string{"Sudan: The talks failed.", "Again."}},
	{"place with CNN, no dash", "Washington (CNN)President Obama spoke. He left.",
		[]string{"President Obama spoke.", "He left."}},
	{"bracket that is not a dateline", "Obama (D) said no. He left.",
		[]string{"Obama (D) said no.", "He left."}},
	{"hyphenated words are no dateline dash", "IRAN-IRAQ talks resumed. They ended.",
		[]string{"IRAN-IRAQ talks resumed.", "They ended."}},

	// Lines, paragraphs and bullets
	{"blank line separates", "Headline without stop\n\nFirst paragraph here.",
		[]string{"Headline without stop", "First paragraph here."}},
	{"bullets", "Key points:\n- Troops withdrew\n- Talks resume Monday\n• Aid arrives",
		[]string{"Key points:", "Troops withdrew", "Talks resume Monday", "Aid arrives"}},
	{"numbered list", "Steps:\n1. Close the border\n2. Share intelligence",
		[]string{"Steps:", "Close the border", "Share intelligence"}},
	{"hard-wrapped paragraph", "The minister said the border\nwould stay open. Trade continued.",
		[]string{"The minister said the border would stay open.", "Trade continued."}},
	{"line without stop before capital line", "Iraq signs border pact\nThe deal was signed in Baghdad.",
		[]string{"Iraq signs border pact", "The deal was signed in Baghdad."}},

	// Other scripts
	{"Arabic", "وقع العراق وإيران اتفاقية أمنية. هل ستنجح؟ نأمل ذلك!",
		[]string{"وقع العراق وإيران اتفاقية أمنية.", "هل ستنجح؟", "نأمل ذلك!"}},
	{"Persian and Urdu full stop", "ایران و عراق توافق کردند۔ مرز بسته شد.",
		[]string{"ایران و عراق توافق کردند۔", "مرز بسته شد."}},
	{"mixed scripts", "Baghdad said yes. بغداد قالت نعم. 中国同意了。Done.",
		[]string{"Baghdad said yes.", "بغداد قالت نعم.", "中国同意了。Done."}},

	// Degenerate input
	{"empty", "", []string{}},
	{"only spaces", " \n\t \n", []string{}},
	{"only punctuation", "...", []string{"..."}},
}

func TestSplit(t *testing.T) {
	for _, tt := range splitTests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitLongRunIsCut(t *testing.T) {
	in := strings.Repeat("word ", 2000) // 10 kB, no punctuation
	got := Split(in)
	if len(got) < 2 {
		t.Fatalf("Split of a 10 kB unpunctuated run gave %d sentence(s), want it cut", len(got))
	}
	for _, s := range got {
		if len(s) > maxSentenceBytes+10 {
			t.Errorf("sentence of %d bytes, want <= %d", len(s), maxSentenceBytes)
		}
	}
	if n := len(strings.Fields(strings.Join(got, " "))); n != 2000 {
		t.Errorf("cutting lost words: %d, want 2000", n)
	}
}

func TestSplitFoldsWhitespace(t *testing.T) {
	got := Split("One  two\tthree\u00a0four. Five")
	want := []string{"One two three four.", "Five"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFoldCount(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		words int
	}{
		{"a b c", "a b c", 3},
		{" a  b\n", "a b", 2},
		{"a\u00a0b", "a b", 2},
		{"a—b é", "a—b é", 2},
		{"", "", 0},
		{"\t", "", 0},
	}
	for _, tt := range tests {
		got, n := foldCount(tt.in)
		if got != tt.want || n != tt.words {
			t.Errorf("foldCount(%q) = %q, %d; want %q, %d", tt.in, got, n, tt.want, tt.words)
		}
	}
}

func TestSplitInvalidUTF8Terminates(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("\x8a", 5000),
		strings.Repeat("\xff\xfe", 3000) + ". Done.",
		"\xe2\x80" + strings.Repeat("\x80", 4000),
	} {
		got := Split(in)
		total := 0
		for _, s := range got {
			total += len(s)
		}
		if total == 0 || total > len(in) {
			t.Errorf("Split of %d bytes of invalid UTF-8 kept %d bytes in %d sentences", len(in), total, len(got))
		}
	}
}
