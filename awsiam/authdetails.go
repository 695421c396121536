package awsiam

import (
	"context"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// AuthUser is a user's policies as GetAccountAuthorizationDetails lists them.
type AuthUser struct {
	Name     string
	Attached []string // managed policy ARNs attached to the user itself
	Inline   []string // inline policy names
	Groups   []string
}

// AuthGroup is a group's attached managed policies.
type AuthGroup struct {
	Name     string
	Attached []string
}

// AuthPolicy is a managed policy in use, with its default version.
type AuthPolicy struct {
	ARN         string
	Name        string
	AWSManaged  bool
	Attachments int
	Document    string // default version, decoded JSON
}

// AuthorizationDetails is who holds which policy in the account.
type AuthorizationDetails struct {
	Users    []AuthUser
	Groups   []AuthGroup
	Policies []AuthPolicy // attached ones only
}

// AuthorizationDetails reads every user, group and attached managed policy
// of the account with GetAccountAuthorizationDetails: one paged call for
// the whole account instead of several calls per user. AWS lists AWS
// managed policies only while they are attached.
func (c *Client) AuthorizationDetails(ctx context.Context) (*AuthorizationDetails, error) {
	out := &AuthorizationDetails{}
	p := iam.NewGetAccountAuthorizationDetailsPaginator(c.iam, &iam.GetAccountAuthorizationDetailsInput{
		Filter:   []types.EntityType{types.EntityTypeUser, types.EntityTypeGroup, types.EntityTypeLocalManagedPolicy, types.EntityTypeAWSManagedPolicy},
		MaxItems: c.largestPage(),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("GetAccountAuthorizationDetails", err)
		}
		for _, u := range page.UserDetailList {
			au := AuthUser{Name: aws.ToString(u.UserName), Groups: u.GroupList}
			for _, a := range u.AttachedManagedPolicies {
				au.Attached = append(au.Attached, aws.ToString(a.PolicyArn))
			}
			for _, in := range u.UserPolicyList {
				au.Inline = append(au.Inline, aws.ToString(in.PolicyName))
			}
			out.Users = append(out.Users, au)
		}
		for _, g := range page.GroupDetailList {
			ag := AuthGroup{Name: aws.ToString(g.GroupName)}
			for _, a := range g.AttachedManagedPolicies {
				ag.Attached = append(ag.Attached, aws.ToString(a.PolicyArn))
			}
			out.Groups = append(out.Groups, ag)
		}
		for _, mp := range page.Policies {
			if aws.ToInt32(mp.AttachmentCount) == 0 {
				continue
			}
			ap := AuthPolicy{ARN: aws.ToString(mp.Arn), Name: aws.ToString(mp.PolicyName), Attachments: int(aws.ToInt32(mp.AttachmentCount))}
			ap.AWSManaged = isAWSManaged(ap.ARN)
			for _, v := range mp.PolicyVersionList {
				if v.IsDefaultVersion {
					// URL-encoded (RFC 3986), as GetPolicyVersion's.
					if doc, err := url.PathUnescape(aws.ToString(v.Document)); err == nil {
						ap.Document = doc
					}
				}
			}
			out.Policies = append(out.Policies, ap)
		}
	}
	return out, nil
}

// isAWSManaged reports whether a policy ARN is an AWS managed policy's:
// its account field is "aws" (arn:aws:iam::aws:policy/...).
func isAWSManaged(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[4] == "aws"
}
