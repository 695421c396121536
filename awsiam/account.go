package awsiam

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// AccountAlias returns the account's alias (an account has at most one), or
// "" when it has none.
func (c *Client) AccountAlias(ctx context.Context) (string, error) {
	out, err := c.iam.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
	if err != nil {
		return "", mapErr("ListAccountAliases", err)
	}
	if len(out.AccountAliases) == 0 {
		return "", nil
	}
	return out.AccountAliases[0], nil
}
