package handlers_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/store"
)

// mintOperator stores an operator with role directly (no sign-in flow):
// the authorization tests are about what a role may do, not how it signs in.
func (e *env) mintOperator(name string, role portal.Role) *portal.Operator {
	e.t.Helper()
	op := &portal.Operator{Username: name, PasswordHash: "unused", TOTPSecretEnc: []byte{0}, Role: role, CreatedAt: e.clock()}
	if err := e.store.CreateOperator(context.Background(), op); err != nil {
		e.t.Fatal(err)
	}
	return op
}

// sessionFor opens a fresh session for op and returns its cookie value.
func (e *env) sessionFor(op *portal.Operator) string {
	e.t.Helper()
	token, hash := portal.NewToken()
	now := e.clock()
	if err := e.store.CreateSession(context.Background(), &portal.Session{IDHash: hash, OperatorID: op.ID, CreatedAt: now,
		LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		e.t.Fatal(err)
	}
	return token
}

// apiTokenFor stores a fresh API token for op, valid for a day (minted
// operators have no password or authenticator to re-prove at the form).
func (e *env) apiTokenFor(op *portal.Operator) string {
	e.t.Helper()
	raw, _ := portal.NewToken()
	token := auth.APITokenPrefix + raw
	now := e.clock()
	if err := e.store.CreateAPIToken(context.Background(), &store.APIToken{OperatorID: op.ID, Name: "test", TokenHash: portal.HashToken(token),
		CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
		e.t.Fatal(err)
	}
	return token
}

// raw sends one request without a cookie jar or redirects; prep adds
// credentials and headers.
func (e *env) raw(method, path, body string, prep func(*http.Request)) *http.Response {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if prep != nil {
		prep(req)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// withSession adds an operator session cookie.
func withSession(token string) func(*http.Request) {
	return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "gh_session", Value: token}) }
}

// withBearer adds an API token.
func withBearer(token string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

// signIn signs in through the form with a fresh client.
func (e *env) signIn(username, password, secret string, at time.Time) (*client, *page) {
	e.t.Helper()
	c := e.newClient()
	p := c.post("/signin", map[string][]string{"username": {username}, "password": {password}, "code": {code(e.t, secret, at)}})
	return c, p
}
