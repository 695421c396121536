package policy

import (
	"regexp"
	"strings"
)

// Role trust policies (a role's AssumeRolePolicyDocument) share the grammar
// of identity policies with three differences: every statement names its
// principals (Principal or NotPrincipal), none names resources (the role is
// the resource), and the actions are those of STS that act on a role.

// TrustActions are the actions a trust policy may name, besides patterns
// such as "sts:*" or "sts:AssumeRole*" that match only them.
var TrustActions = []string{
	"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
	"sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext",
}

// ParseTrust parses a role trust policy as strictly as Parse parses an
// identity policy. Errors carry the Rule broken: RuleNoPrincipal,
// RuleProhibitedResource, RuleTrustAction, RuleInvalidPrincipal, or the
// rules shared with identity policies.
func ParseTrust(doc string) (*Document, error) {
	src := []byte(doc)
	root, err := parseTree(src)
	if err != nil {
		return nil, err
	}
	v := &validator{src: src, trust: true}
	d, err := v.document(root)
	if err != nil {
		return nil, err
	}
	for _, s := range d.Statements {
		for _, a := range append(append([]string{}, s.Action...), s.NotAction...) {
			if !trustAction(a) {
				return nil, &ParseError{Pos: s.Start, Msg: "a trust policy may only name STS AssumeRole actions, not " + a, Rule: RuleTrustAction, Value: a}
			}
		}
	}
	return d, nil
}

// trustAction reports whether a names (or, with wildcards, matches only)
// actions of TrustActions.
func trustAction(a string) bool {
	if a == "*" {
		return true
	}
	svc, _, _ := strings.Cut(a, ":")
	return strings.EqualFold(svc, "sts") && anyAction(TrustActions, a) || anyAction([]string{a}, "sts:AssumeRole")
}

// principalTypes are the keys of a Principal object.
var principalTypes = []string{"AWS", "Service", "Federated", "CanonicalUser"}

var (
	accountIDRE    = regexp.MustCompile(`^\d{12}$`)
	principalArnRE = regexp.MustCompile(`^arn:[a-z-]+:(iam|sts)::\d{12}:(root|user/.+|role/.+|assumed-role/[^/]+/.+|federated-user/.+)$`)
)

// principals reads a statement's Principal or NotPrincipal (exactly one).
func (v *validator) principals(n *node) (map[string][]string, map[string][]string, error) {
	a, b := n.lookup("Principal"), n.lookup("NotPrincipal")
	switch {
	case a != nil && b != nil:
		return nil, nil, v.errAt(b, "statement has both Principal and NotPrincipal; use one")
	case a == nil && b == nil:
		err := v.errAt(n, "statement needs Principal or NotPrincipal").(*ParseError)
		err.Rule = RuleNoPrincipal
		return nil, nil, err
	}
	el := a
	if a == nil {
		el = b
	}
	m, err := v.principalMap(el)
	if err != nil {
		return nil, nil, err
	}
	if a != nil {
		return m, nil, nil
	}
	return nil, m, nil
}

func (v *validator) principalMap(el *node) (map[string][]string, error) {
	invalid := func(at *node, value, why string) error {
		err := v.errAt(at, "invalid principal %q: %s", value, why).(*ParseError)
		err.Rule, err.Value = RuleInvalidPrincipal, value
		return err
	}
	if el.kind == kindString {
		if el.text != "*" {
			return nil, invalid(el, el.text, `a principal given as a string must be "*"`)
		}
		return map[string][]string{"AWS": {"*"}}, nil
	}
	if el.kind != kindObject || len(el.keys) == 0 {
		return nil, v.errAt(el, "Principal must be \"*\" or an object of principal types")
	}
	m := map[string][]string{}
	for i, k := range el.keys {
		known := false
		for _, t := range principalTypes {
			known = known || k == t
		}
		if !known {
			return nil, v.keyErr(el, i, "unknown principal type %q (AWS, Service, Federated or CanonicalUser)", k)
		}
		vals, err := v.stringOrList(el.members[i], "Principal "+k, false)
		if err != nil {
			return nil, err
		}
		for _, p := range vals {
			if k == "AWS" && p != "*" && !accountIDRE.MatchString(p) && !principalArnRE.MatchString(p) {
				return nil, invalid(el.members[i], p, "an AWS principal is \"*\", a 12-digit account id or an IAM or STS ARN")
			}
			if k == "Service" && p != "*" && !strings.Contains(p, ".") {
				return nil, invalid(el.members[i], p, "a service principal looks like service.amazonaws.com")
			}
		}
		m[k] = append(m[k], vals...)
	}
	return m, nil
}

// TrustRequest is one question to a trust policy: may this principal
// perform Action (sts:AssumeRole) on the role?
type TrustRequest struct {
	Action string
	// Principal is what the caller is known as: its ARN (user, role
	// session) and the role ARN behind a session; Account its account id.
	PrincipalArns []string
	Account       string
	Partition     string
	// Context as for Request (aws:PrincipalArn, sts:ExternalId, …).
	Context map[string][]string
}

// TrustResult is a trust policy's decision and how the caller was named by
// the Allow that decided it.
type TrustResult struct {
	Decision Decision
	// ByArn is true when an applicable Allow names the caller's own ARN (or
	// "*"), not only its account: in the role's own account such an Allow
	// grants without an identity policy.
	ByArn bool
}

// EvaluateTrust decides req against a role's trust policy: an applicable
// Deny wins, else an applicable Allow, else implicit deny. An "AWS"
// principal of a bare account id or arn:PARTITION:iam::ID:root names every
// principal of that account; any other ARN names exactly that principal
// (an assumed-role ARN one session, a role ARN every session of the role).
func EvaluateTrust(req TrustRequest, doc *Document) TrustResult {
	ctx := newReqContext(req.Context)
	vars := doc.Version == Version2012
	var r TrustResult
	allowed, deny := false, false
	for _, s := range doc.Statements {
		if s.Action != nil && !anyAction(s.Action, req.Action) || s.NotAction != nil && anyAction(s.NotAction, req.Action) {
			continue
		}
		var named, byArn bool
		if s.Principal != nil {
			named, byArn = principalNamed(s.Principal, req)
		} else {
			named, _ = principalNamed(s.NotPrincipal, req)
			named = !named
		}
		if !named {
			continue
		}
		ok := true
		for _, c := range s.Conditions {
			if !evalCondition(c, ctx, vars) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if s.Effect == Deny {
			deny = true
			continue
		}
		allowed = true
		r.ByArn = r.ByArn || byArn
	}
	switch {
	case deny:
		return TrustResult{Decision: ExplicitDeny}
	case allowed:
		r.Decision = Allowed
	}
	return r
}

// principalNamed reports whether the "AWS" principals of m name the caller,
// and whether by ARN (or "*") rather than by account.
func principalNamed(m map[string][]string, req TrustRequest) (named, byArn bool) {
	root := "arn:" + req.Partition + ":iam::" + req.Account + ":root"
	for _, p := range m["AWS"] {
		switch {
		case p == "*":
			return true, true
		case p == req.Account || p == root:
			named = true
		default:
			for _, a := range req.PrincipalArns {
				if p == a {
					return true, true
				}
			}
		}
	}
	return named, false
}
