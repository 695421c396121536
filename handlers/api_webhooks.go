package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/web"
	"github.com/gatehouse/portal/webhook"
)

// The JSON API's webhook endpoints (admins). Each call asks the webhook
// service exactly what the /webhooks pages ask it, so the address rules,
// the event checks, the audit entries and the refusals are the pages' own.

// apiWebhook is a registered endpoint: never its signing secret.
type apiWebhook struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	Enabled   bool      `json:"enabled"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

func toAPIWebhook(ep *store.WebhookEndpoint) apiWebhook {
	events := ep.Events
	if events == nil {
		events = []string{}
	}
	return apiWebhook{ID: ep.ID, URL: ep.URL, Events: events, Enabled: ep.Enabled, CreatedBy: ep.CreatedBy, CreatedAt: ep.CreatedAt.UTC()}
}

// apiWebhookAnswer is the answer about one endpoint. Secret is set in the
// answer to the registration only, as the page shows it once; a replay of
// that answer for its Idempotency-Key leaves it out (secretFields).
type apiWebhookAnswer struct {
	Webhook apiWebhook `json:"webhook"`
	Secret  string     `json:"secret,omitempty"`
}

// webhooksOff is the refusal of every webhook call on a server without
// webhooks set up (nil when they are).
func (s *Server) webhooksOff() error {
	if s.Webhooks == nil {
		return portal.E(portal.EUNAVAILABLE, "err.webhook.off")
	}
	return nil
}

// apiListWebhooks lists the endpoints by ID (GET /api/v1/webhooks).
func (s *Server) apiListWebhooks(w http.ResponseWriter, r *http.Request) {
	if err := s.webhooksOff(); err != nil {
		s.apiError(w, r, err)
		return
	}
	apiList(s, w, r, "webhooks", byID, func(ep *store.WebhookEndpoint) int64 { return ep.ID }, s.Webhooks.Endpoints, toAPIWebhook)
}

// apiCreateWebhook registers an endpoint for some events; the answer
// carries its signing secret, shown this once (POST /api/v1/webhooks).
// Every wrong field is refused as the page refuses it; the problem names
// the first.
func (s *Server) apiCreateWebhook(w http.ResponseWriter, r *http.Request) {
	var in struct {
		URL    string   `json:"url"`
		Events []string `json:"events"`
	}
	err := s.webhooksOff()
	if err == nil {
		err = decodeJSON(r, &in)
	}
	var ep *store.WebhookEndpoint
	var secret string
	if err == nil {
		ep, secret, err = s.Webhooks.Create(r.Context(), webhookActor(r), webhook.Registration{URL: strings.TrimSpace(in.URL), Events: in.Events})
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/webhooks/"+strconv.FormatInt(ep.ID, 10))
	s.apiJSON(w, r, http.StatusCreated, apiWebhookAnswer{Webhook: toAPIWebhook(ep), Secret: secret})
}

// apiWebhookAfter answers with the endpoint id as it is now, or with err.
func (s *Server) apiWebhookAfter(w http.ResponseWriter, r *http.Request, id int64, err error) {
	var ep *store.WebhookEndpoint
	if err == nil {
		ep, _, err = s.Webhooks.Endpoint(r.Context(), id)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, apiWebhookAnswer{Webhook: toAPIWebhook(ep)})
}

// apiGetWebhook gives one endpoint (GET /api/v1/webhooks/{id}); its
// deliveries are GET /api/v1/webhooks/{id}/deliveries.
func (s *Server) apiGetWebhook(w http.ResponseWriter, r *http.Request) {
	err := s.webhooksOff()
	var id int64
	if err == nil {
		id, err = webhookID(r, "id")
	}
	s.apiWebhookAfter(w, r, id, err)
}

// apiWebhookDo runs change, one of the page's changes, on the endpoint
// {id} and returns the endpoint's ID.
func (s *Server) apiWebhookDo(r *http.Request, change func(*http.Request, webhook.Actor, int64) error) (int64, error) {
	if err := s.webhooksOff(); err != nil {
		return 0, err
	}
	id, err := webhookID(r, "id")
	if err != nil {
		return 0, err
	}
	return id, change(r, webhookActor(r), id)
}

// apiDisableWebhook stops an endpoint's deliveries; those queued are given
// up (POST /api/v1/webhooks/{id}/disable).
func (s *Server) apiDisableWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := s.apiWebhookDo(r, s.webhookOff)
	s.apiWebhookAfter(w, r, id, err)
}

// apiEnableWebhook turns an endpoint's deliveries on again
// (POST /api/v1/webhooks/{id}/enable).
func (s *Server) apiEnableWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := s.apiWebhookDo(r, s.webhookOn)
	s.apiWebhookAfter(w, r, id, err)
}

// apiDeleteWebhook deletes an endpoint and its delivery log
// (POST /api/v1/webhooks/{id}/delete).
func (s *Server) apiDeleteWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := s.apiWebhookDo(r, s.webhookDelete)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, map[string]int64{"deleted": id})
}

// apiResendWebhook queues a delivery to be sent again, with its webhook-id
// and body; a disabled endpoint is 409
// (POST /api/v1/webhooks/{id}/deliveries/{delivery}/resend).
func (s *Server) apiResendWebhook(w http.ResponseWriter, r *http.Request) {
	_, err := s.apiWebhookDo(r, s.webhookResend)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	delivery, _ := webhookID(r, "delivery") // read by webhookResend
	s.apiJSON(w, r, http.StatusAccepted, map[string]int64{"resent": delivery})
}

// apiDelivery is one delivery of an endpoint's log in the JSON API.
type apiDelivery struct {
	ID          int64      `json:"id"`
	WebhookID   string     `json:"webhook_id"`
	Event       string     `json:"event"`
	Subject     string     `json:"subject"`
	AccountID   string     `json:"account_id,omitempty"`
	EventAt     time.Time  `json:"event_at"`
	Attempts    int        `json:"attempts"`
	StatusCode  int        `json:"status_code,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
}

// apiWebhookDeliveries lists an endpoint's latest deliveries, newest first
// (GET /api/v1/webhooks/{id}/deliveries).
func (s *Server) apiWebhookDeliveries(w http.ResponseWriter, r *http.Request) {
	if err := s.webhooksOff(); err != nil {
		s.apiError(w, r, err)
		return
	}
	apiList(s, w, r, "deliveries", newestFirst, func(d *store.WebhookDelivery) int64 { return -d.ID }, func(ctx context.Context) ([]*store.WebhookDelivery, error) {
		id, err := webhookID(r, "id")
		if err != nil {
			return nil, err
		}
		_, ds, err := s.Webhooks.Endpoint(ctx, id)
		return ds, err
	}, func(d *store.WebhookDelivery) apiDelivery {
		a := apiDelivery{ID: d.ID, WebhookID: d.MsgID, Event: d.Event, Subject: d.Subject, AccountID: s.deliveryAccount(d), EventAt: d.EventAt.UTC(), Attempts: d.Attempts,
			StatusCode: d.StatusCode, DeliveredAt: optTime(d.DeliveredAt)}
		if d.LastError.Key != "" {
			a.LastError = web.Stored(r.Context(), d.LastError, "")
		}
		return a
	})
}
