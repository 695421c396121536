package policy

import (
	"sort"
	"strings"
)

// Decision is the outcome of evaluating a request, named as the IAM
// simulator's EvalDecision.
type Decision int

// The three decisions (docs/policy-evaluation.md#decisions). The zero value
// is ImplicitDeny: every request starts denied.
const (
	ImplicitDeny Decision = iota
	Allowed
	ExplicitDeny
)

// String returns the simulator's spelling: "allowed", "explicitDeny" or
// "implicitDeny".
func (d Decision) String() string {
	switch d {
	case Allowed:
		return "allowed"
	case ExplicitDeny:
		return "explicitDeny"
	}
	return "implicitDeny"
}

// ParseDecision is the inverse of Decision.String.
func ParseDecision(s string) (Decision, bool) {
	for _, d := range []Decision{ImplicitDeny, Allowed, ExplicitDeny} {
		if d.String() == s {
			return d, true
		}
	}
	return ImplicitDeny, false
}

// Source is one identity policy attached to the principal, with the
// identifiers the simulator reports in MatchedStatements.
type Source struct {
	// ID is the SourcePolicyId: the policy name, or "PolicyInputList.N".
	ID string
	// Type is the SourcePolicyType: user, group, role, aws-managed,
	// user-managed, resource or none.
	Type string
	Doc  *Document
}

// Request is one authorization question: may the principal whose context
// this is perform Action on Resource?
type Request struct {
	Action   string
	Resource string
	// Context maps condition keys (case-insensitive) to their values; a key
	// that is absent or has no values is missing
	// (docs/policy-evaluation.md#conditions).
	Context map[string][]string
}

// Match identifies a statement that decided a result.
type Match struct {
	SourceID   string
	SourceType string
	Sid        string
	// Index is the statement's 0-based position in its document.
	Index      int
	Start, End Position
}

// Result is the decision for one request and the statements behind it.
type Result struct {
	Decision Decision
	// Matched lists the deny statements for ExplicitDeny, the allow
	// statements for Allowed, and nothing for ImplicitDeny.
	Matched []Match
	// MissingContextKeys are the keys referenced anywhere in the policies
	// (conditions and variables without defaults) that the request lacks,
	// sorted. Like AWS, this covers the whole policy, not only statements
	// relevant to the action (boto3#3111).
	MissingContextKeys []string
}

// Evaluate decides req against identity policies of one account: an
// applicable Deny wins, else an applicable Allow, else implicit deny.
// Statement and policy order do not matter. Evaluation is literal: see
// Override for operations AWS decides without policies
// (docs/policy-evaluation.md#operations-outside-policy).
func Evaluate(req Request, policies ...Source) Result {
	ctx := newReqContext(req.Context)
	var allows, denies []Match
	for _, src := range policies {
		if src.Doc == nil {
			continue
		}
		vars := src.Doc.Version == Version2012
		for i, s := range src.Doc.Statements {
			if !s.applies(req.Action, req.Resource, ctx, vars) {
				continue
			}
			m := Match{SourceID: src.ID, SourceType: src.Type, Sid: s.Sid, Index: i, Start: s.Start, End: s.End}
			if s.Effect == Deny {
				denies = append(denies, m)
			} else {
				allows = append(allows, m)
			}
		}
	}
	r := Result{MissingContextKeys: missingKeys(ctx, policies)}
	switch {
	case len(denies) > 0:
		r.Decision, r.Matched = ExplicitDeny, denies
	case len(allows) > 0:
		r.Decision, r.Matched = Allowed, allows
	}
	return r
}

// applies reports whether the statement's action, resource and every
// condition match the request.
func (s *Statement) applies(action, resource string, ctx reqContext, vars bool) bool {
	if s.Action != nil && !anyAction(s.Action, action) || s.NotAction != nil && anyAction(s.NotAction, action) {
		return false
	}
	if s.Resource != nil && !anyResource(s.Resource, resource, ctx, vars) ||
		s.NotResource != nil && anyResource(s.NotResource, resource, ctx, vars) {
		return false
	}
	for _, c := range s.Conditions {
		if !evalCondition(c, ctx, vars) {
			return false
		}
	}
	return true
}

// anyAction matches action names case-insensitively, prefix and name alike
// (golden G45).
func anyAction(patterns []string, action string) bool {
	for _, p := range patterns {
		if p == "*" || globMatch(literalPattern(p), action, true) {
			return true
		}
	}
	return false
}

// anyResource matches resources case-sensitively per ARN component. A
// pattern with an unresolvable variable matches nothing (golden G51).
func anyResource(patterns []string, resource string, ctx reqContext, vars bool) bool {
	for _, p := range patterns {
		tokens, ok, _ := compileValue(p, ctx, vars)
		if ok && arnMatch(tokens, resource) {
			return true
		}
	}
	return false
}

// missingKeys lists, once each and sorted, the context keys the policies
// refer to that ctx does not supply.
func missingKeys(ctx reqContext, policies []Source) []string {
	seen := map[string]bool{}
	var out []string
	add := func(k string) {
		lk := strings.ToLower(k)
		if _, present := ctx.get(k); present || seen[lk] {
			return
		}
		seen[lk] = true
		out = append(out, k)
	}
	for _, src := range policies {
		if src.Doc == nil {
			continue
		}
		vars := src.Doc.Version == Version2012
		for _, s := range src.Doc.Statements {
			for _, list := range [][]string{s.Resource, s.NotResource} {
				for _, p := range list {
					for _, k := range variableRefs(p, vars) {
						add(k)
					}
				}
			}
			for _, c := range s.Conditions {
				add(c.Key)
				op, _ := parseOperator(c.Operator)
				for _, v := range c.Values {
					for _, k := range variableRefs(v, vars && op.spec.vars) {
						add(k)
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out
}
