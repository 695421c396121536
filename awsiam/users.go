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

// GetUser returns an IAM user with its tags.
func (c *Client) GetUser(ctx context.Context, name string) (User, error) {
	out, err := c.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})
	if err != nil {
		return User{}, mapErr("GetUser", err)
	}
	return userFrom(out.User), nil
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
