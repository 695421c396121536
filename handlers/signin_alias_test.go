package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// With an account alias, the console sign-in URL the new user receives is
// the alias's, as the AWS console shows it.
func TestSigninURLUsesTheAccountAlias(t *testing.T) {
	e := newEnv(t)
	if _, err := e.rawIAM().CreateAccountAlias(context.Background(), &iam.CreateAccountAliasInput{AccountAlias: aws.String("example-corp")}); err != nil {
		t.Fatal(err)
	}
	admin, _ := e.setupAdmin()
	const want = "https://example-corp.signin.aws.amazon.com/console"
	p := admin.post("/users", map[string][]string{"user_name": {"aliased"}, "display_name": {"A"}})
	if p.status != http.StatusCreated || !strings.Contains(p.body, want) {
		t.Fatalf("hand-off page (status %d) does not show %s", p.status, want)
	}
	u := e.newClient()
	creds := u.follow(u.post(p.testid("invite-url"), nil))
	if got := creds.testid("signin-url"); got != want {
		t.Fatalf("sign-in URL = %q, want %q", got, want)
	}
}
