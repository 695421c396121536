package iamemu

// Inline policies of users and groups. Each owner's documents share one
// size quota in non-whitespace characters (IAM quotas): 2,048 for a
// user, 5,120 for a group.

const (
	inlineUserQuota  = 2048
	inlineGroupQuota = 5120
)

// putInline validates doc and stores it as policies[name], replacing a
// document of that name. kind and owner name the owner in AWS's message.
func (c *call) putInline(policies map[string]*inlinePolicy, name, doc, quota string, limit int, kind, owner string) *apiError {
	parsed, err := c.parsePolicyDocument(doc, quota, limit)
	if err != nil {
		return err
	}
	total := nonSpace(doc)
	for n, p := range policies {
		if n != name {
			total += nonSpace(p.Document)
		}
	}
	if total > limit {
		return errf("LimitExceeded", "Maximum policy size of %d bytes exceeded for %s %s", limit, kind, owner)
	}
	policies[name] = &inlinePolicy{Document: doc, parsed: parsed}
	return nil
}

type listPolicyNamesResult struct {
	PolicyNames members[string]
	page
}

// listInline pages the names of inline policies.
func (c *call) listInline(policies map[string]*inlinePolicy) (any, *apiError) {
	items, pg, err := paginate(c.p, sortedKeys(policies), func(s string) string { return s })
	if err != nil {
		return nil, err
	}
	return listPolicyNamesResult{list(append([]string{}, items...)), pg}, nil
}

func putUserPolicy(c *call) (any, *apiError) {
	var v checker
	userName := v.str(c.p, "UserName", ruleUserRef, true)
	name := v.str(c.p, "PolicyName", rulePolicyName, true)
	doc := v.str(c.p, "PolicyDocument", rulePolicyDoc, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	u, err := c.findUser(userName)
	if err != nil {
		return nil, err
	}
	if u.Inline == nil {
		u.Inline = map[string]*inlinePolicy{}
	}
	return nil, c.putInline(u.Inline, name, doc, "UserPolicySize", inlineUserQuota, "user", u.Name)
}

// inlineOf resolves UserName + PolicyName.
func (c *call) inlineOf() (*user, string, *apiError) {
	var v checker
	userName := v.str(c.p, "UserName", ruleUserRef, true)
	name := v.str(c.p, "PolicyName", rulePolicyName, true)
	if err := v.err(); err != nil {
		return nil, "", err
	}
	u, err := c.findUser(userName)
	if err != nil {
		return nil, "", err
	}
	if _, ok := u.Inline[name]; !ok {
		return nil, "", errf("NoSuchEntity", "The user policy with name %s cannot be found.", name)
	}
	return u, name, nil
}

type getUserPolicyResult struct {
	UserName       string
	PolicyName     string
	PolicyDocument string // URL-encoded like managed policy documents (docs/iam-notes.md#response-shapes)
}

func getUserPolicy(c *call) (any, *apiError) {
	u, name, err := c.inlineOf()
	if err != nil {
		return nil, err
	}
	return getUserPolicyResult{u.Name, name, urlEncodeRFC3986(u.Inline[name].Document)}, nil
}

func deleteUserPolicy(c *call) (any, *apiError) {
	u, name, err := c.inlineOf()
	if err != nil {
		return nil, err
	}
	delete(u.Inline, name)
	return nil, nil
}

func listUserPolicies(c *call) (any, *apiError) {
	var v checker
	userName := v.str(c.p, "UserName", ruleUserRef, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	u, err := c.findUser(userName)
	if err != nil {
		return nil, err
	}
	return c.listInline(u.Inline)
}
