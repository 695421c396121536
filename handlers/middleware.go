package handlers

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/web"
)

type ctxKey int

const (
	operatorKey ctxKey = iota
	sessionErrKey
	scimTokenKey // the SCIM token of a /scim/ request (*store.APIToken)
)

// withOperator returns ctx with op as the signed-in operator: for the page
// that answers the request which signed op in.
func withOperator(ctx context.Context, op *portal.Operator) context.Context {
	return context.WithValue(ctx, operatorKey, op)
}

// operatorFrom returns the signed-in operator of a request, or nil.
func operatorFrom(ctx context.Context) *portal.Operator {
	op, _ := ctx.Value(operatorKey).(*portal.Operator)
	return op
}

// sessionErrFrom returns why the request's session or token could not be
// looked up (the database failed), or nil when it was looked up — whether
// or not it was valid. For the API it is also why a token was refused.
func sessionErrFrom(ctx context.Context) error {
	err, _ := ctx.Value(sessionErrKey).(error)
	return err
}

// requestID returns the request's ID (set by chi's RequestID middleware).
func requestID(r *http.Request) string { return middleware.GetReqID(r.Context()) }

// securityHeaders sets the headers every response carries. The CSP allows
// no inline script; QR codes are data: images.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// Invite links carry their token in the URL: never leak it in a
		// Referer header. The same policy everywhere is simplest.
		h.Set("Referrer-Policy", "no-referrer")
		// No page is cacheable: many show a secret once (a setup or TOTP
		// seed, a console password, an invite or join link, an API token,
		// recovery codes) and the rest show account data. Setting it here,
		// for every response, means no page that shows a secret can forget
		// it. Static assets set their own (immutable, content-hashed).
		h.Set("Cache-Control", "no-store")
		if r.TLS != nil || s.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// logRequests logs one line per request with its request ID. URLs of
// invite and setup links are logged without their token.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		s.Logger.InfoContext(r.Context(), "http request", "method", r.Method, "path", redactPath(r.URL.Path),
			"status", ww.Status(), "duration_ms", time.Since(start).Milliseconds(), "request_id", requestID(r))
	})
}

// redactPath hides the token segment of /invite/{token}, /setup/{token}
// and /join/{token}.
func redactPath(p string) string {
	for _, prefix := range []string{"/invite/", "/setup/", "/join/"} {
		if len(p) > len(prefix) && p[:len(prefix)] == prefix {
			return prefix + "…"
		}
	}
	return p
}

// language picks the page language: ?lang= (remembered in a cookie), the
// cookie, then Accept-Language.
func (s *Server) language(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := web.MatchAcceptLanguage(r.Header.Get("Accept-Language"))
		if c, err := r.Cookie("gh_lang"); err == nil {
			if l, ok := web.ParseLang(c.Value); ok {
				lang = l
			}
		}
		if l, ok := web.ParseLang(r.URL.Query().Get("lang")); ok {
			lang = l
			http.SetCookie(w, &http.Cookie{Name: "gh_lang", Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
		}
		next.ServeHTTP(w, r.WithContext(web.WithLang(r.Context(), lang)))
	})
}

// isAPI reports whether r is a JSON API request.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// loadOperator puts the signed-in operator, if any, into the context. The
// JSON API authenticates only by bearer token and the pages only by session
// cookie, so a browser's cookie can never drive the API. A lookup that
// failed (the database, not the credentials) is kept as well: guard answers
// it with 503 "try again", never with a sign-in page — the session is
// probably fine. An API client is also told why its token was refused
// (expired, revoked, not for this API), since it holds the token.
func (s *Server) loadOperator(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var op *portal.Operator
		var err error
		ctx := r.Context()
		if isSCIM(r) {
			ctx, op, err = s.authenticateSCIM(ctx, r)
			r = r.WithContext(ctx)
		} else if isAPI(r) {
			if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
				op, err = s.Auth.AuthenticateToken(r.Context(), strings.TrimSpace(token))
			}
		} else if c, cerr := r.Cookie(s.sessionCookie()); cerr == nil && c.Value != "" {
			op, err = s.Auth.Authenticate(r.Context(), c.Value)
		}
		switch {
		case err == nil && op != nil:
			r = r.WithContext(withOperator(r.Context(), op))
		case err != nil && (isAPI(r) || isSCIM(r) || portal.ErrorCode(err) != portal.EUNAUTHORIZED):
			r = r.WithContext(context.WithValue(r.Context(), sessionErrKey, err))
		}
		next.ServeHTTP(w, r)
	})
}

// sessionCookie is the operator session cookie's name. The __Host- prefix
// (Secure, Path=/, no Domain) is used whenever cookies are Secure.
func (s *Server) sessionCookie() string {
	if s.SecureCookies {
		return "__Host-gh_session"
	}
	return "gh_session"
}

// claimCookie is the invitee's setup-session cookie's name.
func (s *Server) claimCookie() string {
	if s.SecureCookies {
		return "__Host-gh_claim"
	}
	return "gh_claim"
}

// setCookie sets an HttpOnly, SameSite=Lax session cookie (maxAge < 0
// deletes it).
func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// actor is the signed-in operator as an onboarding actor.
func actor(r *http.Request) onboarding.Actor {
	return onboarding.Actor{Name: operatorFrom(r.Context()).Username, RequestID: requestID(r)}
}
