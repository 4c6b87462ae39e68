package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sitrep-bot/sitrep/store"
)

// metrics holds sitrep's Prometheus series. It implements
// ingest.PipelineMetrics and bot.DeliveryMetrics.
type metrics struct {
	reg          *prometheus.Registry
	fetches      *prometheus.CounterVec
	fetchSeconds prometheus.Histogram
	itemsNew     prometheus.Counter
	storiesNew   prometheus.Counter
	deliveries   *prometheus.CounterVec
	deliveryLag  *prometheus.HistogramVec
}

// newMetrics registers every series, plus gauges read from the store at
// scrape time: queue depth and feed health.
func newMetrics(st store.Store) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sitrep_feed_fetches_total", Help: "Feed fetches by outcome (ok, not_modified, error).",
		}, []string{"outcome"}),
		fetchSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "sitrep_feed_fetch_seconds", Help: "Feed fetch latency.", Buckets: prometheus.DefBuckets,
		}),
		itemsNew: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sitrep_items_new_total", Help: "New items stored.",
		}),
		storiesNew: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sitrep_stories_new_total", Help: "New stories started.",
		}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sitrep_deliveries_total", Help: "Delivery attempts by platform and outcome (sent, retry, failed).",
		}, []string{"platform", "outcome"}),
		deliveryLag: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "sitrep_delivery_latency_seconds", Help: "Time from a story's first publication to its post.",
			Buckets: []float64{5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400},
		}, []string{"platform"}),
	}
	// Start every series at zero so dashboards and alerts see them before the first event.
	for _, o := range []string{"ok", "not_modified", "error"} {
		m.fetches.WithLabelValues(o)
	}
	for _, p := range []string{"slack", "discord", "console"} {
		for _, o := range []string{"sent", "retry", "failed"} {
			m.deliveries.WithLabelValues(p, o)
		}
		m.deliveryLag.WithLabelValues(p)
	}
	m.reg.MustRegister(m.fetches, m.fetchSeconds, m.itemsNew, m.storiesNew, m.deliveries, m.deliveryLag,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "sitrep_outbox_pending", Help: "Deliveries waiting in the outbox (queue depth).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		ds, err := st.Deliveries(ctx, store.StatusPending, 100000)
		if err != nil {
			return -1
		}
		return float64(len(ds))
	}))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "sitrep_feeds_failing", Help: "Feeds whose last fetch failed.",
	}, func() float64 { return feedCount(st, true) }))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "sitrep_feeds", Help: "Feeds configured or added from chat.",
	}, func() float64 { return feedCount(st, false) }))
	return m
}

func feedCount(st store.Store, failingOnly bool) float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	list, err := st.Feeds(ctx)
	if err != nil {
		return -1
	}
	n := 0
	for _, f := range list {
		if !failingOnly || f.Failures > 0 {
			n++
		}
	}
	return float64(n)
}

// FetchDone counts a fetch.
func (m *metrics) FetchDone(outcome string, d time.Duration) {
	m.fetches.WithLabelValues(outcome).Inc()
	m.fetchSeconds.Observe(d.Seconds())
}

// ItemsNew counts new items.
func (m *metrics) ItemsNew(n int) { m.itemsNew.Add(float64(n)) }

// StoriesNew counts new stories.
func (m *metrics) StoriesNew(n int) { m.storiesNew.Add(float64(n)) }

// Delivered counts a delivery outcome.
func (m *metrics) Delivered(platform, outcome string, latency time.Duration) {
	m.deliveries.WithLabelValues(platform, outcome).Inc()
	if outcome == "sent" && latency > 0 {
		m.deliveryLag.WithLabelValues(platform).Observe(latency.Seconds())
	}
}
