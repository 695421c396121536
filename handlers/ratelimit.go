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
// setup token). The per-operator and per-invite limits in the database stop
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
	for _, route := range []string{"POST /signin", "POST /setup/{token}", "POST /join/{token}", "POST /invite/{token}", "POST /enroll/mfa"} {
		out[route] = httprate.LimitBy(ipLimitPerMinute, time.Minute, clientIPKey, httprate.WithLimitHandler(s.tooManyRequests))
	}
	return out
}

// clientIPKey keys a rate limit by the client's IP address.
func clientIPKey(r *http.Request) (string, error) {
	return httprate.CanonicalizeIP(middleware.GetClientIP(r.Context())), nil
}

// tooManyRequests answers a request over its per-IP limit.
func (s *Server) tooManyRequests(w http.ResponseWriter, r *http.Request) {
	retry := s.Now().Add(time.Minute).UTC().Format("15:04")
	s.fail(w, r, portal.Errorf(portal.ETOOMANY, "Too many attempts from your network. Try again at %s (UTC).", retry), "")
}

// limitedMFASubmit puts the per-invite brute-force limit around MFA code
// entry: at most auth.MaxFailures rejected code pairs per invite within
// auth.FailureWindow, then 429 with the time to try again. The codes'
// check itself stays in onboarding; a 422 from it is a failed attempt.
func (s *Server) limitedMFASubmit(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(s.claimCookie())
	if err != nil || c.Value == "" {
		s.mfaSubmit(w, r) // renders the missing-session error
		return
	}
	cs, _, err := s.Onboarding.ClaimSession(r.Context(), c.Value)
	if err != nil {
		s.mfaSubmit(w, r)
		return
	}
	subject := "invite:" + strconv.FormatInt(cs.InviteID, 10)
	if err := s.Auth.Throttle().Check(r.Context(), subject); err != nil {
		s.fail(w, r, err, "")
		return
	}
	ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
	s.mfaSubmit(ww, r)
	if ww.Status() == http.StatusUnprocessableEntity {
		if err := s.Auth.Throttle().Fail(r.Context(), subject); err != nil {
			s.Logger.ErrorContext(r.Context(), "record failed MFA attempt", "err", err)
		}
	}
}
