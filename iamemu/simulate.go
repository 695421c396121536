package iamemu

import (
	"errors"
	"fmt"
	"strings"

	pol "github.com/gatehouse/portal/policy"
)

// SimulatePrincipalPolicy and SimulateCustomPolicy (see
// docs/policy-evaluation.md#simulator): decisions come from policy.Simulate,
// literal like AWS's simulator (no GetSessionToken/GetCallerIdentity
// override). Permissions boundaries, resource policies, SCPs and policy
// exclusions are not emulated and are refused with InvalidInput rather than
// ignored.

// simSourceType is the SourcePolicyType a real recording shows for a user's
// customer-managed policy (docs/policy-evaluation.md#simulator); AWS's value
// for inline, group and PolicyInputList policies is unrecorded, so all use
// it.
const simSourceType = "IAM Policy"

type xmlPosition struct{ Line, Column int }

type xmlStatement struct {
	SourcePolicyId, SourcePolicyType string
	StartPosition, EndPosition       xmlPosition
}

type xmlResourceResult struct {
	EvalResourceName     string
	EvalResourceDecision string
	MatchedStatements    members[xmlStatement]
	MissingContextValues members[string]
	EvalDecisionDetails  struct{}
}

type xmlOrganizations struct{ AllowedByOrganizations bool }

type xmlEvalResult struct {
	EvalActionName              string
	EvalResourceName            string
	EvalDecision                string
	MatchedStatements           members[xmlStatement]
	MissingContextValues        members[string]
	EvalDecisionDetails         *struct{} // empty same-account with a resource ARN, absent for "*"
	OrganizationsDecisionDetail xmlOrganizations
	ResourceSpecificResults     *members[xmlResourceResult]
}

type simulateResult struct {
	EvaluationResults members[xmlEvalResult]
	page
}

var unsupportedSimParams = []string{
	"PermissionsBoundaryPolicyInputList", "PolicyExclusionList", "ResourcePolicy",
	"ResourceOwner", "ResourceHandlingOption", "OrderedOrganizationPolicyInputList",
}

// policySourceResource is SimulatePrincipalPolicy's authz resource: the
// simulated user or group (docs/policy-evaluation.md#simulator).
func policySourceResource(c *call) string { return c.p.get("PolicySourceArn") }

func simulatePrincipalPolicy(c *call) (any, *apiError) {
	var v checker
	src := v.str(c.p, "PolicySourceArn", mkRule(20, 2048, "", ""), true)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := c.checkArnPartition(src); err != nil {
		return nil, err
	}
	sources, callerArn, err := c.principalSources(src)
	if err != nil {
		return nil, err
	}
	extra, err := inputPolicies(c.p, false)
	if err != nil {
		return nil, err
	}
	return c.simulate(append(sources, extra...), callerArn)
}

func simulateCustomPolicy(c *call) (any, *apiError) {
	sources, err := inputPolicies(c.p, true)
	if err != nil {
		return nil, err
	}
	return c.simulate(sources, "")
}

// principalSources returns the identity policies of the user or group
// arn names — for a user including its groups' policies — and, for a user,
// its ARN as the default CallerArn.
func (c *call) principalSources(arn string) ([]pol.Source, string, *apiError) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" {
		return nil, "", errf("InvalidInput", "Invalid Entity Arn: %s", arn)
	}
	kind, rest, _ := strings.Cut(parts[5], "/")
	name := rest[strings.LastIndexByte(rest, '/')+1:]
	notFound := errf("NoSuchEntity", "The %s with name %s cannot be found.", kind, name)
	switch {
	case kind != "user" && kind != "group" && kind != "role":
		return nil, "", errf("InvalidInput", "Invalid Entity Arn: %s", arn)
	case parts[4] != c.st.AccountID || name == "" || kind == "role":
		return nil, "", notFound // the emulator has no roles
	}
	var docs []PolicyDoc
	if kind == "group" {
		g := c.st.Groups[strings.ToLower(name)]
		if g == nil || c.st.groupArn(g) != arn {
			return nil, "", notFound
		}
		docs = c.st.policiesOf(nil, g.Attached, g.Inline)
	} else {
		u := c.st.Users[strings.ToLower(name)]
		if u == nil || c.now.Before(u.VisibleAt) || c.st.userArn(u) != arn {
			return nil, "", notFound
		}
		docs = c.st.userPolicies(u)
	}
	out := make([]pol.Source, 0, len(docs))
	for _, d := range docs {
		if d.Parsed == nil {
			return nil, "", errf("PolicyEvaluation", "Policy %s could not be evaluated.", d.Name)
		}
		out = append(out, pol.Source{ID: d.Name, Type: simSourceType, Doc: d.Parsed})
	}
	if kind == "group" {
		return out, "", nil
	}
	return out, arn, nil
}

// inputPolicies parses PolicyInputList.member.N, named PolicyInputList.N as
// AWS reports them. It also refuses the parameters the emulator ignores.
func inputPolicies(p params, required bool) ([]pol.Source, *apiError) {
	for _, name := range unsupportedSimParams {
		for k := range p {
			if k == name || strings.HasPrefix(k, name+".") {
				return nil, errf("InvalidInput", "%s is not supported by the emulator.", name)
			}
		}
	}
	docs := p.list("PolicyInputList")
	if docs == nil && required {
		return nil, validationErr("Value null at 'policyInputList' failed to satisfy constraint: Member must not be null")
	}
	var v checker
	for i := range docs {
		v.str(p, fmt.Sprintf("PolicyInputList.member.%d", i+1), rulePolicyDoc, false)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	out := make([]pol.Source, 0, len(docs))
	for i, d := range docs {
		doc, err := pol.Parse(d)
		if err != nil {
			return nil, errf("InvalidInput", "PolicyInputList.%d is not a valid policy: %s", i+1, err.Error())
		}
		out = append(out, pol.Source{ID: fmt.Sprintf("PolicyInputList.%d", i+1), Type: simSourceType, Doc: doc})
	}
	return out, nil
}

// simulate runs policy.Simulate on the request's actions, resources and
// context and returns the requested page of results.
func (c *call) simulate(sources []pol.Source, defaultCaller string) (any, *apiError) {
	actions := c.p.list("ActionNames")
	if actions == nil {
		return nil, validationErr("Value null at 'actionNames' failed to satisfy constraint: Member must not be null")
	}
	var v checker
	v.str(c.p, "Marker", mkRule(1, 320, `[\u0020-\u00FF]+`, `[\x{20}-\x{FF}]+`), false)
	caller := v.str(c.p, "CallerArn", mkRule(1, 2048, "", ""), false)
	if err := v.err(); err != nil {
		return nil, err
	}
	if caller == "" {
		caller = defaultCaller
	}
	in := pol.SimulateInput{Policies: sources, ActionNames: actions, ResourceArns: c.p.list("ResourceArns"), ContextEntries: contextEntries(c.p), CallerArn: caller}
	results, err := pol.Simulate(in)
	if errors.Is(err, pol.ErrInvalidInput) {
		return nil, errf("InvalidInput", "%s", strings.TrimPrefix(err.Error(), pol.ErrInvalidInput.Error()+": "))
	} else if err != nil {
		return nil, errf("PolicyEvaluation", "%s", err.Error())
	}
	items, pg, aerr := paginate(c.p, indexes(len(results)), func(i int) string { return fmt.Sprintf("%08d", i) })
	if aerr != nil {
		return nil, aerr
	}
	out := simulateResult{EvaluationResults: list([]xmlEvalResult{}), page: pg}
	for _, i := range items {
		out.EvaluationResults.Member = append(out.EvaluationResults.Member, evalXML(results[i]))
	}
	return out, nil
}

// contextEntries reads ContextEntries.member.N.{ContextKeyName,
// ContextKeyType, ContextKeyValues.member.M}.
func contextEntries(p params) []pol.ContextEntry {
	var out []pol.ContextEntry
	for i := 1; ; i++ {
		prefix := fmt.Sprintf("ContextEntries.member.%d.", i)
		name, ok := p[prefix+"ContextKeyName"]
		if !ok {
			return out
		}
		out = append(out, pol.ContextEntry{Key: name[0], Type: p.get(prefix + "ContextKeyType"), Values: p.list(prefix + "ContextKeyValues")})
	}
}

func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func statementsXML(refs []pol.StatementRef) members[xmlStatement] {
	out := list([]xmlStatement{})
	for _, r := range refs {
		out.Member = append(out.Member, xmlStatement{r.SourcePolicyID, r.SourcePolicyType,
			xmlPosition{r.StartPosition.Line, r.StartPosition.Column}, xmlPosition{r.EndPosition.Line, r.EndPosition.Column}})
	}
	return out
}

func evalXML(r pol.EvalResult) xmlEvalResult {
	x := xmlEvalResult{
		EvalActionName: r.EvalActionName, EvalResourceName: r.EvalResourceName, EvalDecision: r.EvalDecision.String(),
		MatchedStatements: statementsXML(r.MatchedStatements), MissingContextValues: list(append([]string{}, r.MissingContextValues...)),
		OrganizationsDecisionDetail: xmlOrganizations{AllowedByOrganizations: true},
	}
	if r.EvalResourceName != "*" {
		x.EvalDecisionDetails = &struct{}{}
	}
	if len(r.ResourceSpecificResults) > 0 {
		rs := list([]xmlResourceResult{})
		for _, s := range r.ResourceSpecificResults {
			rs.Member = append(rs.Member, xmlResourceResult{
				EvalResourceName: s.EvalResourceName, EvalResourceDecision: s.EvalResourceDecision.String(),
				MatchedStatements: statementsXML(s.MatchedStatements), MissingContextValues: list(append([]string{}, s.MissingContextValues...)),
			})
		}
		x.ResourceSpecificResults = &rs
	}
	return x
}
