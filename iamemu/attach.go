package iamemu

import (
	"sort"
	"strings"
)

type xmlAttachedPolicy struct {
	PolicyName string
	PolicyArn  string
}

func attachUserPolicy(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := c.findPolicy("Policy %s does not exist or is not attachable.")
	if err != nil {
		return nil, err
	}
	u, err := c.findUser(name)
	if err != nil {
		return nil, err
	}
	for _, arn := range u.Attached {
		if arn == p.Arn {
			return nil, nil // re-attaching is a silent success (unconfirmed, docs/iam-notes.md#managed-policies)
		}
	}
	if max := c.e.opts.MaxPoliciesPerUser; len(u.Attached) >= max {
		return nil, errf("LimitExceeded", "Cannot exceed quota for PoliciesPerUser: %d", max)
	}
	u.Attached = append(u.Attached, p.Arn)
	p.Attachments++
	return nil, nil
}

func detachUserPolicy(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := c.findPolicy("Policy %s was not found.")
	if err != nil {
		return nil, err
	}
	u, err := c.findUser(name)
	if err != nil {
		return nil, err
	}
	for i, arn := range u.Attached {
		if arn == p.Arn {
			u.Attached = append(u.Attached[:i], u.Attached[i+1:]...)
			p.Attachments--
			return nil, nil
		}
	}
	return nil, errf("NoSuchEntity", "Policy %s was not found.", p.Arn)
}

type listAttachedResult struct {
	AttachedPolicies members[xmlAttachedPolicy]
	page
}

// listAttached renders attached policy ARNs filtered by the policy path.
func (c *call) listAttached(arns []string) (any, *apiError) {
	var v checker
	prefix := v.str(c.p, "PathPrefix", rulePolicyPath, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	var ps []*policy
	for _, arn := range arns {
		if p := c.st.Policies[arn]; p != nil && strings.HasPrefix(p.Path, prefix) {
			ps = append(ps, p)
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Arn < ps[j].Arn })
	items, pg, err := paginate(c.p, ps, func(p *policy) string { return p.Arn })
	if err != nil {
		return nil, err
	}
	out := listAttachedResult{AttachedPolicies: list([]xmlAttachedPolicy{}), page: pg}
	for _, p := range items {
		out.AttachedPolicies.Member = append(out.AttachedPolicies.Member, xmlAttachedPolicy{p.Name, p.Arn})
	}
	return out, nil
}

func listAttachedUserPolicies(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	u, err := c.findUser(name)
	if err != nil {
		return nil, err
	}
	return c.listAttached(u.Attached)
}
