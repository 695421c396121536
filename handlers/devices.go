package handlers

import (
	"net/http"

	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/web"
)

// devices lists abandoned unassigned MFA devices of managed users in one
// account (?account=, the hub by default).
func (s *Server) devices(w http.ResponseWriter, r *http.Request) {
	s.renderDevices(w, r, http.StatusOK, "", nil)
}

// renderDevices shows the account's dangling devices; an account whose
// role cannot be assumed is shown as unreachable with the reason.
func (s *Server) renderDevices(w http.ResponseWriter, r *http.Request, status int, flash string, errs []web.FormError) {
	ctx := r.Context()
	v := web.DevicesView{Page: s.page(r, web.T(ctx, "hd.devices.title")), Flash: flash, Errors: errs,
		Account: s.accountOrHub(onboarding.ChosenAccount(ctx))}
	if s.Onboarding.MultiAccount(ctx) {
		v.Accounts, v.LinkAccount = s.accountOptions(r), v.Account
	}
	devs, err := s.Onboarding.DanglingDevices(ctx)
	switch {
	case onboarding.Unreachable(err):
		v.Unreachable = web.ErrorText(ctx, err)
	case err != nil:
		s.fail(w, r, err, "")
		return
	}
	for _, d := range devs {
		v.Devices = append(v.Devices, web.DeviceRow{Serial: d.Serial, UserName: d.UserName})
	}
	s.render(w, r, status, web.DevicesPage(v))
}

// deleteDevices deletes one dangling device (serial) or all of them (all)
// of the account the form names.
func (s *Server) deleteDevices(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("all") == "yes" {
		n, err := s.Onboarding.DeleteAllDanglingDevices(r.Context(), actor(r))
		if err != nil {
			s.renderDevices(w, r, statusOf(err), "", formErrors(err))
			return
		}
		s.renderDevices(w, r, http.StatusOK, web.T(r.Context(), "flash.devices.deleted", n), nil)
		return
	}
	if err := s.Onboarding.DeleteDanglingDevice(r.Context(), actor(r), r.PostFormValue("serial")); err != nil {
		s.renderDevices(w, r, statusOf(err), "", formErrors(err))
		return
	}
	s.renderDevices(w, r, http.StatusOK, web.T(r.Context(), "flash.device.deleted"), nil)
}
