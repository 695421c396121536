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

// CreateLoginProfile gives the user a console password. The password is
// never reset-required: the forced-MFA policy denies iam:ChangePassword until
// MFA is present, so a forced reset at first sign-in would lock the user out
// (docs/iam-notes.md#forced-mfa-and-first-sign-in).
func (c *Client) CreateLoginProfile(ctx context.Context, user, password string) error {
	return c.CreateLoginProfileReset(ctx, user, password, false)
}

// CreateLoginProfileReset is CreateLoginProfile with PasswordResetRequired
// as given: only for an admin who confirmed the lock-out warning.
func (c *Client) CreateLoginProfileReset(ctx context.Context, user, password string, resetRequired bool) error {
	return retryNotFound(ctx, c.consistencyWait, func() error {
		_, err := c.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{
			UserName: aws.String(user), Password: aws.String(password), PasswordResetRequired: resetRequired})
		return mapErr("CreateLoginProfile", err)
	})
}

// UpdateLoginProfile replaces the user's console password.
func (c *Client) UpdateLoginProfile(ctx context.Context, user, password string) error {
	return c.UpdateLoginProfileReset(ctx, user, password, false)
}

// UpdateLoginProfileReset is UpdateLoginProfile with PasswordResetRequired
// as given.
func (c *Client) UpdateLoginProfileReset(ctx context.Context, user, password string, resetRequired bool) error {
	_, err := c.iam.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{
		UserName: aws.String(user), Password: aws.String(password), PasswordResetRequired: aws.Bool(resetRequired)})
	return mapErr("UpdateLoginProfile", err)
}

// PasswordPolicy is the subset of the account password policy that a
// generated password must meet, and what the posture page checks. Custom
// is false for DefaultPasswordPolicy (the account has none).
type PasswordPolicy struct {
	MinLength                                               int
	RequireUpper, RequireLower, RequireDigit, RequireSymbol bool
	Custom                                                  bool
	ReusePrevention                                         int // passwords remembered; 0 when not set
}

// DefaultPasswordPolicy is what IAM enforces when the account has no custom
// policy: at least 8 characters and 3 of the 4 character classes
// (docs/iam-notes.md#names-limits-and-quotas). A generated password with all
// four classes meets it.
var DefaultPasswordPolicy = PasswordPolicy{MinLength: 8, RequireUpper: true, RequireLower: true, RequireDigit: true, RequireSymbol: true}

// PasswordPolicy returns the account's password policy, or the default when
// the account has none.
func (c *Client) PasswordPolicy(ctx context.Context) (PasswordPolicy, error) {
	out, err := c.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if err != nil {
		if err := mapErr("GetAccountPasswordPolicy", err); errReason(err) == CodeNoSuchEntity {
			return DefaultPasswordPolicy, nil
		} else {
			return PasswordPolicy{}, err
		}
	}
	p := out.PasswordPolicy
	return PasswordPolicy{
		MinLength:       int(aws.ToInt32(p.MinimumPasswordLength)),
		RequireUpper:    p.RequireUppercaseCharacters,
		RequireLower:    p.RequireLowercaseCharacters,
		RequireDigit:    p.RequireNumbers,
		RequireSymbol:   p.RequireSymbols,
		Custom:          true,
		ReusePrevention: int(aws.ToInt32(p.PasswordReusePrevention)),
	}, nil
}
