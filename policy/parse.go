package policy

import (
	"fmt"
	"strings"
)

// Policy language versions (docs/policy-evaluation.md#statement-matching).
// Only Version2012 enables policy variables.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Position is a 1-based line and column in a policy document's text.
type Position struct {
	Line, Column int
}

// String formats the position as line:column.
func (p Position) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// Document is a parsed identity policy.
type Document struct {
	// Version is "2012-10-17", "2008-10-17", or "" when the element is absent.
	Version    string
	Statements []Statement
}

// Statement is one element of a policy's Statement list. Exactly one of
// Action/NotAction and one of Resource/NotResource is non-nil.
type Statement struct {
	Sid         string
	Effect      Effect
	Action      []string
	NotAction   []string
	Resource    []string
	NotResource []string
	// Principal and NotPrincipal are a trust policy's principals by type
	// ("AWS", "Service", "Federated"); "Principal": "*" is {"AWS": ["*"]}.
	// Both are nil in identity policies, which may not name principals.
	Principal    map[string][]string
	NotPrincipal map[string][]string
	// Conditions in document order; one entry per operator/key pair.
	Conditions []Condition
	// Start and End are the positions of the statement's opening and closing
	// braces in the parsed text (zero for documents built in code).
	Start, End Position
}

// Effect is a statement's Effect: Allow or Deny.
type Effect string

// The two effects IAM accepts; the spelling is case-sensitive.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Condition is one operator/key pair of a Condition block, e.g.
// {Operator: "BoolIfExists", Key: "aws:MultiFactorAuthPresent", Values: ["false"]}.
// JSON booleans and numbers are kept as their literal text ("false", "3600").
type Condition struct {
	Operator string
	Key      string
	Values   []string
}

// ParseError is a policy document that IAM would refuse, with the position
// of the offending text.
type ParseError struct {
	Pos Position
	Msg string
	// Rule is the grammar rule broken, and Value the offending action or
	// resource, for callers that answer with IAM's own texts (the emulator).
	Rule  Rule
	Value string
}

// Rule names the rules of IAM's grammar that IAM reports with a message of
// their own; every other refusal is IAM's "Syntax errors in policy.".
type Rule int

const (
	RuleSyntax         Rule = iota // any other error
	RuleActionFormat               // an action that is not "*" or service:Action
	RuleResourceFormat             // a resource that is not "*" or an ARN
	RuleNoResource                 // a statement with neither Resource nor NotResource
	// Trust policies (ParseTrust) only:
	RuleNoPrincipal        // a statement with neither Principal nor NotPrincipal
	RuleProhibitedResource // a statement with Resource or NotResource
	RuleTrustAction        // an action that is not one of STS's AssumeRole family
	RuleInvalidPrincipal   // a principal that is not an ARN, account id, service or "*"
)

// Error formats the error as "policy: line:column: message".
func (e *ParseError) Error() string {
	return fmt.Sprintf("policy: %s: %s", e.Pos, e.Msg)
}

// Parse parses an identity policy strictly: everything IAM's validator
// rejects (docs/policy-evaluation.md#validation) is an error here, because a
// document we accept but AWS refuses would fail only at CreatePolicy time.
func Parse(doc string) (*Document, error) {
	src := []byte(doc)
	root, err := parseTree(src)
	if err != nil {
		return nil, err
	}
	v := &validator{src: src}
	return v.document(root)
}

type validator struct {
	src   []byte
	trust bool // a role trust policy (ParseTrust), not an identity policy
}

func (v *validator) errAt(n *node, format string, args ...any) error {
	return &ParseError{Pos: positionOf(v.src, n.start), Msg: fmt.Sprintf(format, args...)}
}

func (v *validator) keyErr(n *node, i int, format string, args ...any) error {
	return &ParseError{Pos: positionOf(v.src, n.keyPos[i]), Msg: fmt.Sprintf(format, args...)}
}

// checkKeys rejects keys that are not in allowed, naming the intended
// spelling for case variants such as "effect" and explaining forbidden ones.
func (v *validator) checkKeys(n *node, where string, allowed []string, forbidden map[string]string) error {
next:
	for i, k := range n.keys {
		for _, a := range allowed {
			if k == a {
				continue next
			}
		}
		for f, why := range forbidden {
			if strings.EqualFold(k, f) {
				return v.keyErr(n, i, "%s: %q %s", where, k, why)
			}
		}
		for _, a := range allowed {
			if strings.EqualFold(k, a) {
				return v.keyErr(n, i, "%s: key %q must be spelled %q (IAM element names are case-sensitive)", where, k, a)
			}
		}
		return v.keyErr(n, i, "%s: unknown key %q", where, k)
	}
	return nil
}

func (v *validator) document(root *node) (*Document, error) {
	if root.kind != kindObject {
		return nil, v.errAt(root, "a policy must be a JSON object, not %s", root.kind)
	}
	err := v.checkKeys(root, "policy", []string{"Version", "Statement"}, map[string]string{
		"Id": "is not allowed in an identity policy",
	})
	if err != nil {
		return nil, err
	}
	d := &Document{}
	if n := root.lookup("Version"); n != nil {
		if n.kind != kindString || (n.text != Version2012 && n.text != Version2008) {
			return nil, v.errAt(n, "Version must be %q or %q", Version2012, Version2008)
		}
		d.Version = n.text
	}
	st := root.lookup("Statement")
	if st == nil {
		return nil, v.errAt(root, "policy has no Statement")
	}
	items := []*node{st} // a single statement object is allowed (golden M9)
	if st.kind == kindArray {
		items = st.members
		if len(items) == 0 {
			return nil, v.errAt(st, "Statement list is empty")
		}
	}
	for _, item := range items {
		s, err := v.statement(item)
		if err != nil {
			return nil, err
		}
		d.Statements = append(d.Statements, s)
	}
	return d, nil
}

func (v *validator) statement(n *node) (Statement, error) {
	var s Statement
	if n.kind != kindObject {
		return s, v.errAt(n, "a statement must be an object, not %s", n.kind)
	}
	s.Start, s.End = positionOf(v.src, n.start), positionOf(v.src, n.end)
	var err error
	if v.trust {
		err = v.checkKeys(n, "statement", []string{"Sid", "Effect", "Action", "NotAction", "Principal", "NotPrincipal", "Condition"},
			map[string]string{
				"Resource":    "is not allowed in a trust policy",
				"NotResource": "is not allowed in a trust policy",
			})
	} else {
		err = v.checkKeys(n, "statement", []string{"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"},
			map[string]string{
				"Principal":    "is not allowed in an identity policy",
				"NotPrincipal": "is not allowed in an identity policy",
			})
	}
	if err != nil {
		if v.trust && err.(*ParseError).Rule == RuleSyntax && (n.lookup("Resource") != nil || n.lookup("NotResource") != nil) {
			err.(*ParseError).Rule = RuleProhibitedResource
		}
		return s, err
	}
	if sid := n.lookup("Sid"); sid != nil {
		if sid.kind != kindString || !validSid(sid.text) {
			return s, v.errAt(sid, "Sid must be a string of letters and digits only (IAM allows [A-Za-z0-9])")
		}
		s.Sid = sid.text
	}
	eff := n.lookup("Effect")
	switch {
	case eff == nil:
		return s, v.errAt(n, "statement has no Effect")
	case eff.kind != kindString || (eff.text != string(Allow) && eff.text != string(Deny)):
		return s, v.errAt(eff, "Effect must be \"Allow\" or \"Deny\"")
	}
	s.Effect = Effect(eff.text)
	if s.Action, s.NotAction, err = v.pair(n, "Action", "NotAction", validAction); err != nil {
		return s, err
	}
	if v.trust {
		if s.Principal, s.NotPrincipal, err = v.principals(n); err != nil {
			return s, err
		}
	} else if s.Resource, s.NotResource, err = v.pair(n, "Resource", "NotResource", validResource); err != nil {
		return s, err
	}
	if c := n.lookup("Condition"); c != nil {
		if s.Conditions, err = v.conditions(c); err != nil {
			return s, err
		}
	}
	return s, nil
}

// pair reads an Element/NotElement pair of which exactly one must be present.
func (v *validator) pair(n *node, name, notName string, check func(string) string) ([]string, []string, error) {
	a, b := n.lookup(name), n.lookup(notName)
	switch {
	case a != nil && b != nil:
		return nil, nil, v.errAt(b, "statement has both %s and %s; use one", name, notName)
	case a == nil && b == nil:
		err := v.errAt(n, "statement needs %s or %s", name, notName)
		if name == "Resource" {
			err.(*ParseError).Rule = RuleNoResource
		}
		return nil, nil, err
	}
	field, el := name, a
	if a == nil {
		field, el = notName, b
	}
	list, err := v.stringOrList(el, field, false)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range list {
		if msg := check(s); msg != "" {
			err := v.errAt(el, "%s %q: %s", field, s, msg).(*ParseError)
			err.Rule, err.Value = RuleActionFormat, s
			if name == "Resource" {
				err.Rule = RuleResourceFormat
			}
			return nil, nil, err
		}
	}
	if a != nil {
		return list, nil, nil
	}
	return nil, list, nil
}

// stringOrList reads IAM's "string or list of strings". Condition values may
// also be JSON booleans or numbers (AWS accepts {"aws:...":false}; golden M8).
func (v *validator) stringOrList(n *node, field string, scalars bool) ([]string, error) {
	items := []*node{n}
	if n.kind == kindArray {
		items = n.members
		if len(items) == 0 {
			return nil, v.errAt(n, "%s must not be an empty list", field)
		}
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		ok := it.kind == kindString || (scalars && (it.kind == kindBool || it.kind == kindNumber))
		if !ok {
			return nil, v.errAt(it, "%s must be a string or a list of strings, not %s", field, it.kind)
		}
		out = append(out, it.text)
	}
	return out, nil
}

func (v *validator) conditions(c *node) ([]Condition, error) {
	if c.kind != kindObject {
		return nil, v.errAt(c, "Condition must be an object")
	}
	var out []Condition
	for i, op := range c.keys {
		if msg := checkOperator(op); msg != "" {
			return nil, v.keyErr(c, i, "Condition operator %q: %s", op, msg)
		}
		block := c.members[i]
		if block.kind != kindObject || len(block.keys) == 0 {
			return nil, v.errAt(block, "Condition operator %q must map to a non-empty object of keys", op)
		}
		for j, key := range block.keys {
			if key == "" {
				return nil, v.keyErr(block, j, "empty condition key")
			}
			vals, err := v.stringOrList(block.members[j], "condition value of "+key, true)
			if err != nil {
				return nil, err
			}
			out = append(out, Condition{Operator: op, Key: key, Values: vals})
		}
	}
	return out, nil
}

func validSid(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

func validAction(a string) string {
	if a == "*" {
		return ""
	}
	svc, name, ok := strings.Cut(a, ":")
	if !ok || svc == "" || name == "" || strings.ContainsAny(svc, "*?") {
		return "must be \"*\" or service:Action (no wildcard in the service prefix)"
	}
	return ""
}

func validResource(r string) string {
	if r == "*" || strings.HasPrefix(r, "arn:") && strings.Count(r, ":") >= 5 {
		return ""
	}
	return "must be \"*\" or an ARN with six colon-separated parts"
}
