package awsiam

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// ContextEntry is one request-context key for a simulation, e.g.
// {"aws:MultiFactorAuthPresent", "boolean", ["true"]}.
type ContextEntry struct {
	Key    string
	Type   string // string, numeric, boolean, … (IAM's ContextKeyType)
	Values []string
}

// Simulation asks what a principal may do: every action is evaluated
// against every resource (none means "*").
type Simulation struct {
	// PolicySourceARN is the user (or group, role) whose policies count.
	PolicySourceARN string
	Actions         []string
	Resources       []string
	Context         []ContextEntry
}

// MatchedStatement is a statement that decided a result: its policy and the
// statement's position in that policy's text (1-based, approximate —
// docs/policy-evaluation.md#simulator).
type MatchedStatement struct {
	PolicyID, PolicyType   string
	StartLine, StartColumn int
	EndLine, EndColumn     int
}

// SimulationResult is the decision for one action on one resource.
type SimulationResult struct {
	Action   string
	Resource string
	Decision string // "allowed", "explicitDeny" or "implicitDeny"
	Matched  []MatchedStatement
	// MissingContext are context keys the policies reference that the
	// simulation did not supply (computed over whole policies by IAM).
	MissingContext []string
}

// SimulatePrincipalPolicy runs IAM's policy simulator for sim, following
// IsTruncated/Marker until every result is in.
func (c *Client) SimulatePrincipalPolicy(ctx context.Context, sim Simulation) ([]SimulationResult, error) {
	in := &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(sim.PolicySourceARN), ActionNames: sim.Actions,
		ResourceArns: sim.Resources}
	for _, e := range sim.Context {
		in.ContextEntries = append(in.ContextEntries, types.ContextEntry{ContextKeyName: aws.String(e.Key),
			ContextKeyType: types.ContextKeyTypeEnum(e.Type), ContextKeyValues: e.Values})
	}
	var out []SimulationResult
	p := iam.NewSimulatePrincipalPolicyPaginator(c.iam, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("SimulatePrincipalPolicy", err)
		}
		for _, r := range page.EvaluationResults {
			out = append(out, simulationResult(r))
		}
	}
	return out, nil
}

// simulationResult converts one SDK result. With explicit resources IAM may
// report MissingContextValues per resource only
// (docs/policy-evaluation.md#simulator), so both places are merged.
func simulationResult(r types.EvaluationResult) SimulationResult {
	res := SimulationResult{Action: aws.ToString(r.EvalActionName), Resource: aws.ToString(r.EvalResourceName),
		Decision: string(r.EvalDecision), Matched: matched(r.MatchedStatements)}
	seen := map[string]bool{}
	add := func(keys []string) {
		for _, k := range keys {
			if !seen[k] {
				seen[k] = true
				res.MissingContext = append(res.MissingContext, k)
			}
		}
	}
	add(r.MissingContextValues)
	for _, rs := range r.ResourceSpecificResults {
		add(rs.MissingContextValues)
		if len(res.Matched) == 0 && aws.ToString(rs.EvalResourceName) == res.Resource {
			res.Matched = matched(rs.MatchedStatements)
		}
	}
	return res
}

func matched(sts []types.Statement) []MatchedStatement {
	var out []MatchedStatement
	for _, s := range sts {
		m := MatchedStatement{PolicyID: aws.ToString(s.SourcePolicyId), PolicyType: string(s.SourcePolicyType)}
		if p := s.StartPosition; p != nil {
			m.StartLine, m.StartColumn = int(p.Line), int(p.Column)
		}
		if p := s.EndPosition; p != nil {
			m.EndLine, m.EndColumn = int(p.Line), int(p.Column)
		}
		out = append(out, m)
	}
	return out
}
