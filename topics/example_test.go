package topics_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/sitrep-bot/sitrep/topics"
)

func ExampleTagger_Tag() {
	tg, err := topics.NewTagger([]topics.UserTopic{{Name: "pkk", Query: `PKK OR "Kurdistan Workers"`}})
	if err != nil {
		fmt.Println(err)
		return
	}
	tags := tg.Tag(topics.Doc{
		Title: "Turkish drone strike kills two PKK members near Zakho",
		Text:  "A Turkish drone struck a vehicle in the Duhok countryside on Monday, local officials said.",
	})
	fmt.Println(tags.Regions, tags.Topics, tags.UserTopics, tags.Severity)
	// Output: [iraq kurdistan-region turkey] [armed-conflict] [pkk] high
}

func ExampleParseQuery() {
	q, err := topics.ParseQuery(`region:iraq (PKK OR "Kurdistan Workers") -source:rudaw`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q)
	_, err = topics.ParseQuery(`pkk OR (kdpi`)
	var qe *topics.QueryError
	fmt.Println(errors.As(err, &qe), err)
	// Output:
	// region:iraq AND (pkk OR "kurdistan workers") AND NOT source:rudaw
	// true query: unexpected end of query at 13: missing ")" for "(" at 8
}

func ExampleClusterer_Add() {
	c := topics.NewClusterer(0)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a := c.Add(topics.Doc{ID: "rudaw-1", Published: at, Title: "Iraq and Jordan sign electricity interconnection deal",
		Text: "Iraq and Jordan signed an agreement in Baghdad on Monday to link their power grids."}, topics.Tags{}, "")
	b := c.Add(topics.Doc{ID: "sumaria-7", Published: at.Add(2 * time.Hour), Title: "العراق والأردن يوقعان اتفاقية الربط الكهربائي",
		Text: "وقع العراق والأردن، الاثنين، في بغداد اتفاقية للربط الكهربائي بين البلدين."}, topics.Tags{}, "")
	fmt.Println(a == b, len(a))
	// Output: true 11
}
