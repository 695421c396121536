package portal

import (
	"net/url"
	"strings"
)

// Links builds every link Gatehouse hands out (invites, operator invites
// and authenticator resets, the first-admin setup, e-mails) from one
// configured base URL: PORTAL_BASE_URL, or in test mode the address the
// portal listens on. A link is never built from a request's Host header,
// which a client chooses: "Host: evil.example" must not turn into an invite
// link to evil.example in a page or an e-mail.
//
// The zero Links builds root-relative links ("/invite/…"), for tests that
// do not serve the portal.
type Links struct{ base string }

// NewLinks returns the Links of base, an absolute http(s) URL.
func NewLinks(base string) (Links, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return Links{}, E(EINVALID, "err.links.base", base)
	}
	return Links{base: strings.TrimSuffix(u.String(), "/")}, nil
}

// Base returns the base URL without a trailing slash.
func (l Links) Base() string { return l.base }

// Invite is the link with which an IAM user claims an invite.
func (l Links) Invite(token string) string { return l.base + "/invite/" + token }

// Join is the one-time link of an operator invite or authenticator reset.
func (l Links) Join(token string) string { return l.base + "/join/" + token }

// Setup is the one-time link that creates the first admin.
func (l Links) Setup(token string) string { return l.base + "/setup/" + token }
