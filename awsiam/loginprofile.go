package awsiam

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// LoginProfileResetRequired reports whether the user's console password
// must be changed at the next sign-in (NoSuchEntity when the user has no
// console password).
func (c *Client) LoginProfileResetRequired(ctx context.Context, user string) (bool, error) {
	out, err := c.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(user)})
	if err != nil {
		return false, mapErr("GetLoginProfile", err)
	}
	return out.LoginProfile.PasswordResetRequired, nil
}
