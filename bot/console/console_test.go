package console

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/bot"
)

func TestSendRendersEachKind(t *testing.T) {
	src := bot.Source{Name: "Outlet B", Title: "Second report", URL: "https://b.example/2"}
	for _, tc := range []struct {
		name string
		d    bot.Delivery
		want []string
		not  []string
	}{
		{"post", bot.Delivery{Channel: "desk", Post: bot.Post{Kind: bot.KindPost, Title: "Border pact signed", URL: "https://a.example/1",
			Summary: "Iraq and Iran signed a border pact.", Regions: []string{"iraq", "iran"}, Topics: []string{"border-security"},
			Sources: []bot.Source{{Name: "Outlet A"}, {Name: "Outlet A"}, {Name: "Outlet B"}}, Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}},
			[]string{"[#desk] Border pact signed", "Sources: Outlet A, Outlet B", "Regions: iraq, iran", "Iraq and Iran signed", "https://a.example/1"},
			[]string{"Outlet A, Outlet A"}},
		{"update", bot.Delivery{Channel: "desk", Thread: "console-1", Post: bot.Post{Kind: bot.KindUpdate, Title: "Border pact signed", Update: &src}},
			[]string{"in thread \"Border pact signed\"", "also reported by Outlet B: Second report", "https://b.example/2"}, nil},
		{"rollup", bot.Delivery{Channel: "desk", Post: bot.Post{Kind: bot.KindRollup, Title: "2 new stories",
			Stories: []bot.StoryLine{{Title: "One", URL: "https://x/1", Sources: 1}, {Title: "Two", URL: "https://x/2", Sources: 3}}}},
			[]string{"2 new stories", "• One (1 source)", "• Two (3 sources)", "https://x/2"}, nil},
		{"digest", bot.Delivery{Channel: "desk", Post: bot.Post{Kind: bot.KindDigest, Title: "Daily brief",
			Sections: []bot.Section{{Heading: "Iraq", Text: "Quiet day.", Stories: []bot.StoryLine{{Title: "One", URL: "https://x/1"}}}}}},
			[]string{"Daily brief", "Iraq", "Quiet day.", "• One"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			c := New(&out)
			ref, err := c.Send(context.Background(), tc.d)
			if err != nil || ref == "" {
				t.Fatalf("Send = %q, %v", ref, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tc.not {
				if strings.Contains(out.String(), w) {
					t.Errorf("output has %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestRefsAreDistinct(t *testing.T) {
	c := New(&strings.Builder{})
	a, err := c.Send(context.Background(), bot.Delivery{Post: bot.Post{Kind: bot.KindPost}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Send(context.Background(), bot.Delivery{Post: bot.Post{Kind: bot.KindPost}})
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two sends returned the same ref %q", a)
	}
}

func TestPostListsEveryReport(t *testing.T) {
	var srcs []bot.Source
	for i := range 23 {
		srcs = append(srcs, bot.Source{Name: fmt.Sprintf("Outlet %d", i), Title: fmt.Sprintf("Report %d", i), URL: fmt.Sprintf("https://o%d.example/r", i)})
	}
	for _, tc := range []struct {
		n    int
		want []string
		not  []string
	}{
		{1, nil, []string{"Reported by"}},
		{3, []string{"Reported by 3 sources:", "• Outlet 0 — Report 0\n    https://o0.example/r", "• Outlet 2 — Report 2\n    https://o2.example/r"}, []string{"more"}},
		{23, []string{"Reported by 23 sources:", "https://o19.example/r", "+3 more"}, []string{"https://o20.example/r"}},
	} {
		var out strings.Builder
		Render(&out, bot.Delivery{Channel: "desk", Post: bot.Post{Kind: bot.KindPost, Title: "Pact", URL: srcs[0].URL, Sources: srcs[:tc.n]}})
		for _, w := range tc.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%d sources: output lacks %q:\n%s", tc.n, w, out.String())
			}
		}
		for _, w := range tc.not {
			if strings.Contains(out.String(), w) {
				t.Errorf("%d sources: output has %q:\n%s", tc.n, w, out.String())
			}
		}
	}
}
