package iamemu

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	pol "github.com/gatehouse/portal/policy"
)

// IAM roles (docs/iam-notes.md#roles): a role is an identity without
// long-term credentials whose trust policy (AssumeRolePolicyDocument) says
// who may assume it with sts:AssumeRole, and whose attached and inline
// policies say what its sessions may do.

const (
	rolesPerAccount  = 1000  // IAM quota RolesPerAccount
	trustPolicyQuota = 2048  // ACLSizePerRole, non-whitespace characters
	inlineRoleQuota  = 10240 // RolePolicySize, all inline policies of a role
	defaultRoleMax   = 3600  // MaxSessionDuration when CreateRole names none
)

type role struct {
	Name, Path, ID     string
	Created            time.Time
	Trust              *trustPolicy // the AssumeRolePolicyDocument
	Description        string       `json:",omitempty"`
	MaxSessionDuration int
	Tags               []tag
	Attached           []string
	Inline             map[string]*inlinePolicy
	LastUsed           *keyUsage `json:",omitempty"`
}

var (
	ruleRoleName        = mkRule(1, 64, `[\w+=,.@-]+`, `[\w+=,.@-]+`)
	ruleRoleDescription = mkRule(0, 1000, `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`, `[\x{09}\x{0A}\x{0D}\x{20}-\x{7E}\x{A1}-\x{FF}]*`)
)

func (s *state) roleArn(r *role) string { return s.arn("role" + r.Path + r.Name) }

// assumedRoleArn is a role session's ARN, which is in STS's namespace and
// leaves out the role's path.
func (s *state) assumedRoleArn(roleName, sessionName string) string {
	return "arn:" + s.Partition + ":sts::" + s.AccountID + ":assumed-role/" + roleName + "/" + sessionName
}

func noSuchRole(name string) *apiError {
	return errf("NoSuchEntity", "The role with name %s cannot be found.", name)
}

// namedRole resolves the required RoleName parameter.
func (c *call) namedRole(v *checker) (*role, *apiError) {
	name := v.str(c.p, "RoleName", ruleRoleName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	r := c.st.Roles[strings.ToLower(name)]
	if r == nil {
		return nil, noSuchRole(name)
	}
	return r, nil
}

// roleResource is the ARN of the RoleName parameter (a default-path ARN for
// an unknown role), for the Authorizer.
func roleResource(c *call) string {
	name := c.p.get("RoleName")
	if r := c.st.Roles[strings.ToLower(name)]; r != nil {
		return c.st.roleArn(r)
	}
	path := c.p.get("Path")
	if c.action != "CreateRole" || path == "" {
		path = "/"
	}
	return c.st.arn("role" + path + name)
}

type xmlRoleLastUsed struct {
	LastUsedDate *isoTime `xml:",omitempty"`
	Region       string   `xml:",omitempty"`
}

type xmlRole struct {
	Path                     string
	RoleName                 string
	RoleId                   string
	Arn                      string
	CreateDate               isoTime
	AssumeRolePolicyDocument string // URL-encoded, like every policy document IAM returns
	Description              string `xml:",omitempty"`
	MaxSessionDuration       int    `xml:",omitempty"`
	Tags                     *members[xmlTag]
	RoleLastUsed             *xmlRoleLastUsed
}

// roleView says which optional members an answer carries: CreateRole shows
// neither MaxSessionDuration nor RoleLastUsed, ListRoles shows the duration
// but never tags or last use, GetRole shows everything.
type roleView int

const (
	viewCreate roleView = iota
	viewList
	viewGet
)

func (c *call) roleXML(r *role, view roleView) xmlRole {
	x := xmlRole{
		Path: r.Path, RoleName: r.Name, RoleId: r.ID, Arn: c.st.roleArn(r), CreateDate: isoTime(r.Created),
		AssumeRolePolicyDocument: urlEncodeRFC3986(r.Trust.Document), Description: r.Description,
	}
	if view != viewCreate {
		x.MaxSessionDuration = r.MaxSessionDuration
	}
	if view != viewList && len(r.Tags) > 0 {
		t := list(tagsXML(r.Tags))
		x.Tags = &t
	}
	if view == viewGet {
		x.RoleLastUsed = &xmlRoleLastUsed{}
		if r.LastUsed != nil {
			x.RoleLastUsed.LastUsedDate = optTime(r.LastUsed.When)
			x.RoleLastUsed.Region = r.LastUsed.Region
		}
	}
	return x
}

type roleResult struct {
	Role xmlRole
}

// parseTrustPolicy checks a trust policy as CreateRole and
// UpdateAssumeRolePolicy do: its own size quota, policy.ParseTrust, and
// principals that must exist — an IAM user or role ARN of a hosted account
// that has no such user or role is refused, as AWS refuses principals it
// cannot resolve to a unique id.
func (c *call) parseTrustPolicy(doc string) (*pol.Document, *apiError) {
	if nonSpace(doc) > trustPolicyQuota {
		return nil, errf("LimitExceeded", "Cannot exceed quota for ACLSizePerRole: %d", trustPolicyQuota)
	}
	malformed := func(format string, args ...any) *apiError {
		return errf("MalformedPolicyDocument", format, args...)
	}
	d, err := pol.ParseTrust(doc)
	var pe *pol.ParseError
	switch {
	case err == nil:
	case !errors.As(err, &pe):
		return nil, malformed("Syntax errors in policy.")
	case pe.Rule == pol.RuleNoPrincipal:
		return nil, malformed("Missing required field Principal")
	case pe.Rule == pol.RuleProhibitedResource:
		return nil, malformed("Has prohibited field Resource")
	case pe.Rule == pol.RuleTrustAction:
		return nil, malformed("AssumeRole policy may only specify STS AssumeRole actions.")
	case pe.Rule == pol.RuleInvalidPrincipal:
		return nil, malformed(`Invalid principal in policy: "AWS":"%s"`, pe.Value)
	case pe.Rule == pol.RuleActionFormat && !strings.Contains(pe.Value, ":"):
		return nil, malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
	default:
		return nil, malformed("Syntax errors in policy.")
	}
	for _, s := range d.Statements {
		for _, m := range []map[string][]string{s.Principal, s.NotPrincipal} {
			for _, p := range m["AWS"] {
				if !c.principalExists(p) {
					return nil, malformed(`Invalid principal in policy: "AWS":"%s"`, p)
				}
			}
		}
	}
	return d, nil
}

// principalExists reports whether an "AWS" principal of a trust policy can
// be resolved: "*", an account, an ARN of this partition naming a user or
// role that exists when its account is hosted here. Session ARNs are not
// checked.
func (c *call) principalExists(p string) bool {
	if p == "*" || accountIDRE.MatchString(p) {
		return true
	}
	if arnPartition(p) != c.st.Partition {
		return false
	}
	parts := strings.SplitN(p, ":", 6) // arn, partition, service, "", account, resource
	st := c.e.stateOf(parts[4])
	if st == nil || parts[2] != "iam" {
		return true
	}
	kind, rest, _ := strings.Cut(parts[5], "/")
	name := rest[strings.LastIndex(rest, "/")+1:]
	switch kind {
	case "user":
		u := st.Users[strings.ToLower(name)]
		return u != nil && st.userArn(u) == p
	case "role":
		r := st.Roles[strings.ToLower(name)]
		return r != nil && st.roleArn(r) == p
	}
	return true
}

func createRole(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "RoleName", ruleRoleName, true)
	doc := v.str(c.p, "AssumeRolePolicyDocument", rulePolicyDoc, true)
	desc := v.str(c.p, "Description", ruleRoleDescription, false)
	v.str(c.p, "PermissionsBoundary", rulePolicyArn, false)
	maxDur, ierr := c.p.integer("MaxSessionDuration", defaultRoleMax, 3600, 43200)
	if ierr != nil {
		v.msgs = append(v.msgs, trimValidation(ierr))
	}
	path, tags, err := c.newEntity(&v, true, true)
	if err != nil {
		return nil, err
	}
	if c.st.Roles[strings.ToLower(name)] != nil {
		return nil, errf("EntityAlreadyExists", "Role with name %s already exists.", name)
	}
	parsed, err := c.parseTrustPolicy(doc)
	if err != nil {
		return nil, err
	}
	if len(c.st.Roles) >= rolesPerAccount {
		return nil, errf("LimitExceeded", "Cannot exceed quota for RolesPerAccount: %d", rolesPerAccount)
	}
	r := &role{
		Name: name, Path: path, ID: newUniqueID("AROA"), Created: c.now,
		Trust:       &trustPolicy{Document: doc, parsed: parsed},
		Description: desc, MaxSessionDuration: maxDur, Tags: tags,
		Inline: map[string]*inlinePolicy{},
	}
	c.st.Roles[strings.ToLower(name)] = r
	return roleResult{c.roleXML(r, viewCreate)}, nil
}

func getRole(c *call) (any, *apiError) {
	var v checker
	r, err := c.namedRole(&v)
	if err != nil {
		return nil, err
	}
	return roleResult{c.roleXML(r, viewGet)}, nil
}

type listRolesResult struct {
	Roles members[xmlRole]
	page
}

func listRoles(c *call) (any, *apiError) {
	var v checker
	prefix := v.str(c.p, "PathPrefix", rulePathPrefix, false)
	v.str(c.p, "Marker", mkRule(1, 320, `[\u0020-\u00FF]+`, `[\x{20}-\x{FF}]+`), false)
	if err := v.err(); err != nil {
		return nil, err
	}
	var roles []*role
	for _, r := range c.st.Roles {
		if strings.HasPrefix(r.Path, prefix) {
			roles = append(roles, r)
		}
	}
	sort.Slice(roles, func(i, j int) bool { return strings.ToLower(roles[i].Name) < strings.ToLower(roles[j].Name) })
	items, pg, err := paginate(c.p, roles, func(r *role) string { return strings.ToLower(r.Name) })
	if err != nil {
		return nil, err
	}
	out := listRolesResult{Roles: list([]xmlRole{}), page: pg}
	for _, r := range items {
		out.Roles.Member = append(out.Roles.Member, c.roleXML(r, viewList))
	}
	return out, nil
}

// deleteRole refuses while policies are attached or inline, with the
// messages DeleteUser uses for them. The role's sessions lose their
// permissions with it.
func deleteRole(c *call) (any, *apiError) {
	var v checker
	r, err := c.namedRole(&v)
	if err != nil {
		return nil, err
	}
	switch {
	case len(r.Attached) > 0:
		return nil, errf("DeleteConflict", "Cannot delete entity, must detach all policies first.")
	case len(r.Inline) > 0:
		return nil, errf("DeleteConflict", "Cannot delete entity, must delete policies first.")
	}
	delete(c.st.Roles, strings.ToLower(r.Name))
	return nil, nil
}

func updateAssumeRolePolicy(c *call) (any, *apiError) {
	var v checker
	v.str(c.p, "RoleName", ruleRoleName, true)
	doc := v.str(c.p, "PolicyDocument", rulePolicyDoc, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	r, err := c.namedRole(&v)
	if err != nil {
		return nil, err
	}
	parsed, err := c.parseTrustPolicy(doc)
	if err != nil {
		return nil, err
	}
	r.Trust = &trustPolicy{Document: doc, parsed: parsed}
	return nil, nil
}

func attachRolePolicy(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "RoleName", ruleRoleName, true)
	v.str(c.p, "PolicyArn", rulePolicyArn, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := c.findPolicy("Policy %s does not exist or is not attachable.")
	if err != nil {
		return nil, err
	}
	r := c.st.Roles[strings.ToLower(name)]
	if r == nil {
		return nil, noSuchRole(name)
	}
	for _, arn := range r.Attached {
		if arn == p.Arn {
			return nil, nil // re-attaching is a silent success, as for users
		}
	}
	if max := c.e.opts.MaxPoliciesPerUser; len(r.Attached) >= max {
		return nil, errf("LimitExceeded", "Cannot exceed quota for PoliciesPerRole: %d", max)
	}
	r.Attached = append(r.Attached, p.Arn)
	p.Attachments++
	return nil, nil
}

func detachRolePolicy(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "RoleName", ruleRoleName, true)
	v.str(c.p, "PolicyArn", rulePolicyArn, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := c.findPolicy("Policy %s was not found.")
	if err != nil {
		return nil, err
	}
	r := c.st.Roles[strings.ToLower(name)]
	if r == nil {
		return nil, noSuchRole(name)
	}
	for i, arn := range r.Attached {
		if arn == p.Arn {
			r.Attached = append(r.Attached[:i], r.Attached[i+1:]...)
			p.Attachments--
			return nil, nil
		}
	}
	return nil, errf("NoSuchEntity", "Policy %s was not found.", p.Arn)
}

func listAttachedRolePolicies(c *call) (any, *apiError) {
	var v checker
	r, err := c.namedRole(&v)
	if err != nil {
		return nil, err
	}
	return c.listAttached(r.Attached)
}

func putRolePolicy(c *call) (any, *apiError) {
	var v checker
	roleName := v.str(c.p, "RoleName", ruleRoleName, true)
	name := v.str(c.p, "PolicyName", rulePolicyName, true)
	doc := v.str(c.p, "PolicyDocument", rulePolicyDoc, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	r := c.st.Roles[strings.ToLower(roleName)]
	if r == nil {
		return nil, noSuchRole(roleName)
	}
	if r.Inline == nil {
		r.Inline = map[string]*inlinePolicy{}
	}
	return nil, c.putInline(r.Inline, name, doc, "RolePolicySize", inlineRoleQuota, "role", r.Name)
}

// roleInline resolves RoleName + PolicyName of an inline role policy.
func (c *call) roleInline() (*role, string, *apiError) {
	var v checker
	roleName := v.str(c.p, "RoleName", ruleRoleName, true)
	name := v.str(c.p, "PolicyName", rulePolicyName, true)
	if err := v.err(); err != nil {
		return nil, "", err
	}
	r := c.st.Roles[strings.ToLower(roleName)]
	if r == nil {
		return nil, "", noSuchRole(roleName)
	}
	if _, ok := r.Inline[name]; !ok {
		return nil, "", errf("NoSuchEntity", "The role policy with name %s cannot be found.", name)
	}
	return r, name, nil
}

type getRolePolicyResult struct {
	RoleName       string
	PolicyName     string
	PolicyDocument string // URL-encoded
}

func getRolePolicy(c *call) (any, *apiError) {
	r, name, err := c.roleInline()
	if err != nil {
		return nil, err
	}
	return getRolePolicyResult{r.Name, name, urlEncodeRFC3986(r.Inline[name].Document)}, nil
}

func deleteRolePolicy(c *call) (any, *apiError) {
	r, name, err := c.roleInline()
	if err != nil {
		return nil, err
	}
	delete(r.Inline, name)
	return nil, nil
}

func listRolePolicies(c *call) (any, *apiError) {
	var v checker
	r, err := c.namedRole(&v)
	if err != nil {
		return nil, err
	}
	return c.listInline(r.Inline)
}

// trustPolicy is a role's trust policy with its parsed form; state files
// keep the text only, like inline policies.
type trustPolicy struct {
	Document string
	parsed   *pol.Document // nil if a loaded document no longer parses: trusts no one
}

// MarshalJSON implements json.Marshaler: the document text only.
func (p *trustPolicy) MarshalJSON() ([]byte, error) { return json.Marshal(p.Document) }

// UnmarshalJSON implements json.Unmarshaler and parses the document.
func (p *trustPolicy) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &p.Document); err != nil {
		return err
	}
	if d, err := pol.ParseTrust(p.Document); err == nil {
		p.parsed = d
	}
	return nil
}
