// Package client is a Go client of Gatehouse's JSON API (/api/v1), written
// against its OpenAPI document (served at /api/v1/openapi.json; its source
// is handlers/openapi.yaml in this module). Every method is one operation
// of the document, and a test holds the two to each other.
//
//	c := client.New("https://gatehouse.example", os.Getenv("GATEHOUSE_TOKEN"))
//	inv, err := c.CreateUser(ctx, client.NewUser{UserName: "alice", Email: "alice@example.com"},
//		client.WithIdempotencyKey(uuid))
//
// An error answer comes back as *Error, the API's problem detail: branch on
// its Code and Field.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Client calls one Gatehouse as the operator whose API token it holds.
type Client struct {
	// BaseURL is the portal's address, such as https://gatehouse.example.
	BaseURL string
	// Token is an API token of kind api (gh_…).
	Token string
	// HTTP sends the requests; http.DefaultClient when nil.
	HTTP *http.Client
}

// New returns a client of the portal at baseURL using token.
func New(baseURL, token string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Token: token}
}

// Error is an error answer: an RFC 9457 problem detail.
type Error struct {
	// Status is the HTTP status.
	Status int    `json:"status"`
	Type   string `json:"type"`
	Title  string `json:"title"`
	// Detail is the message for people, in the language of the request's
	// Accept-Language.
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
	// Code is the stable error code (invalid, unauthorized, forbidden,
	// not_found, conflict, gone, too_many_requests, too_large,
	// unavailable, internal).
	Code string `json:"code"`
	// Field names the input at fault, when there is one.
	Field string `json:"field"`
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("gatehouse: %d %s (%s): %s", e.Status, e.Code, e.Field, e.Detail)
	}
	return fmt.Sprintf("gatehouse: %d %s: %s", e.Status, e.Code, e.Detail)
}

// ErrorCode returns the problem code of err ("" when err is not an answer
// of the API).
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Option changes one request.
type Option func(*http.Request)

// WithIdempotencyKey makes a POST safe to retry: the same key with the same
// request gets the first answer again instead of acting twice.
func WithIdempotencyKey(key string) Option {
	return func(r *http.Request) { r.Header.Set("Idempotency-Key", key) }
}

// WithLanguage asks for error messages in lang ("en" or "ja").
func WithLanguage(lang string) Option {
	return func(r *http.Request) { r.Header.Set("Accept-Language", lang) }
}

// WithAccount asks about, or acts in, the AWS account id (12 digits) where
// an operation is per account (the policy, the posture, the abandoned
// devices); without it such an operation is about the hub account. With
// ListUsers it lists that account's users only.
func WithAccount(id string) Option {
	return func(r *http.Request) {
		q := r.URL.Query()
		q.Set("account", id)
		r.URL.RawQuery = q.Encode()
	}
}

// GroupedByEmail makes ListUsers list only the users with an e-mail
// address, ordered by it (ignoring case), then by name and account: one
// person's IAM users in several accounts come together. A page ends before
// a group it would cut, unless that group fills the page.
func GroupedByEmail() Option {
	return func(r *http.Request) {
		q := r.URL.Query()
		q.Set("group", "email")
		r.URL.RawQuery = q.Encode()
	}
}

// Page asks for one page of a list: at most Limit items (0: the server's
// default, 50) after the cursor After (the Next of the page before).
type Page struct {
	Limit int
	After string
}

func (p Page) query() url.Values {
	q := url.Values{}
	if p.Limit != 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.After != "" {
		q.Set("after", p.After)
	}
	return q
}

// call is one request: the operation (method and path template of the
// OpenAPI document), the template's parameters in order, the query, and
// the body (JSON unless it is raw).
type call struct {
	method, path string
	params       []string
	query        url.Values
	body         any
	raw          []byte
	rawType      string
}

// do sends c and decodes a 2xx answer into out (when not nil).
func (cl *Client) do(ctx context.Context, c call, out any, opts []Option) error {
	path := c.path
	for _, p := range c.params {
		i, j := strings.IndexByte(path, '{'), strings.IndexByte(path, '}')
		if i < 0 || j < i {
			return fmt.Errorf("gatehouse client: too many parameters for %s", c.path)
		}
		path = path[:i] + url.PathEscape(p) + path[j+1:]
	}
	u := cl.BaseURL + path
	if len(c.query) > 0 {
		u += "?" + c.query.Encode()
	}
	var body io.Reader
	contentType := ""
	switch {
	case c.raw != nil:
		body, contentType = bytes.NewReader(c.raw), c.rawType
	case c.body != nil:
		b, err := json.Marshal(c.body)
		if err != nil {
			return err
		}
		body, contentType = bytes.NewReader(b), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u, body)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+cl.Token)
	for _, o := range opts {
		o(req)
	}
	hc := cl.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		e := &Error{Status: resp.StatusCode}
		if json.Unmarshal(b, e) != nil || e.Code == "" {
			e.Code, e.Detail = "internal", strings.TrimSpace(string(b))
		}
		e.Status = resp.StatusCode
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("gatehouse client: %s %s: unreadable answer: %w", c.method, path, err)
	}
	return nil
}
