package handlers

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gatehouse/portal"
)

// Secrets shown once, and a reload.
//
// The invite flow shows two secrets that Gatehouse never stores: the
// console password and the virtual MFA device's seed. On a phone, switching
// to the password manager or the authenticator app often reloads the tab,
// and a page that could show them only in the answer to a POST would lose
// them for good: the person may then have saved half of a password, or
// scanned nothing. Three ways were weighed:
//
//   - a new secret on every view (a new device per GET of the MFA page):
//     the app's entry from the last scan stops working on the next reload,
//     and a GET changes IAM;
//   - "start over" as the only way back (delete the pending device, create
//     a new one; set a new password): safe, but the person who scanned the
//     QR or saved the password before the reload must redo it, often
//     without knowing which entry in the app is the right one;
//   - the browser holds the secret, sealed: taken here.
//
// The answer that shows a secret also gives the browser a cookie with it,
// sealed (AES-256-GCM, a key of its own from PORTAL_SECRET_KEY), bound to
// the claim session (and for a seed to its device), expiring after
// heldSecretTTL, HttpOnly and SameSite=Strict. A reload shows the same
// secret; the database and the logs never see it. The cookie goes when the
// person confirms having saved the password, and when the device is
// enabled. It adds nothing for someone holding the claim session: with it
// they could set a new password or create a new device anyway. Once it has
// expired the flow falls back to the second way, one click: "set a new
// password" (UpdateLoginProfile) or "start over with a new QR code".

// Held secrets, by cookie name (the __Host- prefix is added when cookies
// are Secure).
const (
	heldPassword = "gh_pw"
	heldSeed     = "gh_seed"
)

// heldSecretTTL is how long a browser may show a secret again: long enough
// for a person to save a password or scan a code, short enough that a
// forgotten tab does not keep it.
const heldSecretTTL = 20 * time.Minute

// heldSecret is a held secret's sealed content.
type heldSecret struct {
	Session string `json:"s"`           // the claim session's ID hash
	Device  string `json:"d,omitempty"` // the MFA device a seed belongs to
	Value   string `json:"v"`
	Until   int64  `json:"u"` // Unix seconds
}

func (s *Server) heldName(name string) string {
	if s.SecureCookies {
		return "__Host-" + name
	}
	return name
}

// holdSecret gives the browser value, sealed, for the claim session cs (and
// the device serial, for a seed).
func (s *Server) holdSecret(w http.ResponseWriter, name string, cs *portal.ClaimSession, serial, value string) {
	until := s.Now().Add(heldSecretTTL)
	if cs.ExpiresAt.Before(until) {
		until = cs.ExpiresAt
	}
	plain, _ := json.Marshal(heldSecret{Session: cs.IDHash, Device: serial, Value: value, Until: until.Unix()})
	http.SetCookie(w, &http.Cookie{Name: s.heldName(name), Value: base64.RawURLEncoding.EncodeToString(s.SetupBox.Seal(plain)),
		Path: "/", MaxAge: int(until.Sub(s.Now()).Seconds()), HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// heldValue returns the secret the browser holds for the claim session cs
// (and the device serial), if it holds one that is still valid.
func (s *Server) heldValue(r *http.Request, name string, cs *portal.ClaimSession, serial string) (string, bool) {
	c, err := r.Cookie(s.heldName(name))
	if err != nil {
		return "", false
	}
	sealed, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return "", false
	}
	plain, err := s.SetupBox.Open(sealed)
	if err != nil {
		return "", false
	}
	var h heldSecret
	if json.Unmarshal(plain, &h) != nil || h.Session != cs.IDHash || h.Device != serial || s.Now().Unix() >= h.Until || h.Value == "" {
		return "", false
	}
	return h.Value, true
}

// dropSecret makes the browser forget a held secret.
func (s *Server) dropSecret(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: s.heldName(name), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
}
