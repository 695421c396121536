package iamemu

import (
	"crypto/sha256"
	"strings"
	"time"

	pol "github.com/gatehouse/portal/policy"
)

// AWS managed policies: a few of the policies AWS publishes in every
// account, at arn:PARTITION:iam::aws:policy/NAME. They are listed with
// ListPolicies (Scope AWS or All), read with GetPolicy/GetPolicyVersion,
// attached to users and groups and enforced like customer policies, but an
// account cannot change or delete them. Each account keeps its own copy
// (their attachment counts are per account). The documents of
// AdministratorAccess and IAMUserChangePassword are AWS's; ReadOnlyAccess
// is a shortened stand-in for AWS's list of several hundred read actions,
// granting the reads of the emulated services.

type awsPolicy struct {
	name, description, version, document string
}

var awsPolicies = []awsPolicy{
	{"AdministratorAccess", "Provides full access to AWS services and resources.", "v1",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
	{"IAMUserChangePassword", "Provides the ability for an IAM user to change their own password.", "v5",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ChangePassword"],"Resource":["arn:${Partition}:iam::*:user/${aws:username}"]},{"Effect":"Allow","Action":["iam:GetAccountPasswordPolicy"],"Resource":"*"}]}`},
	{"ReadOnlyAccess", "Provides read-only access to AWS services and resources.", "v1",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*","iam:Generate*","iam:Simulate*","sts:GetCallerIdentity"],"Resource":"*"}]}`},
}

// awsPoliciesCreated is when the emulated AWS managed policies were
// published (a fixed date, as on AWS).
var awsPoliciesCreated = time.Date(2015, 2, 6, 18, 39, 46, 0, time.UTC)

// addAWSPolicies puts the AWS managed policies into the account, keeping
// the attachment counts of those it already has (a loaded state file).
func (s *state) addAWSPolicies() {
	for _, ap := range awsPolicies {
		arn := s.awsPolicyArn("/" + ap.name)
		doc := strings.ReplaceAll(ap.document, "${Partition}", s.Partition)
		parsed, err := pol.Parse(doc)
		if err != nil {
			panic("iamemu: AWS managed policy " + ap.name + ": " + err.Error())
		}
		v := &policyVersion{ID: ap.version, Document: doc, Created: awsPoliciesCreated, parsed: parsed}
		attached := 0
		if old := s.Policies[arn]; old != nil {
			attached = old.Attachments
		}
		s.Policies[arn] = &policy{
			Name: ap.name, Path: "/", ID: awsPolicyID(ap.name), Arn: arn, Description: ap.description,
			Created: awsPoliciesCreated, Updated: awsPoliciesCreated, DefaultVersion: ap.version,
			Versions: []*policyVersion{v}, LastVersion: versionNumber(ap.version), Attachments: attached,
		}
	}
}

// awsPolicyID derives a stable ANPA… id from the policy's name (AWS's real
// ids are not reproduced).
func awsPolicyID(name string) string {
	sum := sha256.Sum256([]byte(name))
	b := make([]byte, 17)
	for i := range b {
		b[i] = idAlphabet[sum[i]%32]
	}
	return "ANPA" + string(b)
}

// awsManaged reports whether p is an AWS managed policy.
func (p *policy) awsManaged() bool { return strings.Contains(p.Arn, ":iam::aws:policy/") }

// refuseAWSManaged answers an attempt to change an AWS managed policy. The
// policies belong to AWS's account, so the caller is denied as for any
// resource of another account (AWS's exact text for this is unrecorded).
func (c *call) refuseAWSManaged(p *policy) *apiError {
	if !p.awsManaged() {
		return nil
	}
	return errf("AccessDenied", "User: %s is not authorized to perform: iam:%s on resource: policy %s", c.caller.Arn, c.action, p.Arn)
}

// awsPolicyArn is the ARN of an AWS managed policy in this partition.
func (s *state) awsPolicyArn(pathAndName string) string {
	return "arn:" + s.Partition + ":iam::aws:policy" + pathAndName
}
