package summarize

import (
	"fmt"
	"strings"
	"testing"
)

func TestCleanStockFurniture(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"guardian continue reading", "Officials met in Baghdad on Monday.\n\nContinue reading...", "Officials met in Baghdad on Monday."},
		{"read more glued to a sentence", "The talks ended without a deal. Read more »", "The talks ended without a deal."},
		{"bracketed read more", "The talks ended without a deal [Read more]", "The talks ended without a deal"},
		{"arabic", "انتهت المحادثات دون اتفاق. اقرأ المزيد", "انتهت المحادثات دون اتفاق."},
		{"persian", "مذاکرات بدون توافق پایان یافت. ادامه مطلب", "مذاکرات بدون توافق پایان یافت."},
		{"turkish", "Görüşmeler anlaşma olmadan sona erdi. Devamı için tıklayın", "Görüşmeler anlaşma olmadan sona erdi."},
		{"urdu", "مذاکرات بغیر کسی معاہدے کے ختم ہو گئے۔ مزید پڑھیں", "مذاکرات بغیر کسی معاہدے کے ختم ہو گئے۔"},
		{"polish", "Rozmowy zakończyły się bez porozumienia. Czytaj więcej", "Rozmowy zakończyły się bez porozumienia."},
		{"a sentence ending in 'more' is kept", "Prices rose again and people paid more", "Prices rose again and people paid more"},
		{"nothing but read more", "Continue reading...", ""},
		{"wordpress footer with a question in the title",
			"Maduro ruled with a heavy hand.\n\nThe post Who is Nicolas Maduro? Bus driver turned president appeared first on The Times of Israel.",
			"Maduro ruled with a heavy hand."},
		{"telegram promo spliced into the text",
			`هزت انفجارات العاصمة صنعاء. تغطية متواصلة على قناة موقع "عرب 48" في "تليغرام" وقال شهود عيان إن نحو أربع غارات استهدفت الموقعين.`,
			`هزت انفجارات العاصمة صنعاء. وقال شهود عيان إن نحو أربع غارات استهدفت الموقعين.`},
		{"promo sentence", "Troops crossed the border at dawn. Follow us on Telegram for live updates.", "Troops crossed the border at dawn."},
		{"news about a telegram channel is kept",
			"Hamas said on its Telegram channel that the talks had failed.",
			"Hamas said on its Telegram channel that the talks had failed."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.TrimSpace(Clean(tt.in)); got != tt.want {
				t.Errorf("Clean(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitStripsAgencyDatelines(t *testing.T) {
	tests := []struct{ in, want string }{
		{"TEHRAN, Aug. 11 (MNA) – The Israeli regime has advanced plans to build housing units.", "The Israeli regime"},
		{"TEHRAN- In line with the free trade agreement, the expo will be held in Tehran.", "In line with"},
		{"TEHRAN – Iran exported non-oil goods worth $41 billion.", "Iran exported"},
		{"BRASÍLIA (Reuters) - O candidato classificou a proposta.", "O candidato"},
		{"MADRI, 24 SET (ANSA) - A ex-enfermeira prestou depoimento hoje.", "A ex-enfermeira"},
		{"مهاباد- ایرنا- اولین ویژه برنامه گروهی دف\u200cنوازی برگزار شد.", "اولین ویژه"},
		{"تهران-ایرنا- سرپرست کمیته امداد گفت.", "سرپرست کمیته"},
		{"تهران (پانا) - وزیر آموزش و پرورش گفت.", "وزیر آموزش"},
		// not datelines
		{"Iran-Iraq talks resumed on Monday.", "Iran-Iraq"},
		{"The US-led coalition said it struck targets.", "The US-led"},
		{"پرواز مشهد - هرات روز جمعه برقرار شد.", "پرواز مشهد"},
		{"The United Kingdom Maritime Trade Operation (UKMTO) announced an incident.", "The United Kingdom"},
		{"The 24th Dhaka International Film Festival (DIFF) will host works by Iranian filmmakers.", "The 24th"},
	}
	for _, tt := range tests {
		got := Split(tt.in)
		if len(got) == 0 || !strings.HasPrefix(got[0], tt.want) {
			t.Errorf("Split(%q) = %q, want it to start with %q", tt.in, got, tt.want)
		}
	}
}

// feedOf builds n item texts of a feed from a template taking the item number.
func feedOf(n int, text func(i int) string) (*FeedFurniture, []string) {
	f := NewFeedFurniture()
	var texts []string
	for i := range n {
		texts = append(texts, text(i))
		f.Learn(fmt.Sprint("item-", i), texts[i])
	}
	return f, texts
}

var events = []string{
	"Israeli strikes hit the south of Lebanon overnight, killing two people, the health ministry said.",
	"Protesters gathered in central Tehran for a third day as the currency fell to a record low.",
	"The Houthis said they fired a missile at a tanker in the Red Sea, which the owner denied.",
	"Iraq's parliament failed again to elect a speaker after rival blocs walked out of the session.",
	"A drone struck a car near Erbil airport, wounding the driver, Kurdish officials said.",
	"Turkey's central bank cut its main rate by two points, more than markets had expected.",
}

func TestFeedFurnitureLearnsTheFeedsTemplates(t *testing.T) {
	f, texts := feedOf(6, func(i int) string {
		return fmt.Sprintf("ABUJA, Jan. %d (XNA) – %s\n\nGet our free app and morning briefing\n\nThe post Story number %d about things appeared first on Example Daily.",
			i+1, events[i], i)
	})
	for i, text := range texts {
		got := strings.TrimSpace(f.Clean(text))
		if got != events[i] {
			t.Errorf("item %d: Clean = %q, want %q", i, got, events[i])
		}
	}
	// a new item of the same feed, with a date never seen
	got := Split(f.Clean("ABUJA, Feb. 28 (XNA) – Talks resumed in Doha on Sunday.\n\nGet our free app and morning briefing"))
	if strings.Join(got, " ") != "Talks resumed in Doha on Sunday." {
		t.Errorf("new item: sentences %q", got)
	}
}

func TestFeedFurnitureKeepsContent(t *testing.T) {
	// Items sharing a long lead (updates of one story) keep it: a lead is
	// never furniture, and another feed's furniture is not this one's.
	lead := "The Israeli army continued its violations of the ceasefire in Gaza on Saturday, killing at least three Palestinians."
	f, texts := feedOf(6, func(i int) string { return lead + " " + events[i] })
	for i, text := range texts {
		if got := f.Clean(text); !strings.Contains(got, lead) || !strings.Contains(got, events[i]) {
			t.Errorf("item %d lost content: %q", i, got)
		}
	}
	g, _ := feedOf(2, func(i int) string { return "Reporting by the Example desk team\n\n" + events[i] })
	if got := g.Clean("Reporting by the Example desk team\n\n" + events[3]); !strings.Contains(got, "Reporting by") {
		t.Errorf("two items are too few to learn from, got %q", got)
	}
}

func TestFeedFurnitureCountsItemsOnceAndForgets(t *testing.T) {
	f := NewFeedFurniture()
	promo := "Join the conversation on our forum today"
	for range 5 {
		f.Learn("same", events[0]+"\n\n"+promo) // re-polled: one item
	}
	f.Learn("b", events[1]+"\n\n"+promo)
	f.Learn("c", events[2])
	if got := f.Clean(events[3] + "\n\n" + promo); !strings.Contains(got, promo) {
		t.Errorf("a line seen in two items is not furniture, got %q", got)
	}
	for i := range furnitureWindow {
		f.Learn(fmt.Sprint("new-", i), events[i%len(events)])
	}
	if f.Items() != furnitureWindow {
		t.Errorf("Items = %d, want the window %d", f.Items(), furnitureWindow)
	}
}

func TestSummarizeLead(t *testing.T) {
	standfirst := "State opposition leader says inquiry established with no notice and an impossibly short deadline"
	body := "A parliamentary inquiry into banning phrases will not hold public hearings and has days to receive submissions. " +
		"The opposition has expressed concern that the inquiry was being rushed through. " +
		"Community groups said they had not been consulted on the legislative changes, which would affect protests. " +
		"The government said the inquiry would report before parliament returns in February. " +
		"A vote on the bill is expected in March, after the committee has considered its findings."
	long := standfirst + "\n\n" + body
	s, err := Summarize(long, Options{Title: "Labor accused of rushing inquiry into banning phrases", Lead: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Sentences) < 2 || s.Sentences[0].Text != standfirst+"." {
		t.Errorf("long description: summary %q does not open with the standfirst", s.Text())
	}
	// a short description is its own summary
	short := "Guterres says the pending ban targets groups indispensable to life-saving work. It undermines ceasefire progress, he says."
	s, err = Summarize(short, Options{Title: "UN chief calls on Israel to reverse NGO ban", Lead: true, Sentences: 1})
	if err != nil {
		t.Fatal(err)
	}
	if s.Text() != short {
		t.Errorf("short description: got %q, want all of it", s.Text())
	}
	// a headline repeating the title is still taken off
	s = mustSummarize(t, "Labor accused of rushing inquiry\n"+body, Options{Title: "Labor accused of rushing inquiry", Lead: true})
	if strings.Contains(s.Text(), "Labor accused") {
		t.Errorf("headline repeated in summary %q", s.Text())
	}
}

func TestSummarizeKeepsHeadingsOut(t *testing.T) {
	text := "While Republicans applauded, Democrats used the speech to protest. Members of the caucus wore kente cloth in reference to the president's comments\n\n" +
		"Trump State of the Union address promised unity but emphasized discord\n\n" +
		"The speech lasted eighty minutes and was interrupted by applause more than a hundred times."
	s, err := Summarize(text, Options{Sentences: 5})
	if err != nil {
		t.Fatal(err)
	}
	got := s.Text()
	if strings.Contains(got, "promised unity") {
		t.Errorf("heading kept in %q", got)
	}
	if !strings.Contains(got, "comments. ") {
		t.Errorf("open sentence not closed before the next one: %q", got)
	}
}
