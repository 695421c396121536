package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/web"
	"github.com/gatehouse/portal/webhook"
)

// webhookActor is who asks the webhook service for a change.
func webhookActor(r *http.Request) webhook.Actor {
	return webhook.Actor{Name: operatorFrom(r.Context()).Username, RequestID: requestID(r)}
}

// listWebhooks shows the endpoints and the registration form.
func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	v := web.WebhooksView{}
	switch r.URL.Query().Get("done") {
	case "deleted":
		v.Flash = web.T(r.Context(), "flash.webhook.deleted")
	}
	s.renderWebhooks(w, r, http.StatusOK, v)
}

func (s *Server) renderWebhooks(w http.ResponseWriter, r *http.Request, status int, v web.WebhooksView) {
	if s.Webhooks == nil {
		s.fail(w, r, portal.E(portal.EUNAVAILABLE, "err.webhook.off"), "")
		return
	}
	eps, err := s.Webhooks.Endpoints(r.Context())
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	v.Page = s.page(r, web.T(r.Context(), "webhooks.title"))
	for _, ep := range eps {
		v.Rows = append(v.Rows, webhookRow(ep))
	}
	v.Events, v.LocalAllowed = portal.WebhookEvents, s.Webhooks.TestMode()
	s.render(w, r, status, web.WebhooksPage(v))
}

func webhookRow(ep *store.WebhookEndpoint) web.WebhookRow {
	return web.WebhookRow{ID: ep.ID, URL: ep.URL, Events: ep.Events, Enabled: ep.Enabled, Created: web.Date(ep.CreatedAt)}
}

// createWebhook registers an endpoint and shows its signing secret once;
// a refused form comes back as typed, each error by its field.
func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) {
	if s.Webhooks == nil {
		s.fail(w, r, portal.E(portal.EUNAVAILABLE, "err.webhook.off"), "")
		return
	}
	v := web.WebhooksView{URL: strings.TrimSpace(r.PostFormValue("url"))}
	v.Chosen = r.PostForm["events"] // parsed by PostFormValue
	ep, secret, err := s.Webhooks.Create(r.Context(), webhookActor(r), webhook.Registration{URL: v.URL, Events: v.Chosen})
	if err != nil {
		v.Errors = fieldErrors(err)
		s.renderWebhooks(w, r, statusOf(err), v)
		return
	}
	s.renderWebhooks(w, r, http.StatusCreated, web.WebhooksView{NewSecret: secret, NewURL: ep.URL})
}

// fieldErrors turns err, or each error errors.Join put together, into form
// errors.
func fieldErrors(err error) []web.FormError {
	var errs []web.FormError
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			errs = append(errs, formErrors(e)...)
		}
		return errs
	}
	return formErrors(err)
}

// webhookID reads the {id} URL parameter of a webhook route.
func webhookID(r *http.Request, param string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, param), 10, 64)
	if err != nil {
		return 0, portal.E(portal.ENOTFOUND, "err.webhook.nosuch")
	}
	return id, nil
}

// showWebhook shows an endpoint and its delivery log.
func (s *Server) showWebhook(w http.ResponseWriter, r *http.Request) {
	flash := ""
	switch r.URL.Query().Get("done") {
	case "resent":
		flash = web.T(r.Context(), "flash.webhook.resent")
	case "disabled":
		flash = web.T(r.Context(), "flash.webhook.disabled")
	case "enabled":
		flash = web.T(r.Context(), "flash.webhook.enabled")
	}
	s.renderWebhook(w, r, http.StatusOK, flash, nil)
}

func (s *Server) renderWebhook(w http.ResponseWriter, r *http.Request, status int, flash string, errs []web.FormError) {
	if s.Webhooks == nil {
		s.fail(w, r, portal.E(portal.EUNAVAILABLE, "err.webhook.off"), "")
		return
	}
	id, err := webhookID(r, "id")
	var ep *store.WebhookEndpoint
	var ds []*store.WebhookDelivery
	if err == nil {
		ep, ds, err = s.Webhooks.Endpoint(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	v := web.WebhookView{Page: s.page(r, web.T(r.Context(), "webhooks.title")), Endpoint: webhookRow(ep), Flash: flash, Errors: errs}
	// The account of a user's delivery, shown where several are managed.
	labels := map[string]string{}
	if accts := s.accountOptions(r); len(accts) > 1 {
		for _, a := range accts {
			labels[a.ID] = a.Label
		}
	}
	for _, d := range ds {
		row := web.DeliveryRow{ID: d.ID, MsgID: d.MsgID, Event: d.Event, Subject: d.Subject, At: web.Stamp(d.EventAt), Attempts: d.Attempts,
			Delivered: !d.DeliveredAt.IsZero()}
		if id := s.deliveryAccount(d); id != "" && len(labels) > 1 {
			row.Account, row.AccountLabel = id, labels[id]
			if row.AccountLabel == "" {
				row.AccountLabel = id
			}
		}
		if d.StatusCode > 0 {
			row.Status = strconv.Itoa(d.StatusCode)
		}
		if d.LastError.Key != "" {
			row.LastError = web.Stored(r.Context(), d.LastError, "")
		}
		v.Deliveries = append(v.Deliveries, row)
	}
	s.render(w, r, status, web.WebhookPage(v))
}

// deliveryAccount is the AWS account of the IAM user a delivery is about,
// as its payload names it: its own, the hub's for a user delivery queued
// before deliveries named their account; "" for a bulk job or the policy.
func (s *Server) deliveryAccount(d *store.WebhookDelivery) string {
	if d.SubjectKind != portal.TargetUser {
		return ""
	}
	return s.accountOrHub(d.AccountID)
}

// webhookAction runs one change of an endpoint and goes back to its page
// (or, once deleted, to the list).
func (s *Server) webhookAction(do func(r *http.Request, a webhook.Actor, id int64) error, done string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Webhooks == nil {
			s.fail(w, r, portal.E(portal.EUNAVAILABLE, "err.webhook.off"), "")
			return
		}
		id, err := webhookID(r, "id")
		if err == nil {
			err = do(r, webhookActor(r), id)
		}
		switch {
		case err != nil && portal.ErrorCode(err) == portal.ENOTFOUND:
			s.fail(w, r, err, "")
		case err != nil:
			s.renderWebhook(w, r, statusOf(err), "", formErrors(err))
		case done == "deleted":
			http.Redirect(w, r, "/webhooks?done=deleted", http.StatusSeeOther)
		default:
			http.Redirect(w, r, string(web.WebhookPath(id))+"?done="+done, http.StatusSeeOther)
		}
	}
}

// The changes of an endpoint, as the page and the API both ask the webhook
// service for them.

func (s *Server) webhookOff(r *http.Request, a webhook.Actor, id int64) error {
	return s.Webhooks.SetEnabled(r.Context(), a, id, false)
}

func (s *Server) webhookOn(r *http.Request, a webhook.Actor, id int64) error {
	return s.Webhooks.SetEnabled(r.Context(), a, id, true)
}

func (s *Server) webhookDelete(r *http.Request, a webhook.Actor, id int64) error {
	return s.Webhooks.Delete(r.Context(), a, id)
}

// webhookResend queues the delivery {delivery} of endpoint id to be sent
// again.
func (s *Server) webhookResend(r *http.Request, a webhook.Actor, id int64) error {
	delivery, err := webhookID(r, "delivery")
	if err != nil {
		return portal.E(portal.ENOTFOUND, "err.webhook.delivery.nosuch")
	}
	return s.Webhooks.Resend(r.Context(), a, id, delivery)
}

func (s *Server) disableWebhook(w http.ResponseWriter, r *http.Request) {
	s.webhookAction(s.webhookOff, "disabled")(w, r)
}

func (s *Server) enableWebhook(w http.ResponseWriter, r *http.Request) {
	s.webhookAction(s.webhookOn, "enabled")(w, r)
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	s.webhookAction(s.webhookDelete, "deleted")(w, r)
}

// resendWebhook queues one delivery to be sent again.
func (s *Server) resendWebhook(w http.ResponseWriter, r *http.Request) {
	s.webhookAction(s.webhookResend, "resent")(w, r)
}
