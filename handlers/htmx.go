package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/web"
)

// isHTMX reports whether htmx sent the request (a fragment is expected, not
// a page). Every such route works as a plain form post without JavaScript.
func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// checkUserName validates an IAM user name while the admin types (htmx
// inline validation on the onboarding form). The same checks run again when
// the form is submitted.
func (s *Server) checkUserName(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.URL.Query().Get("user_name"))
	msg := ""
	if err := portal.ValidateUserName(name); err != nil {
		msg = web.ErrorText(r.Context(), err)
	} else if _, err := s.Store.FindUser(r.Context(), s.accountOrHub(r.URL.Query().Get("account")), name); err == nil {
		msg = web.ErrorText(r.Context(), portal.E(portal.ECONFLICT, "err.user.managed", name))
	} else if portal.ErrorCode(err) != portal.ENOTFOUND {
		s.Logger.ErrorContext(r.Context(), "check user name", "err", err)
	}
	s.render(w, r, http.StatusOK, web.UserNameCheck(msg))
}

// renderStatusFragment answers htmx's background status poll on the console
// walkthrough: the done page once IAM has the device, else a note that the
// page keeps checking.
func (s *Server) renderStatusFragment(w http.ResponseWriter, r *http.Request, enrolled bool, err error) {
	if enrolled {
		w.Header().Set("HX-Redirect", "/enroll/done")
		w.WriteHeader(http.StatusOK)
		return
	}
	if err != nil && !errors.Is(err, r.Context().Err()) {
		s.Logger.WarnContext(r.Context(), "status poll", "err", err)
	}
	s.render(w, r, http.StatusOK, web.ConsoleStatus(web.ConsoleStatusView{Checked: true, Polled: true,
		At: web.Clock(s.Now())}))
}
