package scim

import (
	"encoding/json"
	"strings"

	"github.com/gatehouse/portal"
)

// Filter is a parsed list filter. Gatehouse answers what identity
// providers send to find a user before creating it: `userName eq "…"` and
// `externalId eq "…"` (attribute names in any case, as RFC 7644 allows).
type Filter struct {
	UserName, ExternalID string
}

// ParseFilter parses a filter query parameter; "" selects every user.
func ParseFilter(f string) (Filter, error) {
	var out Filter
	s := strings.TrimSpace(f)
	if s == "" {
		return out, nil
	}
	attrName, rest, ok := strings.Cut(s, " ")
	if !ok {
		return out, errFilter(f)
	}
	op, value, ok := strings.Cut(strings.TrimLeft(rest, " "), " ")
	if !ok || !strings.EqualFold(op, "eq") {
		return out, errFilter(f)
	}
	var v string
	if err := json.Unmarshal([]byte(strings.TrimSpace(value)), &v); err != nil {
		return out, errFilter(f)
	}
	switch strings.ToLower(strings.TrimPrefix(attrName, SchemaUser+":")) {
	case "username":
		out.UserName = v
	case "externalid":
		out.ExternalID = v
	default:
		return out, errFilter(f)
	}
	if v == "" {
		return out, errFilter(f)
	}
	return out, nil
}

// PatchOp is a PATCH request (RFC 7644 section 3.5.2).
type PatchOp struct {
	Schemas    []string    `json:"schemas"`
	Operations []Operation `json:"Operations"`
}

// Operation is one PATCH operation. Op is add, replace or remove in any
// case (Entra ID capitalises them).
type Operation struct {
	Op    string          `json:"op"`
	Path  string          `json:"path,omitempty"`
	Value json.RawMessage `json:"value,omitempty"`
}

// ParsePatch reads a PATCH body.
func ParsePatch(body []byte) (PatchOp, error) {
	var p PatchOp
	if err := json.Unmarshal(body, &p); err != nil {
		return p, errSyntax(err)
	}
	if len(p.Operations) == 0 {
		return p, errSyntax(nil)
	}
	return p, nil
}

// Apply applies the operations to u in order. Attributes Gatehouse does
// not keep are ignored, as on create; a path it cannot parse is an
// invalidPath error, an op other than add, replace or remove is
// invalidSyntax. id and meta are read-only (mutability).
func (p PatchOp) Apply(u *User) error {
	for _, o := range p.Operations {
		op := strings.ToLower(o.Op)
		switch op {
		case "add", "replace":
			if o.Path == "" {
				if err := applyObject(u, o.Value); err != nil {
					return err
				}
				continue
			}
			if err := setPath(u, o.Path, o.Value); err != nil {
				return err
			}
		case "remove":
			if o.Path == "" {
				return portal.E(portal.EINVALID, "err.scim.notarget").WithReason(TypeNoTarget)
			}
			if err := setPath(u, o.Path, nil); err != nil {
				return err
			}
		default:
			return errSyntax(nil)
		}
	}
	return nil
}

// applyObject applies a path-less add or replace: every member of the
// value object is an attribute path (Okta sends {"active": false}; Entra ID
// may send {"name.givenName": "…"}).
func applyObject(u *User, value json.RawMessage) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(value, &m); err != nil {
		return errSyntax(err)
	}
	for k, v := range m {
		if err := setPath(u, k, v); err != nil {
			return err
		}
	}
	return nil
}

// setPath sets (or, with a nil value, removes) one attribute of u.
func setPath(u *User, path string, value json.RawMessage) error {
	p := strings.TrimSpace(path)
	if i := strings.LastIndex(strings.ToLower(p), strings.ToLower(SchemaUser)+":"); i >= 0 {
		p = p[i+len(SchemaUser)+1:]
	}
	lower := strings.ToLower(p)
	if strings.HasPrefix(lower, "urn:") {
		return nil // an extension schema (enterprise User …): not kept
	}
	str := func(dst *string) error {
		if value == nil {
			*dst = ""
			return nil
		}
		if err := json.Unmarshal(value, dst); err != nil {
			return errInvalidValue(p)
		}
		return nil
	}
	name := func() *Name {
		if u.Name == nil {
			u.Name = &Name{}
		}
		return u.Name
	}
	switch {
	case lower == "active":
		if value == nil {
			u.Active = nil
			return nil
		}
		v, ok := parseBool(value)
		if !ok {
			return errInvalidValue("active")
		}
		b := Bool(v)
		u.Active = &b
	case lower == "username":
		if value == nil {
			return errMutability("userName")
		}
		return str(&u.UserName)
	case lower == "externalid":
		return str(&u.ExternalID)
	case lower == "displayname":
		return str(&u.DisplayName)
	case lower == "name":
		if value == nil {
			u.Name = nil
			return nil
		}
		var n Name
		if err := json.Unmarshal(value, &n); err != nil {
			return errInvalidValue("name")
		}
		u.Name = &n
	case lower == "name.givenname":
		return str(&name().GivenName)
	case lower == "name.familyname":
		return str(&name().FamilyName)
	case lower == "name.formatted":
		return str(&name().Formatted)
	case lower == "emails":
		if value == nil {
			u.Emails = nil
			return nil
		}
		var es []Email
		if err := json.Unmarshal(value, &es); err != nil {
			var e Email // a single value is added as one address
			if json.Unmarshal(value, &e) != nil {
				return errInvalidValue("emails")
			}
			es = []Email{e}
		}
		u.Emails = es
	case strings.HasPrefix(lower, "emails["):
		return setEmail(u, p, value)
	case lower == "id" || strings.HasPrefix(lower, "meta") || lower == "schemas":
		return errMutability(p)
	case !validPath(p):
		return errPath(path)
	}
	return nil
}

// setEmail handles emails[type eq "work"].value and
// emails[primary eq true].value, the forms Entra ID and Okta send.
func setEmail(u *User, p string, value json.RawMessage) error {
	open, close := strings.IndexByte(p, '['), strings.IndexByte(p, ']')
	if close < open {
		return errPath(p)
	}
	sel, sub := p[open+1:close], strings.TrimPrefix(strings.ToLower(p[close+1:]), ".")
	if sub != "" && sub != "value" {
		return nil // type, display …: not kept
	}
	parts := strings.Fields(sel)
	if len(parts) != 3 || !strings.EqualFold(parts[1], "eq") {
		return errPath(p)
	}
	var match func(Email) bool
	switch strings.ToLower(parts[0]) {
	case "type":
		var t string
		if json.Unmarshal([]byte(parts[2]), &t) != nil {
			return errPath(p)
		}
		match = func(e Email) bool { return strings.EqualFold(e.Type, t) }
	case "primary":
		want, ok := parseBool([]byte(parts[2]))
		if !ok {
			return errPath(p)
		}
		match = func(e Email) bool { return bool(e.Primary) == want }
	default:
		return errPath(p)
	}
	if value == nil {
		kept := u.Emails[:0]
		for _, e := range u.Emails {
			if !match(e) {
				kept = append(kept, e)
			}
		}
		u.Emails = kept
		return nil
	}
	var v string
	if err := json.Unmarshal(value, &v); err != nil {
		return errInvalidValue("emails")
	}
	for i, e := range u.Emails {
		if match(e) {
			u.Emails[i].Value = v
			return nil
		}
	}
	e := Email{Value: v}
	if strings.EqualFold(parts[0], "type") {
		json.Unmarshal([]byte(parts[2]), &e.Type)
	} else {
		e.Primary = true
	}
	u.Emails = append(u.Emails, e)
	return nil
}

// validPath reports whether p has the shape of an attribute path
// (attribute names, dots and one value filter), for attributes Gatehouse
// ignores.
func validPath(p string) bool {
	if p == "" {
		return false
	}
	depth := 0
	for _, r := range p {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0 && !(r == '.' || r == '_' || r == '-' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			return false
		}
		if depth < 0 || depth > 1 {
			return false
		}
	}
	return depth == 0
}
