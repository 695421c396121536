package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"syscall"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// Payload is the JSON body of every delivery. It names who and what, never
// a secret: no password, invite link or token, TOTP seed or access key.
type Payload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      Data      `json:"data"`
}

// Data is what an event is about.
type Data struct {
	// Account is the AWS account the event happened in: the IAM user's
	// for an event about a user, the hub's otherwise.
	Account string `json:"account"`
	Actor   string `json:"actor,omitempty"`
	User    *User  `json:"user,omitempty"`
	Job     *Job   `json:"job,omitempty"`
	Policy  string `json:"policy,omitempty"`
}

// User is the IAM user an event is about, as it was at the event.
type User struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name,omitempty"`
	State       string `json:"state,omitempty"`
}

// Job is the bulk onboarding job a bulk.finished event is about.
type Job struct {
	ID     int64 `json:"id"`
	Done   int   `json:"done"`
	Failed int   `json:"failed"`
}

// Body returns the payload of a delivery: always the same bytes for the
// same delivery, so every attempt and a re-send carry the same message.
func (s *Service) Body(d *store.WebhookDelivery) []byte {
	// The account of the event's IAM user; the hub's for an event about no
	// account (a bulk job, the policy) and for a user delivery queued
	// before deliveries named their account.
	account := d.AccountID
	if account == "" {
		account = s.cfg.Account
	}
	p := Payload{Type: d.Event, Timestamp: d.EventAt.UTC(), Data: Data{Account: account, Actor: d.Actor}}
	switch d.SubjectKind {
	case portal.TargetUser:
		p.Data.User = &User{Name: d.Subject, DisplayName: d.DisplayName, State: d.State}
	case portal.TargetJob:
		id, _ := strconv.ParseInt(d.Subject, 10, 64)
		p.Data.Job = &Job{ID: id, Done: d.Done, Failed: d.Failed}
	case portal.TargetPolicy:
		p.Data.Policy = d.Subject
	}
	b, _ := json.Marshal(p) // plain structs of strings and numbers: cannot fail
	return b
}

// Deliver makes attempt number attempt (from 1) at delivery id, and says
// how long to wait before the next one (0: none, it was delivered or given
// up). A delivery whose endpoint is gone or disabled ends at once.
func (s *Service) Deliver(ctx context.Context, id int64, attempt int) (time.Duration, error) {
	d, err := s.cfg.Store.FindWebhookDelivery(ctx, id)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return 0, nil // its endpoint was deleted, with its log
	}
	if err != nil {
		return s.cfg.Backoff, err
	}
	ep, err := s.cfg.Store.FindWebhookEndpoint(ctx, d.EndpointID)
	if err != nil {
		return s.cfg.Backoff, err
	}
	now := s.cfg.Now()
	if !ep.Enabled {
		return 0, s.cfg.Store.RecordWebhookAttempt(ctx, id, 0, portal.T("webhook.err.disabled"), false, now)
	}
	status, why := s.send(ctx, ep, d, now)
	ok := why.Key == ""
	if err := s.cfg.Store.RecordWebhookAttempt(ctx, id, status, why, ok, s.cfg.Now()); err != nil {
		return s.cfg.Backoff, err
	}
	if ok {
		return 0, nil
	}
	failed := portal.E(portal.EUNAVAILABLE, why.Key, why.Args...)
	if attempt >= s.cfg.Attempts {
		s.cfg.Logger.WarnContext(ctx, "webhook delivery given up", "delivery", id, "endpoint", ep.ID, "attempts", attempt)
		return 0, failed
	}
	return s.cfg.Backoff << min(attempt-1, 10), failed
}

// send makes one request and returns the answer's status and, when it was
// not a 2xx, why in words (the zero Text on success).
func (s *Service) send(ctx context.Context, ep *store.WebhookEndpoint, d *store.WebhookDelivery, now time.Time) (int, portal.Text) {
	plain, err := s.cfg.Box.Open(ep.SecretSealed)
	if err != nil {
		return 0, portal.T("webhook.err.secret")
	}
	body := s.Body(d)
	sig, err := Sign(string(plain), d.MsgID, now, body)
	if err != nil {
		return 0, portal.T("webhook.err.secret")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return 0, portal.T("webhook.err.connect")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Gatehouse-Webhooks/1")
	req.Header.Set("webhook-id", d.MsgID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, explain(err, s.cfg.Timeout)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return resp.StatusCode, portal.Text{}
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return resp.StatusCode, portal.T("webhook.err.redirect", resp.StatusCode)
	}
	return resp.StatusCode, portal.T("webhook.err.status", resp.StatusCode)
}

// errRefused is the dialer's refusal of an address not on the internet.
var errRefused = errors.New("webhook: address refused")

// explain says in words why a request got no answer.
func explain(err error, timeout time.Duration) portal.Text {
	var ne net.Error
	switch {
	case errors.Is(err, errRefused):
		return portal.T("webhook.err.private")
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return portal.T("webhook.err.timeout", timeout.String())
	}
	return portal.T("webhook.err.connect")
}

// newClient returns the client deliveries go through: no redirects, no
// proxy, a timeout per request, and the address rule checked on every
// connection it dials.
func newClient(timeout time.Duration, testMode bool) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return errRefused
		}
		ip, err := netip.ParseAddr(host)
		if err != nil || !allowedAddr(ip, testMode) {
			return errRefused
		}
		return nil
	}}
	transport := &http.Transport{Proxy: nil, DialContext: dialer.DialContext, TLSHandshakeTimeout: timeout,
		ResponseHeaderTimeout: timeout, MaxIdleConnsPerHost: 2, IdleConnTimeout: 90 * time.Second}
	return &http.Client{Transport: transport, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// notInternet are the prefixes beyond the standard library's predicates
// that never reach a receiver on the internet: "this network", shared
// address space (carrier-grade NAT), IETF protocol assignments,
// benchmarking, and the reserved and broadcast block.
var notInternet = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// allowedAddr reports whether deliveries may connect to ip: a public
// address, or in test mode also a loopback one.
func allowedAddr(ip netip.Addr, testMode bool) bool {
	ip = ip.Unmap()
	if ip.IsLoopback() {
		return testMode
	}
	if ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || !ip.IsValid() {
		return false
	}
	for _, p := range notInternet {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}
