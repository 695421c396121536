package iamemu

import (
	"fmt"
	"sort"
)

type xmlPolicyVersion struct {
	Document         string `xml:",omitempty"` // URL-encoded, GetPolicyVersion only
	VersionId        string
	IsDefaultVersion bool
	CreateDate       isoTime
}

type policyVersionResult struct {
	PolicyVersion xmlPolicyVersion
}

func versionXML(p *policy, v *policyVersion, withDoc bool) xmlPolicyVersion {
	x := xmlPolicyVersion{VersionId: v.ID, IsDefaultVersion: v.ID == p.DefaultVersion, CreateDate: isoTime(v.Created)}
	if withDoc {
		x.Document = urlEncodeRFC3986(v.Document)
	}
	return x
}

// findVersion validates VersionId and resolves it.
func (c *call) findVersion(p *policy) (*policyVersion, *apiError) {
	var v checker
	id := v.str(c.p, "VersionId", ruleVersionID, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	pv := p.version(id)
	if pv == nil {
		return nil, errf("NoSuchEntity", "Policy %s version %s does not exist or is not attachable.", p.Arn, id)
	}
	return pv, nil
}

func getPolicyVersion(c *call) (any, *apiError) {
	p, err := c.findPolicy("Policy %s was not found.")
	if err != nil {
		return nil, err
	}
	pv, err := c.findVersion(p)
	if err != nil {
		return nil, err
	}
	return policyVersionResult{versionXML(p, pv, true)}, nil
}

func createPolicyVersion(c *call) (any, *apiError) {
	var v checker
	doc := v.str(c.p, "PolicyDocument", rulePolicyDoc, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	setDefault, err := c.p.boolean("SetAsDefault")
	if err != nil {
		return nil, err
	}
	p, err := c.findPolicy("Policy %s was not found.")
	if err != nil {
		return nil, err
	}
	if err := c.refuseAWSManaged(p); err != nil {
		return nil, err
	}
	if len(p.Versions) >= 5 {
		return nil, errf("LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	}
	parsed, err := c.parsePolicyDocument(doc, "PolicySize", 6144)
	if err != nil {
		return nil, err
	}
	p.LastVersion++
	pv := &policyVersion{ID: fmt.Sprintf("v%d", p.LastVersion), Document: doc, Created: c.now, parsed: parsed}
	p.Versions = append(p.Versions, pv)
	if setDefault {
		p.DefaultVersion = pv.ID
	}
	p.Updated = c.now
	return policyVersionResult{versionXML(p, pv, false)}, nil
}

type listPolicyVersionsResult struct {
	Versions members[xmlPolicyVersion]
	page
}

// listPolicyVersions lists newest first (docs/iam-notes.md#managed-policies).
func listPolicyVersions(c *call) (any, *apiError) {
	p, err := c.findPolicy("Policy %s was not found.")
	if err != nil {
		return nil, err
	}
	vs := append([]*policyVersion{}, p.Versions...)
	sort.Slice(vs, func(i, j int) bool { return versionNumber(vs[i].ID) > versionNumber(vs[j].ID) })
	key := func(v *policyVersion) string { return fmt.Sprintf("%010d", 1<<30-versionNumber(v.ID)) }
	items, pg, err := paginate(c.p, vs, key)
	if err != nil {
		return nil, err
	}
	out := listPolicyVersionsResult{Versions: list([]xmlPolicyVersion{}), page: pg}
	for _, v := range items {
		out.Versions.Member = append(out.Versions.Member, versionXML(p, v, false))
	}
	return out, nil
}

// ownVersion resolves PolicyArn and VersionId of an action that changes a
// customer managed policy's versions (AWS managed policies are refused).
func (c *call) ownVersion() (*policy, *policyVersion, *apiError) {
	p, err := c.findPolicy("Policy %s was not found.")
	if err != nil {
		return nil, nil, err
	}
	if err := c.refuseAWSManaged(p); err != nil {
		return nil, nil, err
	}
	pv, err := c.findVersion(p)
	if err != nil {
		return nil, nil, err
	}
	return p, pv, nil
}

func deletePolicyVersion(c *call) (any, *apiError) {
	p, pv, err := c.ownVersion()
	if err != nil {
		return nil, err
	}
	if pv.ID == p.DefaultVersion {
		return nil, errf("DeleteConflict", "Cannot delete the default version of a policy.")
	}
	for i, v := range p.Versions {
		if v == pv {
			p.Versions = append(p.Versions[:i], p.Versions[i+1:]...)
			break
		}
	}
	return nil, nil
}

func setDefaultPolicyVersion(c *call) (any, *apiError) {
	p, pv, err := c.ownVersion()
	if err != nil {
		return nil, err
	}
	p.DefaultVersion = pv.ID
	p.Updated = c.now
	return nil, nil
}
