package iamemu

// Policies of groups: attached managed policies (at most 10 per group) and
// inline policies, which every member of the group is subject to.

const maxPoliciesPerGroup = 10

func attachGroupPolicy(c *call) (any, *apiError) {
	g, err := c.findGroup()
	if err != nil {
		return nil, err
	}
	p, err := c.findPolicy("Policy %s does not exist or is not attachable.")
	if err != nil {
		return nil, err
	}
	for _, arn := range g.Attached {
		if arn == p.Arn {
			return nil, nil
		}
	}
	if len(g.Attached) >= maxPoliciesPerGroup {
		return nil, errf("LimitExceeded", "Cannot exceed quota for PoliciesPerGroup: %d", maxPoliciesPerGroup)
	}
	g.Attached = append(g.Attached, p.Arn)
	p.Attachments++
	return nil, nil
}

func detachGroupPolicy(c *call) (any, *apiError) {
	g, err := c.findGroup()
	if err != nil {
		return nil, err
	}
	p, err := c.findPolicy("Policy %s was not found.")
	if err != nil {
		return nil, err
	}
	for i, arn := range g.Attached {
		if arn == p.Arn {
			g.Attached = append(g.Attached[:i], g.Attached[i+1:]...)
			p.Attachments--
			return nil, nil
		}
	}
	return nil, errf("NoSuchEntity", "Policy %s was not found.", p.Arn)
}

func listAttachedGroupPolicies(c *call) (any, *apiError) {
	g, err := c.findGroup()
	if err != nil {
		return nil, err
	}
	return c.listAttached(g.Attached)
}

func putGroupPolicy(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "PolicyName", rulePolicyName, true)
	doc := v.str(c.p, "PolicyDocument", rulePolicyDoc, true)
	g, err := c.findGroupChecked(&v)
	if err != nil {
		return nil, err
	}
	if g.Inline == nil {
		g.Inline = map[string]*inlinePolicy{}
	}
	return nil, c.putInline(g.Inline, name, doc, "GroupPolicySize", inlineGroupQuota, "group", g.Name)
}

// groupInlineOf resolves GroupName + PolicyName.
func (c *call) groupInlineOf() (*group, string, *apiError) {
	var v checker
	name := v.str(c.p, "PolicyName", rulePolicyName, true)
	g, err := c.findGroupChecked(&v)
	if err != nil {
		return nil, "", err
	}
	if _, ok := g.Inline[name]; !ok {
		return nil, "", errf("NoSuchEntity", "The group policy with name %s cannot be found.", name)
	}
	return g, name, nil
}

type getGroupPolicyResult struct {
	GroupName      string
	PolicyName     string
	PolicyDocument string // URL-encoded per RFC 3986, as AWS sends it
}

func getGroupPolicy(c *call) (any, *apiError) {
	g, name, err := c.groupInlineOf()
	if err != nil {
		return nil, err
	}
	return getGroupPolicyResult{g.Name, name, urlEncodeRFC3986(g.Inline[name].Document)}, nil
}

func deleteGroupPolicy(c *call) (any, *apiError) {
	g, name, err := c.groupInlineOf()
	if err != nil {
		return nil, err
	}
	delete(g.Inline, name)
	return nil, nil
}

func listGroupPolicies(c *call) (any, *apiError) {
	g, err := c.findGroup()
	if err != nil {
		return nil, err
	}
	return c.listInline(g.Inline)
}
