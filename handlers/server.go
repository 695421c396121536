// Package handlers is Gatehouse's HTTP layer: the chi router, the route table
// (routes.go) with a declared access level per route, middleware, and thin
// handlers that parse a request, call a service and render a web component.
package handlers

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/a-h/templ"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/scim"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/web"
	"github.com/gatehouse/portal/webhook"
)

// Deps are the Server's dependencies.
type Deps struct {
	Store      *store.Store
	Auth       *auth.Service
	Onboarding *onboarding.Service
	Logger     *slog.Logger
	Now        func() time.Time
	// SecureCookies marks cookies Secure and uses the __Host- prefix. Set it
	// when the portal is served over TLS or behind a TLS proxy.
	SecureCookies bool
	// TrustedProxies are the CIDR prefixes of reverse proxies in front of
	// the portal; only their X-Forwarded-For is believed when finding the
	// client IP for per-IP limits. Empty: the TCP peer is the client.
	TrustedProxies []string
	// TestMode labels the portal as running against the emulator.
	TestMode bool
	// TestCodes, set only in test mode, returns the current and next TOTP
	// codes of a virtual MFA device (the emulator's virtual authenticator).
	TestCodes func(serial string) []string
	// Ready reports whether IAM answers (for /readyz); nil skips it.
	Ready func(context.Context) error
	// Metrics, if set, is served at /metrics and times every request.
	Metrics *Metrics
	// MetricsToken, if set, is the bearer token /metrics wants.
	MetricsToken string
	// Bulk runs bulk CSV onboarding; nil answers its routes with 503.
	Bulk *jobs.Bulk
	// WakeJobs tells the local job runner that a job was enqueued.
	WakeJobs func()
	// PageBudget bounds each request as a whole (default
	// DefaultPageBudget).
	PageBudget time.Duration
	// ReadyTimeout bounds each dependency check of /healthz and /readyz
	// (default DefaultReadyTimeout).
	ReadyTimeout time.Duration
	// SetupBox seals the secrets the invite flow shows (the console
	// password, the MFA seed) into cookies the browser holds, so a reload
	// shows them again without Gatehouse storing them (heldsecret.go). Its
	// key is its own: auth.NewBoxFor(PORTAL_SECRET_KEY, …).
	SetupBox *auth.Box
	// SCIM serves the SCIM 2.0 endpoint /scim/v2; nil answers its routes
	// with 503.
	SCIM *scim.Service
	// Webhooks registers webhook endpoints and shows their delivery logs;
	// nil answers its routes with 503.
	Webhooks *webhook.Service
	// BenchRoutes adds GET /bench/trivial and GET /api/v1/bench/trivial
	// (auditors and up; they answer "ok"): a trivial handler behind the same
	// middleware and session (or token) lookup as every page, which
	// bench/latency compares the pages with. Only the harness sets it; the
	// portal command never does.
	BenchRoutes bool
}

// Server serves Gatehouse over HTTP.
type Server struct {
	Deps
	router http.Handler
	access map[string]Access // "METHOD pattern" → the route's access level
}

// New checks deps and builds the Server with its routes.
func New(d Deps) (*Server, error) {
	switch {
	case d.Store == nil:
		return nil, errors.New("handlers: Store is required")
	case d.Auth == nil:
		return nil, errors.New("handlers: Auth is required")
	case d.Onboarding == nil:
		return nil, errors.New("handlers: Onboarding is required")
	case d.SetupBox == nil:
		return nil, errors.New("handlers: SetupBox is required")
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.PageBudget <= 0 {
		d.PageBudget = DefaultPageBudget
	}
	if d.ReadyTimeout <= 0 {
		d.ReadyTimeout = DefaultReadyTimeout
	}
	s := &Server{Deps: d}
	s.router = s.buildRouter()
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// render writes c with status. It renders into a buffer first so a
// rendering error can still become a proper error page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	// Rendering only formats what the handler has: it must still happen
	// when the page budget ran out (to say so), so it ignores the deadline.
	if err := c.Render(context.WithoutCancel(r.Context()), buf); err != nil {
		s.Logger.ErrorContext(r.Context(), "render", "err", err, "path", r.URL.Path)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderBuffers keeps page buffers between requests: a list page is about
// 16 KB, and growing a fresh buffer to that size on every request was a
// large share of the page's allocations.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRenderBuffer returns buf to the pool unless an unusually large page
// grew it (kept, it would pin that memory).
func putRenderBuffer(buf *bytes.Buffer) {
	if buf.Cap() > 1<<20 {
		return
	}
	buf.Reset()
	renderBuffers.Put(buf)
}

// page returns the layout data for a request.
func (s *Server) page(r *http.Request, title string) web.Page {
	p := web.Page{Title: title, TestMode: s.TestMode, Path: r.URL.Path}
	if op := operatorFrom(r.Context()); op != nil {
		p.Operator = &web.OperatorNav{Username: op.Username, Role: string(op.Role),
			CanOnboard: s.may(op, "GET", "/users/new"), CanDevices: s.may(op, "GET", "/devices"),
			CanAdopt: s.may(op, "GET", "/adopt"), CanBulk: s.may(op, "GET", "/users/bulk"),
			CanOperators: s.may(op, "GET", "/operators"), CanAudit: s.may(op, "GET", "/audit"), CanAccounts: s.may(op, "GET", "/accounts"),
			CanTokensAll: s.may(op, "GET", "/operators/tokens"), CanWebhooks: s.may(op, "GET", "/webhooks")}
	}
	return p
}

// formErrors turns err into the form errors of a page.
func formErrors(err error) []web.FormError {
	var e *portal.Error
	field := ""
	if errors.As(err, &e) {
		field = e.Field
	}
	return []web.FormError{{Err: err, Field: field}}
}
