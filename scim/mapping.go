package scim

import (
	"fmt"
	"strings"

	"github.com/gatehouse/portal"
)

// Attributes the IAM user name can come from.
const (
	AttrUserName   = "userName"
	AttrExternalID = "externalId"
	AttrEmail      = "emails"
)

// UserNameAttr says which SCIM attribute becomes the IAM user name, and
// whether only its part before "@" is used (so alice@example.com becomes
// the IAM user alice).
type UserNameAttr struct {
	Attr      string
	LocalPart bool
}

// ParseUserNameAttr reads PORTAL_SCIM_USERNAME_ATTR: userName (the
// default), externalId or emails (the primary address), each optionally
// followed by ":local" for the part before "@".
func ParseUserNameAttr(s string) (UserNameAttr, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return UserNameAttr{Attr: AttrUserName}, nil
	}
	name, mod, hasMod := strings.Cut(s, ":")
	out := UserNameAttr{LocalPart: hasMod && mod == "local"}
	if hasMod && mod != "local" {
		return out, fmt.Errorf("%q: the only modifier is :local", s)
	}
	for _, a := range []string{AttrUserName, AttrExternalID, AttrEmail} {
		if strings.EqualFold(name, a) {
			out.Attr = a
			return out, nil
		}
	}
	return out, fmt.Errorf("%q: use userName, externalId or emails, optionally with :local", s)
}

// String is the setting as written.
func (m UserNameAttr) String() string {
	if m.LocalPart {
		return m.Attr + ":local"
	}
	return m.Attr
}

// IAMName returns the IAM user name u maps to, checked against IAM's
// rules: a value IAM would refuse is an invalidValue error naming the SCIM
// attribute.
func (m UserNameAttr) IAMName(u User) (string, error) {
	var v string
	switch m.Attr {
	case AttrExternalID:
		v = u.ExternalID
	case AttrEmail:
		v = u.PrimaryEmail()
	default:
		v = u.UserName
	}
	v = strings.TrimSpace(v)
	if m.LocalPart {
		if at := strings.LastIndexByte(v, '@'); at >= 0 {
			v = v[:at]
		}
	}
	if err := portal.ValidateUserName(v); err != nil {
		return "", portal.FieldE(m.Attr, "err.scim.iamname", m.String(), portal.ErrorTextOf(err)).WithReason(TypeInvalidValue).Wrap(err)
	}
	return v, nil
}
