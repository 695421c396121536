package iamemu

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestAccountAlias(t *testing.T) {
	env := newEnv(t, Options{})
	aliases := func() string {
		out := must[*iam.ListAccountAliasesOutput](t)(env.iam.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{}))
		if out.IsTruncated {
			t.Fatal("one alias at most, yet truncated")
		}
		return strings.Join(out.AccountAliases, ",")
	}
	create := func(a string) error {
		_, err := env.iam.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String(a)})
		return err
	}
	del := func(a string) error {
		_, err := env.iam.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String(a)})
		return err
	}

	if got := aliases(); got != "" {
		t.Fatalf("a new account has aliases %q", got)
	}
	if err := create("example-corp"); err != nil {
		t.Fatal(err)
	}
	if got, want := aliases(), "example-corp"; got != want {
		t.Fatalf("aliases = %q, want %q", got, want)
	}

	t.Run("the alias the account has already is EntityAlreadyExists", func(t *testing.T) {
		err := create("example-corp")
		wantErr(t, err, "EntityAlreadyExists", 409)
		if got, want := apiMessage(t, err), "The account alias example-corp already exists."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
	t.Run("a new alias replaces the old one", func(t *testing.T) {
		if err := create("example-2"); err != nil {
			t.Fatal(err)
		}
		if got, want := aliases(), "example-2"; got != want {
			t.Fatalf("aliases = %q, want %q", got, want)
		}
	})
	t.Run("deleting another name is NoSuchEntity", func(t *testing.T) {
		wantErr(t, del("example-corp"), "NoSuchEntity", 404)
		if got := aliases(); got != "example-2" {
			t.Fatalf("a failed delete changed the alias to %q", got)
		}
	})
	t.Run("deleting the alias leaves none", func(t *testing.T) {
		if err := del("example-2"); err != nil {
			t.Fatal(err)
		}
		if got := aliases(); got != "" {
			t.Fatalf("aliases = %q after delete", got)
		}
	})
	t.Run("names outside AWS's rules are ValidationError", func(t *testing.T) {
		for _, a := range []string{"ab", strings.Repeat("a", 64), "-corp", "corp-", "ex--corp", "Example", "ex_corp"} {
			err := create(a)
			wantErr(t, err, "ValidationError", 400)
			if !strings.Contains(apiMessage(t, err), "'accountAlias'") {
				t.Fatalf("%q: message %q does not name accountAlias", a, apiMessage(t, err))
			}
			wantErr(t, del(a), "ValidationError", 400)
		}
	})
}
