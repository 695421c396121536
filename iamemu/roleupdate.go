package iamemu

// Changing a role after CreateRole: its description and session limit, and
// its tags (docs/iam-notes.md#roles).

func tagRole(c *call) (any, *apiError) {
	var v checker
	r, err := c.namedRole(&v)
	if err != nil {
		return nil, err
	}
	tags, err := c.tagsToAdd()
	if err != nil {
		return nil, err
	}
	return nil, mergeTags(&r.Tags, tags, "TagsPerRole")
}

func untagRole(c *call) (any, *apiError) {
	var v checker
	v.str(c.p, "RoleName", ruleRoleName, true)
	keys := c.tagKeysParam(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	for _, k := range keys {
		if reservedTagKey(k) {
			return nil, errf("InvalidInput", "Tag keys starting with 'aws:' are reserved for internal use.")
		}
	}
	r, err := c.namedRole(&v)
	if err != nil {
		return nil, err
	}
	r.Tags = dropTags(r.Tags, keys)
	return nil, nil
}

func listRoleTags(c *call) (any, *apiError) {
	var v checker
	r, err := c.namedRole(&v)
	if err != nil {
		return nil, err
	}
	return sortedTagPage(c, r.Tags)
}

// updateRole changes Description and/or MaxSessionDuration; an absent
// parameter keeps its value.
func updateRole(c *call) (any, *apiError) {
	var v checker
	v.str(c.p, "RoleName", ruleRoleName, true)
	desc := v.str(c.p, "Description", ruleRoleDescription, false)
	maxDur, ierr := c.p.integer("MaxSessionDuration", 0, 3600, 43200)
	if ierr != nil {
		v.msgs = append(v.msgs, trimValidation(ierr))
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	r, err := c.namedRole(&v)
	if err != nil {
		return nil, err
	}
	if c.p.has("Description") {
		r.Description = desc
	}
	if maxDur != 0 {
		r.MaxSessionDuration = maxDur
	}
	return struct{}{}, nil // an empty UpdateRoleResult: the SDK needs the element
}

type updateRoleDescriptionResult struct {
	Role xmlRole
}

// updateRoleDescription is the older form of UpdateRole, which answers with
// the role.
func updateRoleDescription(c *call) (any, *apiError) {
	var v checker
	v.str(c.p, "RoleName", ruleRoleName, true)
	desc := v.str(c.p, "Description", ruleRoleDescription, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	r, err := c.namedRole(&v)
	if err != nil {
		return nil, err
	}
	r.Description = desc
	return updateRoleDescriptionResult{c.roleXML(r, viewGet)}, nil
}

// trimValidation returns the message of a one-message ValidationError
// without its "1 validation error detected: " head, to merge it with others.
func trimValidation(e *apiError) string {
	const head = "1 validation error detected: "
	if len(e.Message) > len(head) && e.Message[:len(head)] == head {
		return e.Message[len(head):]
	}
	return e.Message
}
