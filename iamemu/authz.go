package iamemu

import "strings"

// authorize asks the Authorizer about a non-root caller (every
// action except GetCallerIdentity and GetSessionToken). The Authorizer runs
// without e.mu held so it may call UserPolicies.
func (e *Emulator) authorize(c *call, spec actionSpec) *apiError {
	if c.caller.Root || spec.noAuthz {
		return nil
	}
	e.mu.Lock()
	a := e.authz
	resources := []string{"*"}
	if a != nil && spec.resource != nil {
		c.st = e.stateOf(c.caller.Account)
		resources[0] = spec.resource(c)
		if spec.alsoResource != nil {
			resources = append(resources, spec.alsoResource(c))
		}
	}
	e.mu.Unlock()
	if a == nil {
		return nil
	}
	service := "iam:"
	if spec.sts {
		service = "sts:"
	}
	for _, r := range resources {
		req := AuthzRequest{Principal: c.caller, Action: service + c.action, Resource: r}
		if err := deniedError(c.caller, req, a.Authorize(c.ctx, e, req)); err != nil {
			return err
		}
	}
	return nil
}

// userResource is the ARN of the user an action targets: the UserName
// parameter, or the caller. Unknown users get a default-path ARN.
func userResource(c *call) string {
	name := c.p.get("UserName")
	if name == "" {
		name = c.caller.UserName
	}
	if u := c.st.Users[strings.ToLower(name)]; u != nil {
		return c.st.userArn(u)
	}
	return c.st.arn("user/" + name)
}

// policyResource is the PolicyArn parameter.
func policyResource(c *call) string { return c.p.get("PolicyArn") }

// deviceResource is the ARN of the virtual MFA device being created or
// deleted (SerialNumber, or built from Path and VirtualMFADeviceName).
func deviceResource(c *call) string {
	if s := c.p.get("SerialNumber"); s != "" {
		return s
	}
	path := c.p.get("Path")
	if path == "" {
		path = "/"
	}
	return c.st.arn("mfa" + path + c.p.get("VirtualMFADeviceName"))
}

// groupResource is the ARN of the GroupName parameter.
func groupResource(c *call) string {
	name := c.p.get("GroupName")
	if g := c.st.Groups[strings.ToLower(name)]; g != nil {
		return c.st.groupArn(g)
	}
	return c.st.arn("group/" + name)
}
