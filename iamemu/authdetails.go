package iamemu

import (
	"slices"
	"strconv"
	"strings"
)

// ListEntitiesForPolicy and GetAccountAuthorizationDetails: who holds which
// policy. Both page over one sequence made of several lists (groups then
// users; users, groups, roles, then policies), so a marker can fall in any
// of them. Roles take part; the emulator has no instance profiles.

type xmlPolicyGroup struct{ GroupName, GroupId string }
type xmlPolicyUser struct{ UserName, UserId string }
type xmlPolicyRole struct{ RoleName, RoleId string }

type listEntitiesResult struct {
	PolicyGroups members[xmlPolicyGroup]
	PolicyUsers  members[xmlPolicyUser]
	PolicyRoles  members[xmlPolicyRole]
	page
}

// entity is one item of a combined listing.
type entity struct {
	key    string // paging key: kind digit, then the name
	user   *user
	group  *group
	role   *role
	policy *policy
}

func listEntitiesForPolicy(c *call) (any, *apiError) {
	var v checker
	filter := v.enum(c.p, "EntityFilter", false, "User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy")
	usage := v.enum(c.p, "PolicyUsageFilter", false, "PermissionsPolicy", "PermissionsBoundary")
	prefix := v.str(c.p, "PathPrefix", rulePath, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := c.findPolicy("Policy %s was not found.")
	if err != nil {
		return nil, err
	}
	var items []entity
	if usage != "PermissionsBoundary" { // the emulator has no boundaries
		if filter == "" || filter == "Group" {
			for _, g := range c.sortedGroups() {
				if slices.Contains(g.Attached, p.Arn) && strings.HasPrefix(g.Path, prefix) {
					items = append(items, entity{key: "1" + strings.ToLower(g.Name), group: g})
				}
			}
		}
		if filter == "" || filter == "User" {
			for _, u := range c.sortedUsers() {
				if slices.Contains(u.Attached, p.Arn) && strings.HasPrefix(u.Path, prefix) {
					items = append(items, entity{key: "2" + strings.ToLower(u.Name), user: u})
				}
			}
		}
		if filter == "" || filter == "Role" {
			for _, r := range c.st.Roles {
				if slices.Contains(r.Attached, p.Arn) && strings.HasPrefix(r.Path, prefix) {
					items = append(items, entity{key: "3" + strings.ToLower(r.Name), role: r})
				}
			}
		}
	}
	page, pg, err := paginate(c.p, items, func(e entity) string { return e.key })
	if err != nil {
		return nil, err
	}
	out := listEntitiesResult{PolicyGroups: list([]xmlPolicyGroup{}), PolicyUsers: list([]xmlPolicyUser{}), PolicyRoles: list([]xmlPolicyRole{}), page: pg}
	for _, e := range page {
		switch {
		case e.group != nil:
			out.PolicyGroups.Member = append(out.PolicyGroups.Member, xmlPolicyGroup{e.group.Name, e.group.ID})
		case e.role != nil:
			out.PolicyRoles.Member = append(out.PolicyRoles.Member, xmlPolicyRole{e.role.Name, e.role.ID})
		default:
			out.PolicyUsers.Member = append(out.PolicyUsers.Member, xmlPolicyUser{e.user.Name, e.user.ID})
		}
	}
	return out, nil
}

type xmlPolicyDetail struct {
	PolicyName     string
	PolicyDocument string // URL-encoded
}

type xmlUserDetail struct {
	Path                    string
	UserName                string
	UserId                  string
	Arn                     string
	CreateDate              isoTime
	UserPolicyList          members[xmlPolicyDetail]
	GroupList               members[string]
	AttachedManagedPolicies members[xmlAttachedPolicy]
	Tags                    members[xmlTag]
}

type xmlGroupDetail struct {
	Path                    string
	GroupName               string
	GroupId                 string
	Arn                     string
	CreateDate              isoTime
	GroupPolicyList         members[xmlPolicyDetail]
	AttachedManagedPolicies members[xmlAttachedPolicy]
}

type xmlManagedPolicyDetail struct {
	xmlPolicyFields
	PolicyVersionList members[xmlPolicyVersion]
}

type xmlRoleDetail struct {
	Path                     string
	RoleName                 string
	RoleId                   string
	Arn                      string
	CreateDate               isoTime
	AssumeRolePolicyDocument string // URL-encoded
	InstanceProfileList      members[struct{}]
	RolePolicyList           members[xmlPolicyDetail]
	AttachedManagedPolicies  members[xmlAttachedPolicy]
	Tags                     members[xmlTag]
	RoleLastUsed             xmlRoleLastUsed
}

type authDetailsResult struct {
	UserDetailList  members[xmlUserDetail]
	GroupDetailList members[xmlGroupDetail]
	RoleDetailList  members[xmlRoleDetail]
	Policies        members[xmlManagedPolicyDetail]
	page
}

// getAccountAuthorizationDetails answers users (with inline policies,
// groups, attached policies and tags), groups, and managed policies with
// every version, documents URL-encoded as AWS sends them. AWS managed
// policies are included only while attached to something.
func getAccountAuthorizationDetails(c *call) (any, *apiError) {
	filters := c.p.list("Filter")
	var v checker
	want := map[string]bool{}
	for i, f := range filters {
		switch f {
		case "User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy":
			want[f] = true
		default:
			v.msgs = append(v.msgs, "Value '"+f+"' at 'filter."+strconv.Itoa(i+1)+"' failed to satisfy constraint: Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]")
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	all := len(want) == 0
	var items []entity
	if all || want["User"] {
		for _, u := range c.sortedUsers() {
			items = append(items, entity{key: "1" + strings.ToLower(u.Name), user: u})
		}
	}
	if all || want["Group"] {
		for _, g := range c.sortedGroups() {
			items = append(items, entity{key: "2" + strings.ToLower(g.Name), group: g})
		}
	}
	if all || want["Role"] {
		for _, r := range c.st.Roles {
			items = append(items, entity{key: "3" + strings.ToLower(r.Name), role: r})
		}
	}
	for _, p := range c.st.allPolicies() {
		if aws := p.awsManaged(); aws && (all || want["AWSManagedPolicy"]) && p.Attachments > 0 || !aws && (all || want["LocalManagedPolicy"]) {
			items = append(items, entity{key: "4" + p.Arn, policy: p})
		}
	}
	page, pg, err := paginate(c.p, items, func(e entity) string { return e.key })
	if err != nil {
		return nil, err
	}
	out := authDetailsResult{UserDetailList: list([]xmlUserDetail{}), GroupDetailList: list([]xmlGroupDetail{}),
		RoleDetailList: list([]xmlRoleDetail{}), Policies: list([]xmlManagedPolicyDetail{}), page: pg}
	for _, e := range page {
		switch {
		case e.user != nil:
			out.UserDetailList.Member = append(out.UserDetailList.Member, c.userDetail(e.user))
		case e.group != nil:
			g := e.group
			out.GroupDetailList.Member = append(out.GroupDetailList.Member, xmlGroupDetail{
				Path: g.Path, GroupName: g.Name, GroupId: g.ID, Arn: c.st.groupArn(g), CreateDate: isoTime(g.Created),
				GroupPolicyList: inlineDetails(g.Inline), AttachedManagedPolicies: c.attachedXML(g.Attached),
			})
		case e.role != nil:
			out.RoleDetailList.Member = append(out.RoleDetailList.Member, c.roleDetail(e.role))
		default:
			out.Policies.Member = append(out.Policies.Member, managedPolicyDetail(e.policy))
		}
	}
	return out, nil
}

func (c *call) roleDetail(r *role) xmlRoleDetail {
	x := xmlRoleDetail{
		Path: r.Path, RoleName: r.Name, RoleId: r.ID, Arn: c.st.roleArn(r), CreateDate: isoTime(r.Created),
		AssumeRolePolicyDocument: urlEncodeRFC3986(r.Trust.Document), InstanceProfileList: list([]struct{}{}),
		RolePolicyList: inlineDetails(r.Inline), AttachedManagedPolicies: c.attachedXML(r.Attached), Tags: list(tagsXML(r.Tags)),
	}
	if r.LastUsed != nil {
		x.RoleLastUsed = xmlRoleLastUsed{LastUsedDate: optTime(r.LastUsed.When), Region: r.LastUsed.Region}
	}
	return x
}

func (c *call) userDetail(u *user) xmlUserDetail {
	groups := list([]string{})
	for _, gk := range u.Groups {
		if g := c.st.Groups[gk]; g != nil {
			groups.Member = append(groups.Member, g.Name)
		}
	}
	return xmlUserDetail{
		Path: u.Path, UserName: u.Name, UserId: u.ID, Arn: c.st.userArn(u), CreateDate: isoTime(u.Created),
		UserPolicyList: inlineDetails(u.Inline), GroupList: groups, AttachedManagedPolicies: c.attachedXML(u.Attached),
		Tags: list(tagsXML(u.Tags)),
	}
}

// inlineDetails lists inline policies by name with URL-encoded documents.
func inlineDetails(inline map[string]*inlinePolicy) members[xmlPolicyDetail] {
	out := list([]xmlPolicyDetail{})
	for _, n := range sortedKeys(inline) {
		out.Member = append(out.Member, xmlPolicyDetail{n, urlEncodeRFC3986(inline[n].Document)})
	}
	return out
}

// attachedXML lists attached managed policies in attach order.
func (c *call) attachedXML(arns []string) members[xmlAttachedPolicy] {
	out := list([]xmlAttachedPolicy{})
	for _, arn := range arns {
		if p := c.st.policy(arn); p != nil {
			out.Member = append(out.Member, xmlAttachedPolicy{p.Name, p.Arn})
		}
	}
	return out
}

func managedPolicyDetail(p *policy) xmlManagedPolicyDetail {
	versions := list([]xmlPolicyVersion{})
	for _, v := range p.Versions {
		versions.Member = append(versions.Member, versionXML(p, v, true))
	}
	return xmlManagedPolicyDetail{xmlPolicyFields: policyFields(p, true), PolicyVersionList: versions}
}
