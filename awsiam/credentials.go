package awsiam

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// DeactivateAccessKey makes an access key inactive (it can be reactivated).
func (c *Client) DeactivateAccessKey(ctx context.Context, user, id string) error {
	_, err := c.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String(user), AccessKeyId: aws.String(id),
		Status: types.StatusTypeInactive})
	return mapErr("UpdateAccessKey", err)
}

// ActivateAccessKey makes an inactive access key active again.
func (c *Client) ActivateAccessKey(ctx context.Context, user, id string) error {
	_, err := c.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String(user), AccessKeyId: aws.String(id),
		Status: types.StatusTypeActive})
	return mapErr("UpdateAccessKey", err)
}

// LoginProfileCreated returns when the user's console password was
// created, and false when the user has none.
func (c *Client) LoginProfileCreated(ctx context.Context, user string) (time.Time, bool, error) {
	out, err := c.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(user)})
	if err != nil {
		if err := mapErr("GetLoginProfile", err); errReason(err) == CodeNoSuchEntity {
			return time.Time{}, false, nil
		} else {
			return time.Time{}, false, err
		}
	}
	return aws.ToTime(out.LoginProfile.CreateDate), true, nil
}

// AccessKeyLastUsed returns when an access key was last used; the zero
// time when it never was.
func (c *Client) AccessKeyLastUsed(ctx context.Context, id string) (time.Time, error) {
	out, err := c.iam.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(id)})
	if err != nil {
		return time.Time{}, mapErr("GetAccessKeyLastUsed", err)
	}
	if out.AccessKeyLastUsed == nil {
		return time.Time{}, nil
	}
	return aws.ToTime(out.AccessKeyLastUsed.LastUsedDate), nil
}
