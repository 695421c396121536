package awsiam

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// User is an IAM user as Gatehouse needs it.
type User struct {
	Name      string
	ID        string
	ARN       string
	Path      string
	CreatedAt time.Time
	Tags      map[string]string
	// PasswordLastUsed is the last console sign-in with the password; zero
	// when never (or no password).
	PasswordLastUsed time.Time
}

func userFrom(u *types.User) User {
	out := User{Name: aws.ToString(u.UserName), ID: aws.ToString(u.UserId), ARN: aws.ToString(u.Arn),
		Path: aws.ToString(u.Path), CreatedAt: aws.ToTime(u.CreateDate), Tags: map[string]string{}, PasswordLastUsed: aws.ToTime(u.PasswordLastUsed)}
	for _, t := range u.Tags {
		out.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}

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

// GetUser returns an IAM user with its tags.
func (c *Client) GetUser(ctx context.Context, name string) (User, error) {
	out, err := c.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})
	if err != nil {
		return User{}, mapErr("GetUser", err)
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

// AttachUserPolicy attaches a managed policy to a user, retrying while a
// freshly created user is not visible yet.
func (c *Client) AttachUserPolicy(ctx context.Context, user, policyARN string) error {
	return retryNotFound(ctx, c.consistencyWait, func() error {
		_, err := c.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(policyARN)})
		return mapErr("AttachUserPolicy", err)
	})
}

// AttachedPolicyARNs lists the ARNs of managed policies attached to a user.
func (c *Client) AttachedPolicyARNs(ctx context.Context, user string) ([]string, error) {
	var arns []string
	p := iam.NewListAttachedUserPoliciesPaginator(c.iam, &iam.ListAttachedUserPoliciesInput{UserName: aws.String(user), MaxItems: c.maxItems()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListAttachedUserPolicies", err)
		}
		for _, ap := range page.AttachedPolicies {
			arns = append(arns, aws.ToString(ap.PolicyArn))
		}
	}
	return arns, nil
}
