package iamemu

import (
	"slices"
	"sort"
	"strings"
)

const maxGroupsPerUser = 10

type xmlGroup struct {
	Path       string
	GroupName  string
	GroupId    string
	Arn        string
	CreateDate isoTime
}

func (c *call) groupXML(g *group) xmlGroup {
	return xmlGroup{g.Path, g.Name, g.ID, c.st.groupArn(g), isoTime(g.Created)}
}

func (c *call) findGroup() (*group, *apiError) {
	var v checker
	return c.findGroupChecked(&v)
}

// findGroupChecked resolves GroupName, reporting it together with the
// other parameters v has checked.
func (c *call) findGroupChecked(v *checker) (*group, *apiError) {
	name := v.str(c.p, "GroupName", ruleGroupName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	g := c.st.Groups[strings.ToLower(name)]
	if g == nil {
		return nil, errf("NoSuchEntity", "The group with name %s cannot be found.", name)
	}
	return g, nil
}

type createGroupResult struct {
	Group xmlGroup
}

func createGroup(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "GroupName", ruleGroupName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	path, err := checkPath(c.p, "Path")
	if err != nil {
		return nil, err
	}
	if c.st.Groups[strings.ToLower(name)] != nil {
		return nil, errf("EntityAlreadyExists", "Group with name %s already exists.", name)
	}
	g := &group{Name: name, Path: path, ID: newUniqueID("AGPA"), Created: c.now, Inline: map[string]*inlinePolicy{}}
	c.st.Groups[strings.ToLower(name)] = g
	return createGroupResult{c.groupXML(g)}, nil
}

func deleteGroup(c *call) (any, *apiError) {
	g, err := c.findGroup()
	if err != nil {
		return nil, err
	}
	key := strings.ToLower(g.Name)
	for _, u := range c.st.Users {
		for _, gk := range u.Groups {
			if gk == key {
				return nil, errf("DeleteConflict", "Cannot delete entity, must remove users from group first.")
			}
		}
	}
	if len(g.Attached) > 0 || len(g.Inline) > 0 {
		return nil, errf("DeleteConflict", "Cannot delete entity, must delete policies first.")
	}
	delete(c.st.Groups, key)
	return nil, nil
}

// groupAndUser resolves the GroupName and UserName of a membership change.
func (c *call) groupAndUser() (*group, *user, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserRef, true)
	g, err := c.findGroup()
	if err != nil {
		return nil, nil, err
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	u, err := c.findUser(name)
	if err != nil {
		return nil, nil, err
	}
	return g, u, nil
}

func addUserToGroup(c *call) (any, *apiError) {
	g, u, err := c.groupAndUser()
	if err != nil {
		return nil, err
	}
	key := strings.ToLower(g.Name)
	for _, gk := range u.Groups {
		if gk == key {
			return nil, nil // already a member: no error (unconfirmed, docs/iam-notes.md#managed-policies)
		}
	}
	if len(u.Groups) >= maxGroupsPerUser {
		return nil, errf("LimitExceeded", "Cannot exceed quota for GroupsPerUser: %d", maxGroupsPerUser)
	}
	u.Groups = append(u.Groups, key)
	return nil, nil
}

func removeUserFromGroup(c *call) (any, *apiError) {
	g, u, err := c.groupAndUser()
	if err != nil {
		return nil, err
	}
	key := strings.ToLower(g.Name)
	for i, gk := range u.Groups {
		if gk == key {
			u.Groups = append(u.Groups[:i], u.Groups[i+1:]...)
			return nil, nil
		}
	}
	return nil, errf("NoSuchEntity", "User %s is not in group %s.", u.Name, g.Name)
}

// sortedGroups returns every group ordered by lower-cased name.
func (c *call) sortedGroups() []*group {
	out := make([]*group, 0, len(c.st.Groups))
	for _, k := range sortedKeys(c.st.Groups) {
		out = append(out, c.st.Groups[k])
	}
	return out
}

type listGroupsResult struct {
	Groups members[xmlGroup]
	page
}

// groupsPage answers one page of gs, which are in name order.
func (c *call) groupsPage(gs []*group) (any, *apiError) {
	items, pg, err := paginate(c.p, gs, func(g *group) string { return strings.ToLower(g.Name) })
	if err != nil {
		return nil, err
	}
	out := listGroupsResult{Groups: list([]xmlGroup{}), page: pg}
	for _, g := range items {
		out.Groups.Member = append(out.Groups.Member, c.groupXML(g))
	}
	return out, nil
}

func listGroupsForUser(c *call) (any, *apiError) {
	u, err := c.namedUser()
	if err != nil {
		return nil, err
	}
	var gs []*group
	for _, gk := range u.Groups {
		if g := c.st.Groups[gk]; g != nil {
			gs = append(gs, g)
		}
	}
	sort.Slice(gs, func(i, j int) bool { return strings.ToLower(gs[i].Name) < strings.ToLower(gs[j].Name) })
	return c.groupsPage(gs)
}

func listGroups(c *call) (any, *apiError) {
	var v checker
	prefix := v.str(c.p, "PathPrefix", rulePathPrefix, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	var gs []*group
	for _, g := range c.sortedGroups() {
		if strings.HasPrefix(g.Path, prefix) {
			gs = append(gs, g)
		}
	}
	return c.groupsPage(gs)
}

type getGroupResult struct {
	Group xmlGroup
	Users members[*xmlUser]
	page
}

// getGroup answers the group and a page of its members (users listed as
// ListUsers lists them, without tags).
func getGroup(c *call) (any, *apiError) {
	g, err := c.findGroup()
	if err != nil {
		return nil, err
	}
	key := strings.ToLower(g.Name)
	var members []*user
	for _, u := range c.sortedUsers() {
		if slices.Contains(u.Groups, key) {
			members = append(members, u)
		}
	}
	items, pg, err := paginate(c.p, members, func(u *user) string { return strings.ToLower(u.Name) })
	if err != nil {
		return nil, err
	}
	out := getGroupResult{Group: c.groupXML(g), Users: list([]*xmlUser{}), page: pg}
	for _, u := range items {
		out.Users.Member = append(out.Users.Member, c.userXML(u, false))
	}
	return out, nil
}
