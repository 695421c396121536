package policy

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// ErrInvalidInput marks Simulate errors that IAM reports as InvalidInput
// (HTTP 400). Test with errors.Is.
var ErrInvalidInput = errors.New("invalid input")

// ContextEntry is one ContextEntries.member of a simulation request.
type ContextEntry struct {
	Key string
	// Type is one of string, stringList, numeric, numericList, boolean,
	// booleanList, ip, ipList, binary, binaryList, date, dateList
	// (docs/policy-evaluation.md#simulator).
	Type   string
	Values []string
}

// SimulateInput is the part of SimulatePrincipalPolicy and
// SimulateCustomPolicy that concerns evaluation; fetching the principal's
// policies and paginating are the emulator's job.
type SimulateInput struct {
	// Policies are the identity policies to evaluate together.
	Policies []Source
	// ActionNames are full service:Action names; wildcards are refused.
	ActionNames []string
	// ResourceArns defaults to ["*"].
	ResourceArns   []string
	ContextEntries []ContextEntry
	// CallerArn, if set, must be an IAM user ARN. Its user name fills
	// aws:username when no entry supplies it, so ${aws:username} resolves as
	// the docs imply (unverified against AWS,
	// docs/policy-evaluation.md#simulator).
	CallerArn string
}

// StatementRef is one MatchedStatements.member.
type StatementRef struct {
	SourcePolicyID   string
	SourcePolicyType string
	// StartPosition and EndPosition follow what AWS's CLI example shows: one
	// column past the statement's opening and closing braces
	// (docs/policy-evaluation.md#simulator). The convention is undocumented;
	// consumers should match by overlap.
	StartPosition, EndPosition Position
	// Sid is not part of the AWS shape; it saves local callers the mapping.
	Sid string
}

// ResourceSpecificResult is one ResourceSpecificResults.member.
type ResourceSpecificResult struct {
	EvalResourceName     string
	EvalResourceDecision Decision
	MatchedStatements    []StatementRef
	MissingContextValues []string
}

// EvalResult is one EvaluationResults.member: an action on a resource.
type EvalResult struct {
	EvalActionName    string
	EvalResourceName  string
	EvalDecision      Decision
	MatchedStatements []StatementRef
	// MissingContextValues is filled here only when the resource is "*";
	// for an explicit resource AWS reports it under ResourceSpecificResults
	// (docs/policy-evaluation.md#simulator), and so do we.
	MissingContextValues    []string
	ResourceSpecificResults []ResourceSpecificResult
}

// Simulate evaluates every action against every resource, in that order
// (action-major, as IAM lists EvaluationResults). Decisions are literal
// policy evaluation, like the IAM simulator: it does not apply Override.
func Simulate(in SimulateInput) ([]EvalResult, error) {
	if len(in.ActionNames) == 0 {
		return nil, fmt.Errorf("%w: ActionNames is required", ErrInvalidInput)
	}
	for _, a := range in.ActionNames {
		if strings.ContainsAny(a, "*?") || validAction(a) != "" {
			return nil, fmt.Errorf("%w: action %q must be a full service:Action name without wildcards", ErrInvalidInput, a)
		}
	}
	ctx, err := contextFromEntries(in.ContextEntries)
	if err != nil {
		return nil, err
	}
	if in.CallerArn != "" {
		_, _, _, name := splitUserARN(in.CallerArn)
		if name == "" {
			return nil, fmt.Errorf("%w: CallerArn %q must be an IAM user ARN", ErrInvalidInput, in.CallerArn)
		}
		if _, ok := newReqContext(ctx).get("aws:username"); !ok {
			ctx["aws:username"] = []string{name}
		}
	}
	resources := in.ResourceArns
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	var out []EvalResult
	for _, action := range in.ActionNames {
		for _, res := range resources {
			r := Evaluate(Request{Action: action, Resource: res, Context: ctx}, in.Policies...)
			refs := statementRefs(in.Policies, r.Matched)
			er := EvalResult{EvalActionName: action, EvalResourceName: res, EvalDecision: r.Decision, MatchedStatements: refs}
			if res == "*" {
				er.MissingContextValues = r.MissingContextKeys
			} else {
				er.ResourceSpecificResults = []ResourceSpecificResult{{
					EvalResourceName: res, EvalResourceDecision: r.Decision,
					MatchedStatements: refs, MissingContextValues: r.MissingContextKeys,
				}}
			}
			out = append(out, er)
		}
	}
	return out, nil
}

func statementRefs(policies []Source, matched []Match) []StatementRef {
	refs := make([]StatementRef, 0, len(matched))
	for _, m := range matched {
		refs = append(refs, StatementRef{
			SourcePolicyID: m.SourceID, SourcePolicyType: m.SourceType, Sid: m.Sid,
			StartPosition: Position{m.Start.Line, m.Start.Column + 1},
			EndPosition:   Position{m.End.Line, m.End.Column + 1},
		})
	}
	return refs
}

// contextFromEntries validates entries as IAM does and merges them into a
// request context. An entry with no values leaves its key missing.
func contextFromEntries(entries []ContextEntry) (map[string][]string, error) {
	ctx := map[string][]string{}
	for _, e := range entries {
		if n := len(e.Key); n < 5 || n > 256 {
			return nil, fmt.Errorf("%w: context key name %q must be 5 to 256 characters", ErrInvalidInput, e.Key)
		}
		base, list := strings.CutSuffix(e.Type, "List")
		check, ok := valueCheckers[base]
		if !ok {
			return nil, fmt.Errorf("%w: context key %q has unknown type %q", ErrInvalidInput, e.Key, e.Type)
		}
		if !list && len(e.Values) > 1 {
			return nil, fmt.Errorf("%w: context key %q of type %s takes one value, got %d", ErrInvalidInput, e.Key, e.Type, len(e.Values))
		}
		for _, v := range e.Values {
			if !check(v) {
				return nil, fmt.Errorf("%w: context key %q: %q is not a valid %s", ErrInvalidInput, e.Key, v, base)
			}
		}
		ctx[e.Key] = append(ctx[e.Key], e.Values...)
	}
	return ctx, nil
}

var valueCheckers = map[string]func(string) bool{
	"string":  func(string) bool { return true },
	"numeric": func(s string) bool { _, ok := parseNumber(s); return ok },
	"boolean": func(s string) bool { _, ok := parseBool(s); return ok },
	"date":    func(s string) bool { _, ok := parseDate(s); return ok },
	"binary": func(s string) bool {
		_, err := base64.StdEncoding.DecodeString(s)
		return err == nil
	},
	"ip": func(s string) bool {
		if _, err := netip.ParseAddr(s); err == nil {
			return true
		}
		_, err := netip.ParsePrefix(s)
		return err == nil
	},
}
