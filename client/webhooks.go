package client

import (
	"context"
	"strconv"
	"time"
)

// Webhook endpoints and their delivery logs (admins).

// Webhook is a registered webhook endpoint (never its signing secret).
type Webhook struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	Enabled   bool      `json:"enabled"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// WebhookPage is a page of endpoints, by ID.
type WebhookPage struct {
	Webhooks []Webhook `json:"webhooks"`
	Next     string    `json:"next"`
}

// ListWebhooks lists the registered endpoints by ID.
func (c *Client) ListWebhooks(ctx context.Context, p Page) (*WebhookPage, error) {
	var out WebhookPage
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/webhooks", query: p.query()}, &out, nil)
}

// NewWebhook is a registration: the endpoint's URL (https://, on the
// internet) and the event types it wants.
type NewWebhook struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// RegisteredWebhook is the answer to CreateWebhook. Secret is the signing
// secret (whsec_…), in this answer only: keep it, it is never shown again,
// and it is empty in an answer replayed for an Idempotency-Key.
type RegisteredWebhook struct {
	Webhook Webhook `json:"webhook"`
	Secret  string  `json:"secret"`
}

// CreateWebhook registers an endpoint for some events.
func (c *Client) CreateWebhook(ctx context.Context, in NewWebhook, opts ...Option) (*RegisteredWebhook, error) {
	var out RegisteredWebhook
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/webhooks", body: in}, &out, opts)
}

type webhookAnswer struct {
	Webhook Webhook `json:"webhook"`
}

// GetWebhook returns one endpoint.
func (c *Client) GetWebhook(ctx context.Context, id int64) (*Webhook, error) {
	var out webhookAnswer
	err := c.do(ctx, call{method: "GET", path: "/api/v1/webhooks/{id}", params: []string{strconv.FormatInt(id, 10)}}, &out, nil)
	return &out.Webhook, err
}

// DisableWebhook stops an endpoint's deliveries; those still queued are
// given up.
func (c *Client) DisableWebhook(ctx context.Context, id int64, opts ...Option) (*Webhook, error) {
	var out webhookAnswer
	err := c.do(ctx, call{method: "POST", path: "/api/v1/webhooks/{id}/disable", params: []string{strconv.FormatInt(id, 10)}}, &out, opts)
	return &out.Webhook, err
}

// EnableWebhook turns a disabled endpoint's deliveries on again.
func (c *Client) EnableWebhook(ctx context.Context, id int64, opts ...Option) (*Webhook, error) {
	var out webhookAnswer
	err := c.do(ctx, call{method: "POST", path: "/api/v1/webhooks/{id}/enable", params: []string{strconv.FormatInt(id, 10)}}, &out, opts)
	return &out.Webhook, err
}

// DeleteWebhook deletes an endpoint and its delivery log.
func (c *Client) DeleteWebhook(ctx context.Context, id int64, opts ...Option) error {
	return c.do(ctx, call{method: "POST", path: "/api/v1/webhooks/{id}/delete", params: []string{strconv.FormatInt(id, 10)}}, nil, opts)
}

// ResendWebhookDelivery queues a delivery of an endpoint to be sent again,
// with the same webhook-id and body; a disabled endpoint is a conflict.
func (c *Client) ResendWebhookDelivery(ctx context.Context, endpointID, deliveryID int64, opts ...Option) error {
	return c.do(ctx, call{method: "POST", path: "/api/v1/webhooks/{id}/deliveries/{delivery}/resend",
		params: []string{strconv.FormatInt(endpointID, 10), strconv.FormatInt(deliveryID, 10)}}, nil, opts)
}

// Delivery is one webhook delivery of an endpoint's log.
type Delivery struct {
	ID          int64     `json:"id"`
	WebhookID   string    `json:"webhook_id"`
	Event       string    `json:"event"`
	Subject     string    `json:"subject"`
	AccountID   string    `json:"account_id"` // the IAM user's AWS account; "" for a bulk job or the policy
	EventAt     time.Time `json:"event_at"`
	Attempts    int       `json:"attempts"`
	StatusCode  int       `json:"status_code"`
	LastError   string    `json:"last_error"`
	DeliveredAt time.Time `json:"delivered_at"`
}

// DeliveryPage is a page of deliveries, newest first.
type DeliveryPage struct {
	Deliveries []Delivery `json:"deliveries"`
	Next       string     `json:"next"`
}

// ListWebhookDeliveries returns a page of a webhook endpoint's delivery
// log (admins).
func (c *Client) ListWebhookDeliveries(ctx context.Context, endpointID int64, p Page) (*DeliveryPage, error) {
	var out DeliveryPage
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/webhooks/{id}/deliveries", params: []string{strconv.FormatInt(endpointID, 10)}, query: p.query()}, &out, nil)
}
