package awsiam

import (
	"context"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
)

// MaxPolicyVersions is how many versions IAM keeps of one managed policy;
// CreatePolicyVersion fails with LimitExceeded beyond it
// (docs/iam-notes.md#managed-policies).
const MaxPolicyVersions = 5

// PolicyVersion is one version of a customer managed policy (without its
// document, which ListPolicyVersions does not return).
type PolicyVersion struct {
	ID        string // "v1", "v2", …
	IsDefault bool
	CreatedAt time.Time
}

// ListPolicyVersions returns every version of the managed policy arn,
// newest first as IAM lists them.
func (c *Client) ListPolicyVersions(ctx context.Context, arn string) ([]PolicyVersion, error) {
	var out []PolicyVersion
	p := iam.NewListPolicyVersionsPaginator(c.iam, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListPolicyVersions", err)
		}
		for _, v := range page.Versions {
			out = append(out, PolicyVersion{ID: aws.ToString(v.VersionId), IsDefault: v.IsDefaultVersion, CreatedAt: aws.ToTime(v.CreateDate)})
		}
	}
	return out, nil
}

// CreatePolicyVersion adds a version with document to the managed policy
// arn, making it the default when setAsDefault, and returns its ID.
func (c *Client) CreatePolicyVersion(ctx context.Context, arn, document string, setAsDefault bool) (string, error) {
	out, err := c.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn),
		PolicyDocument: aws.String(document), SetAsDefault: setAsDefault})
	if err != nil {
		return "", mapErr("CreatePolicyVersion", err)
	}
	return aws.ToString(out.PolicyVersion.VersionId), nil
}

// DeletePolicyVersion deletes a non-default version of the managed policy.
func (c *Client) DeletePolicyVersion(ctx context.Context, arn, versionID string) error {
	_, err := c.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(versionID)})
	return mapErr("DeletePolicyVersion", err)
}

// SetDefaultPolicyVersion makes versionID the managed policy's default.
func (c *Client) SetDefaultPolicyVersion(ctx context.Context, arn, versionID string) error {
	_, err := c.iam.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(versionID)})
	return mapErr("SetDefaultPolicyVersion", err)
}

// PolicyVersionDocument returns the decoded document of one version.
func (c *Client) PolicyVersionDocument(ctx context.Context, arn, versionID string) (string, error) {
	v, err := c.iam.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(versionID)})
	if err != nil {
		return "", mapErr("GetPolicyVersion", err)
	}
	doc, err := url.PathUnescape(aws.ToString(v.PolicyVersion.Document))
	if err != nil {
		return "", portal.E(portal.EINTERNAL, "error.internal").WithReason("IAM returned a policy document Gatehouse cannot read").Wrap(err)
	}
	return doc, nil
}
