package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/posture"
	"github.com/gatehouse/portal/store"
)

// Metrics holds Gatehouse's Prometheus collectors, on a registry of its own
// (no global state). cmd/portal builds one and hands its Observe methods to
// awsiam and jobs, so those packages know nothing of Prometheus.
type Metrics struct {
	reg      *prometheus.Registry
	http     *prometheus.HistogramVec
	iam      *prometheus.HistogramVec
	jobs     *prometheus.HistogramVec
	bulkRows *prometheus.CounterVec
}

// NewMetrics registers the collectors. Enrollment counts by status and job
// counts by state are read from st at scrape time, so every replica reports
// the same numbers.
func NewMetrics(st *store.Store) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.http = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "gatehouse_http_request_duration_seconds",
		Help: "HTTP request latency by route pattern, method and status.", Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}},
		[]string{"route", "method", "code"})
	m.iam = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "gatehouse_iam_call_duration_seconds",
		Help: "IAM and STS calls (after retries) by action and outcome (ok or the AWS error code)."}, []string{"action", "outcome"})
	m.jobs = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "gatehouse_job_run_duration_seconds",
		Help: "Background job runs by kind and outcome (done, failed, handed_back, lost).", Buckets: prometheus.ExponentialBuckets(.1, 4, 8)},
		[]string{"kind", "outcome"})
	m.bulkRows = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gatehouse_bulk_rows_total",
		Help: "Bulk onboarding rows finished by status."}, []string{"status"})
	m.reg.MustRegister(m.http, m.iam, m.jobs, m.bulkRows, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), &storeCollector{st: st})
	return m
}

// ObserveIAM records one IAM call (an awsiam.ObserveFunc).
func (m *Metrics) ObserveIAM(action, outcome string, d time.Duration) {
	m.iam.WithLabelValues(action, outcome).Observe(d.Seconds())
}

// ObserveJob records one job run (jobs.Config.Observe).
func (m *Metrics) ObserveJob(kind, outcome string, d time.Duration) {
	m.jobs.WithLabelValues(kind, outcome).Observe(d.Seconds())
}

// ObserveBulkRow counts one finished bulk row (jobs.BulkConfig.Observe).
func (m *Metrics) ObserveBulkRow(status string) { m.bulkRows.WithLabelValues(status).Inc() }

// storeCollector reads gauges from the database at scrape time.
type storeCollector struct{ st *store.Store }

var (
	usersDesc     = prometheus.NewDesc("gatehouse_users", "Managed IAM users by enrollment status.", []string{"status"}, nil)
	acctUsersDesc = prometheus.NewDesc("gatehouse_account_users", "Managed IAM users by AWS account and enrollment status.",
		[]string{"account", "status"}, nil)
	acctUpDesc = prometheus.NewDesc("gatehouse_account_reachable",
		"1 when the AWS account's role could be assumed at its last check (the hub: always), 0 when not.", []string{"account"}, nil)
	jobsDesc  = prometheus.NewDesc("gatehouse_jobs", "Background jobs by state.", []string{"state"}, nil)
	coverDesc = prometheus.NewDesc("gatehouse_posture_mfa_coverage_percent",
		"Share of the AWS account's console users with MFA at the last status sync that reached it, in percent.", []string{"account"}, nil)
	failDesc = prometheus.NewDesc("gatehouse_posture_failing",
		"Users (or policies) failing each posture control at the last status sync that reached the AWS account, by account and Prowler check ID; a control whose facts were unreadable is absent.", []string{"account", "control"}, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- usersDesc
	ch <- acctUsersDesc
	ch <- acctUpDesc
	ch <- jobsDesc
	ch <- coverDesc
	ch <- failDesc
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if counts, err := c.st.CountByStatus(ctx, time.Now()); err == nil {
		for _, s := range portal.Statuses {
			ch <- prometheus.MustNewConstMetric(usersDesc, prometheus.GaugeValue, float64(counts[s]), string(s))
		}
	}
	accts, err := c.st.Accounts(ctx)
	if err == nil {
		hub := ""
		for _, a := range accts {
			up := 0.0
			if a.Hub || a.Status == portal.AccountReachable {
				up = 1
			}
			if a.Hub {
				hub = a.ID
			}
			ch <- prometheus.MustNewConstMetric(acctUpDesc, prometheus.GaugeValue, up, a.ID)
		}
		if counts, err := c.st.CountByAccount(ctx, time.Now()); err == nil {
			by := map[string]map[portal.Status]int{}
			for _, ac := range counts {
				id := ac.Account
				if id == "" {
					id = hub // recorded before accounts: the hub's
				}
				if by[id] == nil {
					by[id] = map[portal.Status]int{}
				}
				for st, n := range ac.ByStatus {
					by[id][st] += n
				}
			}
			for id, m := range by {
				for _, s := range portal.Statuses {
					ch <- prometheus.MustNewConstMetric(acctUsersDesc, prometheus.GaugeValue, float64(m[s]), id, string(s))
				}
			}
		}
	}
	// The posture of each account, as its last sync recorded it (an
	// account never reached has none); before the hub is recorded, the
	// snapshots recorded without an account.
	ids := []string{""}
	if err == nil && len(accts) > 0 {
		ids = ids[:0]
		for _, a := range accts {
			ids = append(ids, a.ID)
		}
	}
	for _, id := range ids {
		p, err := c.st.LatestPostureSnapshot(ctx, id)
		if err != nil {
			continue
		}
		ch <- prometheus.MustNewConstMetric(coverDesc, prometheus.GaugeValue, posture.CoverageOf(p.ConsoleMFA, p.ConsoleUsers), id)
		for control, n := range p.Failing {
			if n >= 0 {
				ch <- prometheus.MustNewConstMetric(failDesc, prometheus.GaugeValue, float64(n), id, control)
			}
		}
	}
	if counts, err := c.st.CountJobs(ctx); err == nil {
		for _, s := range []string{store.JobQueued, store.JobRunning, store.JobDone, store.JobFailed} {
			ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(counts[s]), s)
		}
	}
}

// metricsHandler serves /metrics. With a MetricsToken configured it wants
// "Authorization: Bearer <token>".
func (s *Server) metricsHandler(w http.ResponseWriter, r *http.Request) {
	if s.Metrics == nil {
		http.NotFound(w, r)
		return
	}
	if s.MetricsToken != "" && r.Header.Get("Authorization") != "Bearer "+s.MetricsToken {
		w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		http.Error(w, "metrics need a bearer token", http.StatusUnauthorized)
		return
	}
	promhttp.HandlerFor(s.Metrics.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

// instrument records every request's latency under its route pattern (not
// its path, which would carry user names and invite tokens).
func (s *Server) instrument(next http.Handler) http.Handler {
	if s.Metrics == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		s.Metrics.http.WithLabelValues(route, r.Method, http.StatusText(ww.Status())).Observe(time.Since(start).Seconds())
	})
}
