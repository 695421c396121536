package onboarding

import (
	"context"
	"strconv"

	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/policy"
)

// MatrixContexts names the three credential kinds of the before/after-MFA
// matrix, in column order (docs/policy-evaluation.md#simulator).
var MatrixContexts = []string{"long-term-key", "session-without-mfa", "session-with-mfa"}

// MatrixCell is the simulator's answer for one action in one context.
type MatrixCell struct {
	Context string
	// Decision is what AWS does: the simulator's decision, except for
	// operations AWS answers without policies (then Override is set).
	Decision string
	// Simulated is the simulator's literal decision.
	Simulated string
	// Statements are the Sids (or "#N") of the deciding statements.
	Statements []string
	Missing    []string
}

// MatrixRow is one action across the three contexts.
type MatrixRow struct {
	Action, Resource string
	// Override explains why AWS ignores policies for this action
	// (docs/policy-evaluation.md#operations-outside-policy).
	Override string
	Cells    []MatrixCell
}

// Matrix simulates policy.MatrixActions for the managed IAM user userName
// under a long-term key, a session without MFA and a session with MFA,
// through IAM's SimulatePrincipalPolicy: one call per resource group and
// context, following the call plan of docs/policy-evaluation.md#simulator.
func (s *Service) Matrix(ctx context.Context, userName string) ([]MatrixRow, error) {
	ctx, _, err := s.findUser(ctx, userName)
	if err != nil {
		return nil, err
	}
	u, err := s.iam(ctx).GetUser(ctx, userName)
	if err != nil {
		return nil, err
	}
	rows := make([]MatrixRow, len(policy.MatrixActions))
	groups := map[string][]string{} // resource → actions
	var order []string
	for i, a := range policy.MatrixActions {
		res := policy.ResourceFor(a, u.ARN, s.account(ctx))
		rows[i] = MatrixRow{Action: a, Resource: res, Cells: make([]MatrixCell, len(MatrixContexts))}
		if _, why, ok := policy.Override(a); ok {
			rows[i].Override = why
		}
		if groups[res] == nil {
			order = append(order, res)
		}
		groups[res] = append(groups[res], a)
	}
	sids := s.statementNamer(ctx)
	for c, name := range MatrixContexts {
		for _, res := range order {
			results, err := s.iam(ctx).SimulatePrincipalPolicy(ctx, awsiam.Simulation{PolicySourceARN: u.ARN,
				Actions: groups[res], Resources: []string{res}, Context: matrixContext(c, userName)})
			if err != nil {
				return nil, err
			}
			for _, r := range results {
				for i := range rows {
					if rows[i].Action != r.Action {
						continue
					}
					cell := MatrixCell{Context: name, Decision: r.Decision, Simulated: r.Decision, Missing: r.MissingContext}
					for _, m := range r.Matched {
						cell.Statements = append(cell.Statements, sids(m))
					}
					if rows[i].Override != "" {
						cell.Decision = "allowed"
					}
					rows[i].Cells[c] = cell
				}
			}
		}
	}
	return rows, nil
}

// matrixContext is the context of credential kind c (policy.Credential
// order). aws:username is passed explicitly: harmless, and it removes the
// doubt whether the simulator derives it from the caller
// (docs/policy-evaluation.md#simulator).
func matrixContext(c int, userName string) []awsiam.ContextEntry {
	out := []awsiam.ContextEntry{{Key: "aws:username", Type: "string", Values: []string{userName}}}
	switch policy.Credential(c) {
	case policy.SessionWithoutMFA:
		out = append(out, awsiam.ContextEntry{Key: "aws:MultiFactorAuthPresent", Type: "boolean", Values: []string{"false"}})
	case policy.SessionWithMFA:
		out = append(out, awsiam.ContextEntry{Key: "aws:MultiFactorAuthPresent", Type: "boolean", Values: []string{"true"}},
			awsiam.ContextEntry{Key: "aws:MultiFactorAuthAge", Type: "numeric", Values: []string{policy.MFAAgeSeconds}})
	}
	return out
}

// statementNamer maps a matched statement to a Sid. The simulator reports
// only a policy name and text positions
// (docs/policy-evaluation.md#simulator), so statements of the managed policy
// are found by the line their span starts on; anything else is shown as
// policy@line.
func (s *Service) statementNamer(ctx context.Context) func(awsiam.MatchedStatement) string {
	var doc *policy.Document
	if mp, err := s.iam(ctx).GetPolicy(ctx, s.policyARN(ctx)); err == nil {
		doc, _ = policy.Parse(mp.Document)
	}
	return func(m awsiam.MatchedStatement) string {
		if doc != nil && m.PolicyID == s.cfg.PolicyName {
			// The last statement starting at or before the reported start:
			// robust to the off-by-one column convention.
			best := -1
			for i, st := range doc.Statements {
				if st.Start.Line < m.StartLine || st.Start.Line == m.StartLine && st.Start.Column <= m.StartColumn+1 {
					best = i
				}
			}
			if best >= 0 && doc.Statements[best].Sid != "" {
				return doc.Statements[best].Sid
			} else if best >= 0 {
				return "#" + strconv.Itoa(best+1)
			}
		}
		return m.PolicyID + "@" + strconv.Itoa(m.StartLine)
	}
}
