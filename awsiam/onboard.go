package awsiam

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gatehouse/portal"
)

// What onboarding creates in IAM (onboarding/saga.go), in the saga's order:
// the managed forced-MFA policy (ensured, and read for the option warnings),
// the user, the policy attached to it.

// ManagedPolicy is a customer managed policy and its default document.
type ManagedPolicy struct {
	ARN              string
	DefaultVersionID string
	Document         string // decoded JSON
}

// PolicyARN builds the ARN of a customer managed policy at path "/".
func PolicyARN(p portal.Partition, account, name string) string {
	return p.IAMARN(account, "policy/"+name)
}

// GetPolicy returns a managed policy with its default version's document.
func (c *Client) GetPolicy(ctx context.Context, arn string) (ManagedPolicy, error) {
	out, err := c.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	if err != nil {
		return ManagedPolicy{}, mapErr("GetPolicy", err)
	}
	mp := ManagedPolicy{ARN: aws.ToString(out.Policy.Arn), DefaultVersionID: aws.ToString(out.Policy.DefaultVersionId)}
	v, err := c.iam.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: out.Policy.DefaultVersionId})
	if err != nil {
		return ManagedPolicy{}, mapErr("GetPolicyVersion", err)
	}
	// IAM returns documents URL-encoded (RFC 3986); PathUnescape keeps '+' as
	// '+' where QueryUnescape would turn it into a space
	// (docs/iam-notes.md#response-shapes).
	doc, err := url.PathUnescape(aws.ToString(v.PolicyVersion.Document))
	if err != nil {
		return ManagedPolicy{}, portal.E(portal.EINTERNAL, "error.internal").WithReason("IAM returned a policy document Gatehouse cannot read").Wrap(err)
	}
	mp.Document = doc
	return mp, nil
}

// CreatePolicy creates a customer managed policy at path "/".
func (c *Client) CreatePolicy(ctx context.Context, name, document, description string) (string, error) {
	out, err := c.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(document),
		Description: aws.String(description)})
	if err != nil {
		return "", mapErr("CreatePolicy", err)
	}
	return aws.ToString(out.Policy.Arn), nil
}

// EnsurePolicy makes sure the managed policy name (at arn, see PolicyARN)
// exists: it is created with document when missing. When it exists, drifted
// reports whether its default version differs from document (JSON-equal
// ignoring formatting); a drifted policy is reported, never overwritten here.
func (c *Client) EnsurePolicy(ctx context.Context, arn, name, document string) (drifted bool, err error) {
	mp, err := c.GetPolicy(ctx, arn)
	switch portal.ErrorReason(err) {
	case "":
		return !SameJSON(mp.Document, document), nil
	case CodeNoSuchEntity:
		_, err := c.CreatePolicy(ctx, name, document, "Gatehouse: enforce MFA; self-manage own password, access keys, Git credentials and MFA")
		if err == nil || portal.ErrorReason(err) == CodeEntityAlreadyExists {
			return false, nil
		}
		return false, err
	default:
		return false, err
	}
}

// SameJSON reports whether two JSON texts hold the same value, ignoring
// whitespace and key order.
func SameJSON(a, b string) bool {
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	ja, _ := json.Marshal(va)
	jb, _ := json.Marshal(vb)
	return bytes.Equal(ja, jb)
}

func errReason(err error) string { return portal.ErrorReason(err) }

// CreateUser creates an IAM user at path "/" with the given tags.
func (c *Client) CreateUser(ctx context.Context, name string, tags map[string]string) (User, error) {
	return c.CreateUserAt(ctx, name, "/", tags)
}

// CreateUserAt creates an IAM user at path ("" means "/") with the given
// tags.
func (c *Client) CreateUserAt(ctx context.Context, name, path string, tags map[string]string) (User, error) {
	in := &iam.CreateUserInput{UserName: aws.String(name)}
	if path != "" {
		in.Path = aws.String(path)
	}
	for k, v := range tags {
		in.Tags = append(in.Tags, types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	out, err := c.iam.CreateUser(ctx, in)
	if err != nil {
		return User{}, mapErr("CreateUser", err)
	}
	return userFrom(out.User), nil
}

// WaitUser returns the user, retrying NoSuchEntity for a while: use it right
// after CreateUser.
func (c *Client) WaitUser(ctx context.Context, name string) (User, error) {
	var u User
	err := retryNotFound(ctx, c.consistencyWait, func() (err error) {
		u, err = c.GetUser(ctx, name)
		return err
	})
	return u, err
}

// AttachUserPolicy attaches a managed policy to a user, retrying while a
// freshly created user is not visible yet.
func (c *Client) AttachUserPolicy(ctx context.Context, user, policyARN string) error {
	return retryNotFound(ctx, c.consistencyWait, func() error {
		_, err := c.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(policyARN)})
		return mapErr("AttachUserPolicy", err)
	})
}
