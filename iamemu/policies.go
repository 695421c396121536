package iamemu

import (
	"fmt"

	pol "github.com/gatehouse/portal/policy"
	"regexp"
	"sort"
	"strings"
	"time"
)

type policy struct {
	Name, Path, ID, Arn, Description string
	Created, Updated                 time.Time
	DefaultVersion                   string
	Versions                         []*policyVersion // oldest first
	LastVersion                      int              // version ids are never reused (v6 follows a deleted v5)
	Attachments                      int
	Tags                             []tag
}

type policyVersion struct {
	ID, Document string
	Created      time.Time
	parsed       *pol.Document // nil if a loaded document no longer parses
}

// xmlPolicyFields are the members a Policy and a ManagedPolicyDetail share,
// in wire order.
type xmlPolicyFields struct {
	PolicyName                    string
	PolicyId                      string
	Arn                           string
	Path                          string
	DefaultVersionId              string
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
	IsAttachable                  bool
	Description                   string `xml:",omitempty"`
	CreateDate                    isoTime
	UpdateDate                    isoTime
}

// policyFields fills the shared members; Description only when withDescription
// (AWS leaves it out of CreatePolicy's and the listings' answers).
func policyFields(p *policy, withDescription bool) xmlPolicyFields {
	f := xmlPolicyFields{
		PolicyName: p.Name, PolicyId: p.ID, Arn: p.Arn, Path: p.Path,
		DefaultVersionId: p.DefaultVersion, AttachmentCount: p.Attachments,
		IsAttachable: true, CreateDate: isoTime(p.Created), UpdateDate: isoTime(p.Updated),
	}
	if withDescription {
		f.Description = p.Description
	}
	return f
}

type xmlPolicy struct {
	xmlPolicyFields
	Tags *members[xmlTag]
}

type policyResult struct {
	Policy xmlPolicy
}

// policyXML: CreatePolicy omits Description and shows Tags only when given;
// GetPolicy shows Description and always a (possibly empty) Tags
// (docs/iam-notes.md#response-shapes).
func policyXML(p *policy, get bool) xmlPolicy {
	x := xmlPolicy{xmlPolicyFields: policyFields(p, get)}
	if get || len(p.Tags) > 0 {
		t := list(tagsXML(p.Tags))
		x.Tags = &t
	}
	return x
}

var policyArnRE = regexp.MustCompile(`^arn:[^:]+:iam::(\d{12}|aws):policy(/.*)?/[^/]+$`)

// findPolicy resolves PolicyArn: malformed → ValidationError "Invalid ARN:
// Could not be parsed!" (sic, two spaces), another partition →
// ValidationError "Invalid ARN partition", unknown → NoSuchEntity notFound.
func (c *call) findPolicy(notFound string) (*policy, *apiError) {
	var v checker
	arn := v.str(c.p, "PolicyArn", rulePolicyArn, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	if !policyArnRE.MatchString(arn) {
		return nil, errf("ValidationError", "Invalid ARN:  Could not be parsed!")
	}
	if err := c.checkArnPartition(arn); err != nil {
		return nil, err
	}
	p := c.st.Policies[arn]
	if p == nil {
		return nil, errf("NoSuchEntity", notFound, arn)
	}
	return p, nil
}

func createPolicy(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "PolicyName", rulePolicyName, true)
	path := v.str(c.p, "Path", rulePolicyPath, false)
	doc := v.str(c.p, "PolicyDocument", rulePolicyDoc, true)
	desc := v.str(c.p, "Description", ruleDescription, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	if path == "" {
		path = "/"
	}
	tags := c.p.tags()
	if err := checkTags(tags, false); err != nil {
		return nil, err
	}
	for _, p := range c.st.Policies {
		if !p.awsManaged() && strings.EqualFold(p.Name, name) {
			return nil, errf("EntityAlreadyExists", "A policy called %s already exists. Duplicate names are not allowed.", name)
		}
	}
	parsed, err := c.parsePolicyDocument(doc, "PolicySize", 6144)
	if err != nil {
		return nil, err
	}
	arn := c.st.arn("policy" + path + name)
	p := &policy{
		Name: name, Path: path, ID: newUniqueID("ANPA"), Arn: arn, Description: desc,
		Created: c.now, Updated: c.now, DefaultVersion: "v1", LastVersion: 1, Tags: tags,
		Versions: []*policyVersion{{ID: "v1", Document: doc, Created: c.now, parsed: parsed}},
	}
	c.st.Policies[arn] = p
	return policyResult{policyXML(p, false)}, nil
}

func getPolicy(c *call) (any, *apiError) {
	p, err := c.findPolicy("Policy %s was not found.")
	if err != nil {
		return nil, err
	}
	return policyResult{policyXML(p, true)}, nil
}

func deletePolicy(c *call) (any, *apiError) {
	p, err := c.findPolicy("Policy %s was not found.")
	if err != nil {
		return nil, err
	}
	if err := c.refuseAWSManaged(p); err != nil {
		return nil, err
	}
	if p.Attachments > 0 {
		return nil, errf("DeleteConflict", "Cannot delete a policy attached to entities.")
	}
	if len(p.Versions) > 1 {
		// AWS deletes only the default version with the policy.
		return nil, errf("DeleteConflict", "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
	}
	delete(c.st.Policies, p.Arn)
	return nil, nil
}

type listPoliciesResult struct {
	Policies members[xmlPolicy]
	page
}

// listPolicies lists customer managed policies (Scope=Local), AWS managed
// ones (Scope=AWS) or both (All, the default).
func listPolicies(c *call) (any, *apiError) {
	var v checker
	v.enum(c.p, "Scope", false, "All", "AWS", "Local")
	prefix := v.str(c.p, "PathPrefix", rulePolicyPath, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	onlyAttached, err := c.p.boolean("OnlyAttached")
	if err != nil {
		return nil, err
	}
	var ps []*policy
	for _, p := range c.st.Policies {
		scope := c.p.get("Scope")
		if scope == "AWS" && !p.awsManaged() || scope == "Local" && p.awsManaged() ||
			!strings.HasPrefix(p.Path, prefix) || onlyAttached && p.Attachments == 0 {
			continue
		}
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Arn < ps[j].Arn })
	items, pg, err := paginate(c.p, ps, func(p *policy) string { return p.Arn })
	if err != nil {
		return nil, err
	}
	out := listPoliciesResult{Policies: list([]xmlPolicy{}), page: pg}
	for _, p := range items {
		x := policyXML(p, false)
		x.Tags = nil
		out.Policies.Member = append(out.Policies.Member, x)
	}
	return out, nil
}

func (p *policy) version(id string) *policyVersion {
	for _, v := range p.Versions {
		if v.ID == id {
			return v
		}
	}
	return nil
}

func versionNumber(id string) int {
	var n int
	fmt.Sscanf(id, "v%d", &n)
	return n
}

// policy looks a managed policy up by ARN.
func (s *state) policy(arn string) *policy { return s.Policies[arn] }

// allPolicies returns every managed policy of the account, by ARN.
func (s *state) allPolicies() []*policy {
	out := make([]*policy, 0, len(s.Policies))
	for _, arn := range sortedKeys(s.Policies) {
		out = append(out, s.Policies[arn])
	}
	return out
}
