package iamemu

import (
	"sort"
	"unicode"
)

// inlineUserQuota is the aggregate size of a user's inline policies in
// non-whitespace characters.
const inlineUserQuota = 2048

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
	if err := c.checkPolicyDocument(doc, "UserPolicySize", inlineUserQuota); err != nil {
		return nil, err
	}
	total := 0
	for n, d := range u.Inline {
		if n != name {
			total += nonSpace(d)
		}
	}
	if total+nonSpace(doc) > inlineUserQuota {
		return nil, errf("LimitExceeded", "Maximum policy size of %d bytes exceeded for user %s", inlineUserQuota, u.Name)
	}
	if u.Inline == nil {
		u.Inline = map[string]string{}
	}
	u.Inline[name] = doc
	return nil, nil
}

func nonSpace(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
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
	PolicyDocument string // URL-encoded like managed policy documents (§4)
}

func getUserPolicy(c *call) (any, *apiError) {
	u, name, err := c.inlineOf()
	if err != nil {
		return nil, err
	}
	return getUserPolicyResult{u.Name, name, urlEncodeRFC3986(u.Inline[name])}, nil
}

func deleteUserPolicy(c *call) (any, *apiError) {
	u, name, err := c.inlineOf()
	if err != nil {
		return nil, err
	}
	delete(u.Inline, name)
	return nil, nil
}

type listUserPoliciesResult struct {
	PolicyNames members[string]
	page
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
	names := make([]string, 0, len(u.Inline))
	for n := range u.Inline {
		names = append(names, n)
	}
	sort.Strings(names)
	items, pg, err := paginate(c.p, names, func(s string) string { return s })
	if err != nil {
		return nil, err
	}
	return listUserPoliciesResult{list(append([]string{}, items...)), pg}, nil
}
