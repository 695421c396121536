package handlers

import (
	"net/http"

	"github.com/gatehouse/portal/web"
)

// devices lists abandoned unassigned MFA devices of managed users.
func (s *Server) devices(w http.ResponseWriter, r *http.Request) {
	s.renderDevices(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderDevices(w http.ResponseWriter, r *http.Request, status int, flash string, errs []web.FormError) {
	v := web.DevicesView{Page: s.page(r, web.T(r.Context(), "hd.devices.title")), Flash: flash, Errors: errs}
	devs, err := s.Onboarding.DanglingDevices(r.Context())
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	for _, d := range devs {
		v.Devices = append(v.Devices, web.DeviceRow{Serial: d.Serial, UserName: d.UserName})
	}
	s.render(w, r, status, web.DevicesPage(v))
}

// deleteDevices deletes one dangling device (serial) or all of them (all).
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
