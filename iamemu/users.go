package iamemu

import (
	"sort"
	"strings"
)

// findUser looks a user up by name, case-insensitively. A user created under
// the ConsistencyDelay fault stays invisible until its VisibleAt
// (docs/iam-notes.md#eventual-consistency).
func (c *call) findUser(name string) (*user, *apiError) {
	u := c.st.Users[strings.ToLower(name)]
	if u == nil || c.now.Before(u.VisibleAt) {
		return nil, noSuchUser(name)
	}
	return u, nil
}

// namedUser resolves the required UserName parameter of an action whose only
// input is the user.
func (c *call) namedUser() (*user, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserRef, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	return c.findUser(name)
}

// targetUser resolves the optional UserName parameter, defaulting to the
// calling IAM user. Non-user callers must name the user (AWS: "Must specify
// userName when calling with non-User credentials").
func (c *call) targetUser(v *checker, r rule) (*user, *apiError) {
	name := v.str(c.p, "UserName", r, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	if name == "" {
		if c.caller.UserName == "" {
			return nil, errf("ValidationError", "Must specify userName when calling with non-User credentials")
		}
		name = c.caller.UserName
	}
	return c.findUser(name)
}

type userResult struct {
	User *xmlUser
}

func createUser(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserName, true)
	v.str(c.p, "PermissionsBoundary", mkRule(20, 2048, "", ""), false)
	path, tags, err := c.newEntity(&v, true, true)
	if err != nil {
		return nil, err
	}
	if c.st.Users[strings.ToLower(name)] != nil {
		return nil, errf("EntityAlreadyExists", "User with name %s already exists.", name)
	}
	if len(c.st.Users) >= 5000 {
		return nil, errf("LimitExceeded", "Cannot exceed quota for UsersPerAccount: 5000")
	}
	u := &user{
		Name: name, Path: path, ID: newUniqueID("AIDA"), Created: c.now,
		VisibleAt: c.now.Add(c.e.faults.f.ConsistencyDelay),
		Tags:      tags, Inline: map[string]*inlinePolicy{},
	}
	c.st.Users[strings.ToLower(name)] = u
	return userResult{c.userXML(u, true)}, nil
}

func getUser(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserRef, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	if name == "" && c.caller.Root {
		// Root: AWS answers with the account's root identity.
		return userResult{&xmlUser{UserId: c.st.AccountID, Arn: c.caller.Arn, CreateDate: isoTime(c.st.Created)}}, nil
	}
	u, err := c.targetUser(&v, ruleUserRef)
	if err != nil {
		return nil, err
	}
	return userResult{c.userXML(u, true)}, nil
}

type listUsersResult struct {
	Users members[*xmlUser]
	page
}

// sortedUsers returns the visible users ordered by lower-cased name.
func (c *call) sortedUsers() []*user {
	var out []*user
	for _, u := range c.st.Users {
		if !c.now.Before(u.VisibleAt) {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}

func listUsers(c *call) (any, *apiError) {
	var v checker
	prefix := v.str(c.p, "PathPrefix", rulePathPrefix, false)
	v.str(c.p, "Marker", mkRule(1, 320, `[\u0020-\u00FF]+`, `[\x{20}-\x{FF}]+`), false)
	if err := v.err(); err != nil {
		return nil, err
	}
	var users []*user
	for _, u := range c.sortedUsers() {
		if strings.HasPrefix(u.Path, prefix) {
			users = append(users, u)
		}
	}
	items, pg, err := paginate(c.p, users, func(u *user) string { return strings.ToLower(u.Name) })
	if err != nil {
		return nil, err
	}
	out := listUsersResult{Users: list([]*xmlUser{}), page: pg}
	for _, u := range items {
		out.Users.Member = append(out.Users.Member, c.userXML(u, false))
	}
	return out, nil
}

// deleteUser refuses while anything still belongs to the user, with the
// message AWS uses for that dependent kind (docs/iam-notes.md#users). moto
// checks only policies.
func deleteUser(c *call) (any, *apiError) {
	u, err := c.namedUser()
	if err != nil {
		return nil, err
	}
	conflict := func(what string) *apiError {
		return errf("DeleteConflict", "Cannot delete entity, must %s first.", what)
	}
	switch {
	case u.Login != nil:
		return nil, conflict("delete login profile")
	case len(c.userKeys(u)) > 0:
		return nil, conflict("delete access keys")
	case len(c.ownerCerts(u.Name)) > 0:
		return nil, conflict("delete signing certificates")
	case len(c.userServiceCreds(u.Name)) > 0, len(c.userSSHKeys(u.Name)) > 0:
		return nil, conflict("remove referenced objects")
	case len(c.userDevices(u.Name)) > 0:
		return nil, conflict("delete MFA device")
	case len(u.Inline) > 0:
		return nil, conflict("delete policies")
	case len(u.Attached) > 0:
		return nil, conflict("detach all policies")
	case len(u.Groups) > 0:
		return nil, conflict("remove users from group")
	}
	delete(c.st.Users, strings.ToLower(u.Name))
	for id, s := range c.st.Sessions {
		if strings.EqualFold(s.UserName, u.Name) {
			delete(c.st.Sessions, id)
		}
	}
	return nil, nil
}

// updateUser renames a user (NewUserName) and/or moves it (NewPath). Names
// stay case-insensitively unique; everything that belongs to the user by
// name — keys, devices, credentials, sessions — follows the rename. The
// user id does not change.
func updateUser(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserRef, true)
	newName := v.str(c.p, "NewUserName", ruleUserName, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	var newPath string
	if c.p.has("NewPath") {
		var err *apiError
		if newPath, err = checkPath(c.p, "NewPath"); err != nil {
			return nil, err
		}
	}
	u, err := c.findUser(name)
	if err != nil {
		return nil, err
	}
	if newName != "" && !strings.EqualFold(newName, u.Name) && c.st.Users[strings.ToLower(newName)] != nil {
		return nil, errf("EntityAlreadyExists", "User with name %s already exists.", newName)
	}
	if newPath != "" {
		u.Path = newPath
	}
	if newName == "" || newName == u.Name {
		return nil, nil
	}
	// Everything the user owns follows the new name.
	old := u.Name
	renameOwner(c.st.AccessKeys, func(k *accessKey) *string { return &k.UserName }, old, newName)
	renameOwner(c.st.Devices, func(d *mfaDevice) *string { return &d.UserName }, old, newName)
	renameOwner(c.st.ServiceCreds, func(s *serviceCred) *string { return &s.UserName }, old, newName)
	renameOwner(c.st.SSHKeys, func(k *sshKey) *string { return &k.UserName }, old, newName)
	renameOwner(c.st.Certs, func(s *signingCert) *string { return &s.UserName }, old, newName)
	renameOwner(c.st.Sessions, func(s *session) *string { return &s.UserName }, old, newName)
	delete(c.st.Users, strings.ToLower(old))
	u.Name = newName
	c.st.Users[strings.ToLower(newName)] = u
	return nil, nil
}

// renameOwner gives the items of m owned by the user old (its name
// compared ignoring case, as IAM's names are) the owner name newName.
func renameOwner[T any](m map[string]*T, owner func(*T) *string, old, newName string) {
	for _, it := range m {
		if p := owner(it); equalFoldName(*p, old) {
			*p = newName
		}
	}
}

// updateUserTarget is the ARN UpdateUser renames or moves the user to; AWS
// requires permission on it as well as on the user.
func updateUserTarget(c *call) string {
	name, path := c.p.get("NewUserName"), c.p.get("NewPath")
	u := c.st.Users[strings.ToLower(c.p.get("UserName"))]
	if name == "" && u != nil {
		name = u.Name
	}
	if path == "" {
		path = "/"
		if u != nil {
			path = u.Path
		}
	}
	return c.st.arn("user" + path + name)
}
