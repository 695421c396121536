package awsiam

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// DetachUserPolicy detaches a managed policy from a user.
func (c *Client) DetachUserPolicy(ctx context.Context, user, policyARN string) error {
	_, err := c.iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(policyARN)})
	return mapErr("DetachUserPolicy", err)
}

// InlinePolicyNames lists the names of a user's inline policies.
func (c *Client) InlinePolicyNames(ctx context.Context, user string) ([]string, error) {
	var names []string
	p := iam.NewListUserPoliciesPaginator(c.iam, &iam.ListUserPoliciesInput{UserName: aws.String(user), MaxItems: c.maxItems()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListUserPolicies", err)
		}
		names = append(names, page.PolicyNames...)
	}
	return names, nil
}

// DeleteUserPolicy deletes one inline policy of a user.
func (c *Client) DeleteUserPolicy(ctx context.Context, user, name string) error {
	_, err := c.iam.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String(name)})
	return mapErr("DeleteUserPolicy", err)
}

// GroupsForUser lists the names of the groups a user belongs to.
func (c *Client) GroupsForUser(ctx context.Context, user string) ([]string, error) {
	var names []string
	p := iam.NewListGroupsForUserPaginator(c.iam, &iam.ListGroupsForUserInput{UserName: aws.String(user), MaxItems: c.maxItems()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListGroupsForUser", err)
		}
		for _, g := range page.Groups {
			names = append(names, aws.ToString(g.GroupName))
		}
	}
	return names, nil
}

// RemoveUserFromGroup takes a user out of a group.
func (c *Client) RemoveUserFromGroup(ctx context.Context, user, group string) error {
	_, err := c.iam.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(user), GroupName: aws.String(group)})
	return mapErr("RemoveUserFromGroup", err)
}

// DeleteUser deletes an IAM user. IAM refuses (DeleteConflict) while the
// user still has a password, keys, devices, policies or groups.
func (c *Client) DeleteUser(ctx context.Context, user string) error {
	_, err := c.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(user)})
	return mapErr("DeleteUser", err)
}

// ListUsers returns every IAM user of the account (without tags: IAM's
// ListUsers does not return them; use UserTags).
func (c *Client) ListUsers(ctx context.Context) ([]User, error) {
	var out []User
	p := iam.NewListUsersPaginator(c.iam, &iam.ListUsersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListUsers", err)
		}
		for i := range page.Users {
			out = append(out, userFrom(&page.Users[i]))
		}
	}
	return out, nil
}

// TagUser adds or replaces tags on a user.
func (c *Client) TagUser(ctx context.Context, user string, tags map[string]string) error {
	in := &iam.TagUserInput{UserName: aws.String(user)}
	for k, v := range tags {
		in.Tags = append(in.Tags, types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	_, err := c.iam.TagUser(ctx, in)
	return mapErr("TagUser", err)
}
