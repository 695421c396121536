package webhook

import (
	"context"
	"errors"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// Registration is what the registration form asks for.
type Registration struct {
	URL    string
	Events []string
}

// Create registers an endpoint and returns it with its signing secret,
// which is shown to the admin this once and kept only sealed. Every wrong
// field is reported at once (errors.Join of portal.FieldE).
func (s *Service) Create(ctx context.Context, a Actor, reg Registration) (*store.WebhookEndpoint, string, error) {
	u, err := s.checkURL(strings.TrimSpace(reg.URL))
	errs := []error{err}
	events, err := checkEvents(reg.Events)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, "", err
	}
	secret := NewSecret()
	ep := &store.WebhookEndpoint{URL: u, Events: events, SecretSealed: s.cfg.Box.Seal([]byte(secret)), CreatedBy: a.Name, CreatedAt: s.cfg.Now()}
	if err := s.cfg.Store.CreateWebhookEndpoint(ctx, ep); err != nil {
		return nil, "", err
	}
	s.record(ctx, a, "webhook.create", ep.ID, portal.T("audit.webhook.create", ep.URL, strings.Join(ep.Events, ", ")))
	return ep, secret, nil
}

// checkURL returns the URL to store, or a field error saying what is wrong.
func (s *Service) checkURL(raw string) (string, error) {
	if raw == "" {
		return "", portal.FieldE("url", "err.webhook.url.missing")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", portal.FieldE("url", "err.webhook.url.invalid")
	}
	if u.User != nil {
		return "", portal.FieldE("url", "err.webhook.url.userinfo")
	}
	host := u.Hostname()
	local := isLocalName(host)
	if ip, err := netip.ParseAddr(host); err == nil {
		local = ip.Unmap().IsLoopback()
		if !allowedAddr(ip, s.cfg.TestMode) {
			return "", portal.FieldE("url", "err.webhook.url.private", host)
		}
	}
	switch {
	case local && !s.cfg.TestMode:
		return "", portal.FieldE("url", "err.webhook.url.private", host)
	case u.Scheme == "https":
	case u.Scheme == "http" && local && s.cfg.TestMode:
	default:
		return "", portal.FieldE("url", "err.webhook.url.https")
	}
	u.Fragment = ""
	return u.String(), nil
}

// isLocalName reports whether host names this machine.
func isLocalName(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

// checkEvents returns the chosen events in the form's order, or a field
// error when none (or an unknown one) is chosen.
func checkEvents(chosen []string) ([]string, error) {
	var out []string
	for _, e := range chosen {
		if !slices.Contains(portal.WebhookEvents, e) {
			return nil, portal.FieldE("events", "err.webhook.event.unknown", e)
		}
	}
	for _, e := range portal.WebhookEvents {
		if slices.Contains(chosen, e) {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil, portal.FieldE("events", "err.webhook.events.none")
	}
	return out, nil
}

// Endpoints returns every endpoint.
func (s *Service) Endpoints(ctx context.Context) ([]*store.WebhookEndpoint, error) {
	return s.cfg.Store.FindWebhookEndpoints(ctx)
}

// Endpoint returns an endpoint with its latest deliveries.
func (s *Service) Endpoint(ctx context.Context, id int64) (*store.WebhookEndpoint, []*store.WebhookDelivery, error) {
	ep, err := s.cfg.Store.FindWebhookEndpoint(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ds, err := s.cfg.Store.FindWebhookDeliveries(ctx, id, 100)
	return ep, ds, err
}

// SetEnabled turns an endpoint's deliveries on or off; deliveries queued
// while it is off are given up.
func (s *Service) SetEnabled(ctx context.Context, a Actor, id int64, enabled bool) error {
	ep, err := s.cfg.Store.FindWebhookEndpoint(ctx, id)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.SetWebhookEndpointEnabled(ctx, id, enabled, s.cfg.Now()); err != nil {
		return err
	}
	if enabled {
		s.record(ctx, a, "webhook.enable", id, portal.T("audit.webhook.enable", ep.URL))
	} else {
		s.record(ctx, a, "webhook.disable", id, portal.T("audit.webhook.disable", ep.URL))
	}
	return nil
}

// Delete deletes an endpoint and its delivery log.
func (s *Service) Delete(ctx context.Context, a Actor, id int64) error {
	ep, err := s.cfg.Store.FindWebhookEndpoint(ctx, id)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.DeleteWebhookEndpoint(ctx, id); err != nil {
		return err
	}
	s.record(ctx, a, "webhook.delete", id, portal.T("audit.webhook.delete", ep.URL))
	return nil
}

// Resend queues a delivery of endpoint endpointID to be sent again, with
// the same webhook-id and body.
func (s *Service) Resend(ctx context.Context, a Actor, endpointID, deliveryID int64) error {
	d, err := s.cfg.Store.FindWebhookDelivery(ctx, deliveryID)
	if err == nil && d.EndpointID != endpointID {
		err = portal.E(portal.ENOTFOUND, "err.webhook.delivery.nosuch")
	}
	if err != nil {
		return err
	}
	ep, err := s.cfg.Store.FindWebhookEndpoint(ctx, endpointID)
	if err != nil {
		return err
	}
	if !ep.Enabled {
		return portal.E(portal.ECONFLICT, "err.webhook.disabled")
	}
	if err := s.cfg.Store.ResendWebhookDelivery(ctx, deliveryID, a.Name, s.cfg.Now()); err != nil {
		return err
	}
	s.record(ctx, a, "webhook.resend", endpointID, portal.T("audit.webhook.resend", d.Event, d.MsgID, ep.URL))
	s.cfg.Wake()
	return nil
}
