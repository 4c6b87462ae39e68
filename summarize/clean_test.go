package summarize

import (
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	body := "The ministers met in Baghdad on Monday and signed a border security agreement after long talks.\n" +
		"Officials said the deal would tighten control of the frontier and increase joint patrols in the mountains.\n"
	tests := []struct {
		name     string
		in       string
		keep     []string // substrings that must survive
		drop     []string // substrings that must go
		wantSame bool     // single-line input is returned unchanged
	}{
		{
			name: "related heading ends the article",
			in:   "Border pact signed\n" + body + "\nRelated Articles\nAnother story about football that ran long enough to count as prose.\n",
			keep: []string{"Border pact signed", "signed a border security agreement", "joint patrols"},
			drop: []string{"Related Articles", "football"},
		},
		{
			name: "comments heading with count",
			in:   body + "Comments (12)\nGreat article, thanks for writing it and for all the hard work.\n",
			keep: []string{"joint patrols"},
			drop: []string{"Comments", "Great article"},
		},
		{
			name: "ui lines dropped",
			in: "Share on Facebook\nSubscribe to our newsletter\nBy Jane Doe\n2 hours ago\n" + body +
				"Photo: Getty Images\nAccept all cookies\nTry our AI features\nExplore what we can do for you:\n",
			keep: []string{"signed a border security agreement", "joint patrols"},
			drop: []string{"Facebook", "newsletter", "Jane Doe", "hours ago", "Getty", "cookies", "AI features", "Explore"},
		},
		{
			name: "short labels dropped but headline kept",
			in:   "Iraq and Iran sign border pact\nWorld\n" + body + "Hashtags\n",
			keep: []string{"Iraq and Iran sign border pact", "joint patrols"},
			drop: []string{"World\n", "Hashtags"},
		},
		{
			name: "long prose mentioning ui words is kept",
			in: body + "Users who subscribe to the channel or share the video on Facebook were targeted by the " +
				"hackers, investigators said in a statement released on Tuesday evening.\n",
			keep: []string{"subscribe to the channel"},
		},
		{
			name: "heading before any body text is only dropped",
			in:   "Related\n" + body,
			keep: []string{"signed a border security agreement"},
			drop: []string{"Related"},
		},
		{
			name: "two-word headline before prose is kept, source label is not",
			in:   "Border closed\n" + body + "\n\nRudaw Net\n30 minutes ago\n",
			keep: []string{"Border closed", "joint patrols"},
			drop: []string{"Rudaw", "minutes ago"},
		},
		{
			name:     "single line is untouched",
			in:       "One long line of text. Nothing to clean here.",
			wantSame: true,
		},
		{
			name: "Arabic related heading",
			in:   body + "اقرأ أيضاً\nخبر آخر عن موضوع مختلف تماما ولا علاقة له بالاتفاقية الأمنية.\n",
			keep: []string{"joint patrols"},
			drop: []string{"خبر آخر"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Clean(tt.in)
			if tt.wantSame && got != tt.in {
				t.Errorf("Clean changed single-line input: %q", got)
			}
			for _, k := range tt.keep {
				if !strings.Contains(got, k) {
					t.Errorf("Clean dropped %q; got:\n%s", k, got)
				}
			}
			for _, d := range tt.drop {
				if strings.Contains(got, d) {
					t.Errorf("Clean kept %q; got:\n%s", d, got)
				}
			}
		})
	}
}
