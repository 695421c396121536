package client

import (
	"context"
	"strconv"
	"time"
)

// Operators and API tokens (admins; ListTokens and RevokeToken are the caller's own).

// Operator is an operator of the portal; Role is admin, helpdesk or
// auditor.
type Operator struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	Role      string    `json:"role"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

// OperatorPage is a page of operators.
type OperatorPage struct {
	Operators []Operator `json:"operators"`
	Next      string     `json:"next"`
}

// ListOperators lists the operators by ID.
func (c *Client) ListOperators(ctx context.Context, p Page) (*OperatorPage, error) {
	var out OperatorPage
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/operators", query: p.query()}, &out, nil)
}

// JoinLink is an operator's one-time join link (an invite or an
// authenticator reset); empty in a replayed answer.
type JoinLink struct {
	Username string `json:"username"`
	JoinURL  string `json:"join_url"`
}

// InviteOperator invites a new operator with a role.
func (c *Client) InviteOperator(ctx context.Context, username, role string, opts ...Option) (*JoinLink, error) {
	var out JoinLink
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/operators", body: map[string]string{"username": username, "role": role}}, &out, opts)
}

// OperatorInvite is a pending operator invite.
type OperatorInvite struct {
	Username  string    `json:"username"`
	Role      string    `json:"role"`
	InvitedBy string    `json:"invited_by"`
	ExpiresAt time.Time `json:"expires_at"`
}

// OperatorInvitePage is a page of pending operator invites.
type OperatorInvitePage struct {
	Invites []OperatorInvite `json:"invites"`
	Next    string           `json:"next"`
}

// ListOperatorInvites lists pending operator invites by user name.
func (c *Client) ListOperatorInvites(ctx context.Context, p Page) (*OperatorInvitePage, error) {
	var out OperatorInvitePage
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/operators/invites", query: p.query()}, &out, nil)
}

// RevokeOperatorInvite ends a pending operator invite.
func (c *Client) RevokeOperatorInvite(ctx context.Context, username string, opts ...Option) error {
	return c.do(ctx, call{method: "POST", path: "/api/v1/operators/invites/{name}/revoke", params: []string{username}}, nil, opts)
}

type operatorAnswer struct {
	Operator Operator `json:"operator"`
}

func (c *Client) operatorCall(ctx context.Context, path string, id int64, body any, opts []Option) (*Operator, error) {
	var out operatorAnswer
	err := c.do(ctx, call{method: "POST", path: path, params: []string{strconv.FormatInt(id, 10)}, body: body}, &out, opts)
	return &out.Operator, err
}

// ChangeOperatorRole gives an operator another role.
func (c *Client) ChangeOperatorRole(ctx context.Context, id int64, role string, opts ...Option) (*Operator, error) {
	return c.operatorCall(ctx, "/api/v1/operators/{id}/role", id, map[string]string{"role": role}, opts)
}

// DisableOperator stops an operator; their sessions and tokens stop
// working.
func (c *Client) DisableOperator(ctx context.Context, id int64, opts ...Option) (*Operator, error) {
	return c.operatorCall(ctx, "/api/v1/operators/{id}/disable", id, nil, opts)
}

// EnableOperator lets a disabled operator in again.
func (c *Client) EnableOperator(ctx context.Context, id int64, opts ...Option) (*Operator, error) {
	return c.operatorCall(ctx, "/api/v1/operators/{id}/enable", id, nil, opts)
}

// ResetOperatorTOTP revokes an operator's authenticator and tokens; reason
// is required. The link enrolls a new authenticator.
func (c *Client) ResetOperatorTOTP(ctx context.Context, id int64, reason string, opts ...Option) (*JoinLink, error) {
	var out JoinLink
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/operators/{id}/reset-totp", params: []string{strconv.FormatInt(id, 10)},
		body: map[string]string{"reason": reason}}, &out, opts)
}

// Token is an API token as listed (never its value).
type Token struct {
	ID         int64     `json:"id"`
	Operator   string    `json:"operator"`
	Name       string    `json:"name"`
	Kind       string    `json:"kind"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	RevokedAt  time.Time `json:"revoked_at"`
	Expired    bool      `json:"expired"`
}

// TokenPage is a page of tokens.
type TokenPage struct {
	Tokens []Token `json:"tokens"`
	Next   string  `json:"next"`
}

// ListAllTokens lists every operator's API tokens (admins).
func (c *Client) ListAllTokens(ctx context.Context, p Page) (*TokenPage, error) {
	var out TokenPage
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/operators/tokens", query: p.query()}, &out, nil)
}

// RevokeAnyToken revokes any operator's API token (admins).
func (c *Client) RevokeAnyToken(ctx context.Context, id int64, opts ...Option) error {
	return c.do(ctx, call{method: "POST", path: "/api/v1/operators/tokens/{id}/revoke", params: []string{strconv.FormatInt(id, 10)}}, nil, opts)
}

// ListTokens lists the calling operator's own API tokens.
func (c *Client) ListTokens(ctx context.Context, p Page) (*TokenPage, error) {
	var out TokenPage
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/tokens", query: p.query()}, &out, nil)
}

// RevokeToken revokes one of the calling operator's own tokens.
func (c *Client) RevokeToken(ctx context.Context, id int64, opts ...Option) error {
	return c.do(ctx, call{method: "POST", path: "/api/v1/tokens/{id}/revoke", params: []string{strconv.FormatInt(id, 10)}}, nil, opts)
}
