package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"

	"github.com/gatehouse/portal"
)

// ipLimitPerMinute is how many requests one client IP may send per minute
// to each form that checks a secret (a password, a TOTP code, an invite or
// setup token) or has IAM write for an invitee (a new console password, a
// new MFA device). The per-operator and per-invite limits in the database stop
// guessing against one account; this stops one address from spraying many.
const ipLimitPerMinute = 20

// ipLimits returns the per-IP limiter of each rate-limited route, keyed by
// "METHOD pattern". Each route has its own counter.
//
// The client IP is the TCP peer, or behind the reverse proxies named in
// Deps.TrustedProxies (PORTAL_TRUSTED_PROXIES) the address they report in
// X-Forwarded-For; a client's own X-Forwarded-For is never believed.
func (s *Server) ipLimits() map[string]func(http.Handler) http.Handler {
	out := map[string]func(http.Handler) http.Handler{}
	for _, route := range []string{"POST /signin", "POST /setup/{token}", "POST /join/{token}", "POST /invite/{token}", "POST /enroll/mfa",
		"POST /enroll/password", "POST /enroll/mfa/start"} {
		out[route] = httprate.LimitBy(ipLimitPerMinute, time.Minute, clientIPKey, httprate.WithLimitHandler(s.tooManyRequests))
	}
	return out
}

// clientIPKey keys a rate limit by the client's IP address.
func clientIPKey(r *http.Request) (string, error) {
	return httprate.CanonicalizeIP(middleware.GetClientIP(r.Context())), nil
}

// tooManyRequests answers a request over its per-IP limit. httprate has
// set the Retry-After header (seconds, the window's length); the message
// says the same wait in whole minutes.
func (s *Server) tooManyRequests(w http.ResponseWriter, r *http.Request) {
	wait := time.Minute
	if secs, err := strconv.Atoi(w.Header().Get("Retry-After")); err == nil && secs > 0 {
		wait = time.Duration(secs) * time.Second
	}
	now := s.Now()
	s.fail(w, r, portal.E(portal.ETOOMANY, "err.ratelimit", portal.WaitMinutes(now, now.Add(wait))), "")
}
