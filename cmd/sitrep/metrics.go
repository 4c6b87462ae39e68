package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
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

// newMetrics registers every series, plus gauges counted in the store at
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
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&storeCollector{st: st, timeout: 2 * time.Second})
	return m
}

// storeCollector reports the store's sizes at scrape time with one
// counting query (store.Counts): a scrape costs the same with 10 or
// 100,000 deliveries queued. A failed query reports -1.
type storeCollector struct {
	st      store.Store
	timeout time.Duration
}

var (
	descPending = prometheus.NewDesc("sitrep_outbox_pending", "Deliveries waiting in the outbox (queue depth).", nil, nil)
	descFailed  = prometheus.NewDesc("sitrep_outbox_failed", "Deliveries that failed for good.", nil, nil)
	descFailing = prometheus.NewDesc("sitrep_feeds_failing", "Feeds whose last fetch failed.", nil, nil)
	descFeeds   = prometheus.NewDesc("sitrep_feeds", "Feeds configured or added from chat.", nil, nil)
)

// Describe sends the four gauges' descriptions.
func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descPending
	ch <- descFailed
	ch <- descFailing
	ch <- descFeeds
}

// Collect counts in the store and sends the gauges.
func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	n, err := c.st.Counts(ctx)
	vals := []float64{float64(n.Pending), float64(n.Failed), float64(n.FeedsFailing), float64(n.Feeds)}
	if err != nil {
		vals = []float64{-1, -1, -1, -1}
	}
	for i, d := range []*prometheus.Desc{descPending, descFailed, descFailing, descFeeds} {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, vals[i])
	}
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
