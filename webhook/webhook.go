// Package webhook sends Gatehouse's events to the HTTPS endpoints admins
// registered, signed the Standard Webhooks way (docs/webhooks.md).
//
// Design. The store writes a delivery and its durable job in the same
// transaction as the audit event that announces it (an outbox), so an event
// is never lost between the two; the job runner sends it (Deliver) with
// retries and exponential back-off. Every attempt and a re-send carry the
// same webhook-id and body, freshly timestamped and signed, so a receiver
// can refuse replays and drop duplicates.
//
// Requests go out through a client that follows no redirect, has a
// per-request timeout, ignores proxy settings, and refuses at dial time any
// address that is loopback, private, link-local or otherwise not on the
// internet (loopback only is allowed in test mode). Checking when the
// connection is made, not only when the URL is registered, is what stops
// a name that later resolves inside the network (DNS rebinding).
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/audit"
	"github.com/gatehouse/portal/store"
)

// Box seals the signing secrets with the portal key (auth.Box).
type Box interface {
	Seal(plain []byte) []byte
	Open(sealed []byte) ([]byte, error)
}

// Config configures a Service.
type Config struct {
	Store *store.Store
	Box   Box
	// Account is the hub's AWS account ID: the payloads name it for events
	// about no account, and for user deliveries queued before deliveries
	// named their account.
	Account string
	// TestMode also allows http:// URLs and connections to loopback
	// addresses (127.0.0.1, ::1, localhost), so tests and a local trial can
	// use a receiver on the same machine. Private and link-local addresses
	// stay refused.
	TestMode bool
	// Timeout bounds one request (default 10 s).
	Timeout time.Duration
	// Attempts is how many times a delivery is tried before it is given up
	// (default 5); an admin can re-send it.
	Attempts int
	// Backoff is the wait before the first retry (default 30 s); each
	// further retry waits twice as long.
	Backoff time.Duration
	// Wake tells the local job runner a job was queued (a re-send).
	Wake   func()
	Logger *slog.Logger
	Now    func() time.Time
}

// Service registers endpoints and delivers events to them.
type Service struct {
	cfg    Config
	client *http.Client
	audit  *audit.Log
}

// Actor says who asks for a change, for the audit log.
type Actor struct {
	Name      string
	RequestID string
}

// New checks cfg and returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Box == nil {
		return nil, errors.New("webhook: Store and Box are required")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 5
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 30 * time.Second
	}
	if cfg.Wake == nil {
		cfg.Wake = func() {}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg, client: newClient(cfg.Timeout, cfg.TestMode), audit: audit.New(cfg.Store, cfg.Logger, cfg.Now)}, nil
}

// TestMode reports whether local receivers are allowed.
func (s *Service) TestMode() bool { return s.cfg.TestMode }

// NewSecret returns a fresh signing secret: "whsec_" and 24 random bytes in
// base64, the Standard Webhooks form.
func NewSecret() string {
	b := make([]byte, 24)
	rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// secretKey returns the HMAC key of a "whsec_" secret: its base64 part
// decoded.
func secretKey(secret string) ([]byte, error) {
	if len(secret) < 6 || secret[:6] != "whsec_" {
		return nil, errors.New("webhook: a secret starts with whsec_")
	}
	return base64.StdEncoding.DecodeString(secret[6:])
}

// Sign returns the webhook-signature header value for a message: "v1,"
// and the base64 HMAC-SHA256, keyed with the secret, of
// "<webhook-id>.<webhook-timestamp>.<body>".
func Sign(secret, msgID string, at time.Time, body []byte) (string, error) {
	key, err := secretKey(secret)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msgID + "." + strconv.FormatInt(at.Unix(), 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// audit records an event about an endpoint.
func (s *Service) record(ctx context.Context, a Actor, action string, endpointID int64, detail portal.Text) {
	s.audit.Record(ctx, portal.AuditEvent{Actor: a.Name, Action: action, TargetKind: portal.TargetWebhook,
		Target: strconv.FormatInt(endpointID, 10), Text: detail, RequestID: a.RequestID})
}
