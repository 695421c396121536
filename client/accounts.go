package client

import (
	"context"
	"time"
)

// The AWS accounts Gatehouse manages (admins): the hub and the member
// accounts it reaches by assuming a role.

// Account is a managed AWS account, as the accounts pages show it to
// admins (never a credential of its role).
type Account struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Hub        bool   `json:"hub"`
	RoleARN    string `json:"role_arn"`
	ExternalID string `json:"external_id"`
	// Status is "reachable", "unreachable" or "" (never checked); Reason
	// says in words why it cannot be reached.
	Status    string    `json:"status"`
	Reason    string    `json:"reason"`
	CheckedAt time.Time `json:"checked_at"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// AccountPage is a page of accounts, by ID.
type AccountPage struct {
	Accounts []Account `json:"accounts"`
	Next     string    `json:"next"`
}

// ListAccounts lists the managed accounts by ID.
func (c *Client) ListAccounts(ctx context.Context, p Page) (*AccountPage, error) {
	var out AccountPage
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/accounts", query: p.query()}, &out, nil)
}

// NewAccount is a member account to add: its 12-digit ID, a name, the role
// to assume ("" for GatehouseAdmin) and the external ID its trust policy
// requires.
type NewAccount struct {
	AccountID  string `json:"account_id"`
	Name       string `json:"name,omitempty"`
	RoleARN    string `json:"role_arn,omitempty"`
	ExternalID string `json:"external_id,omitempty"`
}

type accountAnswer struct {
	Account Account `json:"account"`
}

// AddAccount adds a member account and checks it at once. Bad input is an
// error naming the field, and nothing is kept; an account whose role
// cannot be assumed is kept and returned with Status "unreachable" and the
// Reason.
func (c *Client) AddAccount(ctx context.Context, in NewAccount, opts ...Option) (*Account, error) {
	var out accountAnswer
	err := c.do(ctx, call{method: "POST", path: "/api/v1/accounts", body: in}, &out, opts)
	return &out.Account, err
}

// GetAccount returns one managed account.
func (c *Client) GetAccount(ctx context.Context, id string) (*Account, error) {
	var out accountAnswer
	err := c.do(ctx, call{method: "GET", path: "/api/v1/accounts/{id}", params: []string{id}}, &out, nil)
	return &out.Account, err
}

// AccountSettings are an account's new name, role ARN ("" for
// GatehouseAdmin) and external ID: the whole setting, as the edit form.
type AccountSettings struct {
	Name       string `json:"name"`
	RoleARN    string `json:"role_arn"`
	ExternalID string `json:"external_id"`
}

// EditAccount changes an account's settings. New role settings are
// checked at once; when they do not reach the account the error says why
// and the old settings stay.
func (c *Client) EditAccount(ctx context.Context, id string, in AccountSettings, opts ...Option) (*Account, error) {
	var out accountAnswer
	err := c.do(ctx, call{method: "POST", path: "/api/v1/accounts/{id}/edit", params: []string{id}, body: in}, &out, opts)
	return &out.Account, err
}

// CheckAccount checks an account again and returns it with the outcome.
func (c *Client) CheckAccount(ctx context.Context, id string, opts ...Option) (*Account, error) {
	var out accountAnswer
	err := c.do(ctx, call{method: "POST", path: "/api/v1/accounts/{id}/check", params: []string{id}}, &out, opts)
	return &out.Account, err
}

// RemoveAccount forgets a member account without users recorded.
func (c *Client) RemoveAccount(ctx context.Context, id string, opts ...Option) error {
	return c.do(ctx, call{method: "POST", path: "/api/v1/accounts/{id}/remove", params: []string{id}}, nil, opts)
}

// DiscoveredAccount is an account of the organization not managed yet.
type DiscoveredAccount struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// DiscoverAccounts lists the active accounts of the hub's AWS Organization
// that Gatehouse does not manage yet.
func (c *Client) DiscoverAccounts(ctx context.Context, opts ...Option) ([]DiscoveredAccount, error) {
	var out struct {
		Accounts []DiscoveredAccount `json:"accounts"`
	}
	err := c.do(ctx, call{method: "POST", path: "/api/v1/accounts/discover"}, &out, opts)
	return out.Accounts, err
}
