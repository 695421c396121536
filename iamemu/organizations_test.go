package iamemu

import (
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// orgClient returns an Organizations client for the given credentials.
func (env *testEnv) orgClient(key, secret, token string) *organizations.Client {
	cfg := aws.Config{
		Region:      env.e.Region(),
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, token),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	return organizations.NewFromConfig(cfg, func(o *organizations.Options) { o.BaseEndpoint = aws.String(env.url) })
}

func TestOrganizations_ListAccounts(t *testing.T) {
	env := newOrgEnv(t)
	k, s := env.e.Account(acctA).RootCredentials()
	mgmt := env.orgClient(k, s, "")
	out := must[*organizations.ListAccountsOutput](t)(mgmt.ListAccounts(ctx, &organizations.ListAccountsInput{}))
	if len(out.Accounts) != 3 || out.NextToken != nil {
		t.Fatalf("ListAccounts = %d accounts, NextToken %v", len(out.Accounts), out.NextToken)
	}
	org := env.e.OrganizationID()
	for i, id := range []string{acctA, acctB, acctC} {
		a := out.Accounts[i]
		method := orgtypes.AccountJoinedMethodCreated
		if i == 0 {
			method = orgtypes.AccountJoinedMethodInvited
		}
		if aws.ToString(a.Id) != id || aws.ToString(a.Arn) != "arn:aws:organizations::"+acctA+":account/"+org+"/"+id ||
			aws.ToString(a.Email) != AccountEmail(id) || aws.ToString(a.Name) != AccountName(id) ||
			a.Status != orgtypes.AccountStatusActive || a.JoinedMethod != method || a.JoinedTimestamp == nil || a.JoinedTimestamp.IsZero() {
			t.Fatalf("account %d = %+v", i, a)
		}
	}

	t.Run("pages with MaxResults and NextToken", func(t *testing.T) {
		p := organizations.NewListAccountsPaginator(mgmt, &organizations.ListAccountsInput{MaxResults: aws.Int32(2)})
		var ids []string
		for p.HasMorePages() {
			page := must[*organizations.ListAccountsOutput](t)(p.NextPage(ctx))
			if len(page.Accounts) > 2 {
				t.Fatalf("page of %d", len(page.Accounts))
			}
			for _, a := range page.Accounts {
				ids = append(ids, aws.ToString(a.Id))
			}
		}
		if len(ids) != 3 || ids[0] != acctA || ids[2] != acctC {
			t.Fatalf("paged ids = %v", ids)
		}
	})
	t.Run("a bad NextToken or MaxResults is InvalidInputException", func(t *testing.T) {
		var bad *orgtypes.InvalidInputException
		_, err := mgmt.ListAccounts(ctx, &organizations.ListAccountsInput{NextToken: aws.String("nope")})
		if !errors.As(err, &bad) || bad.Reason != orgtypes.InvalidInputExceptionReasonInvalidPaginationToken {
			t.Fatalf("err = %v", err)
		}
		_, err = mgmt.ListAccounts(ctx, &organizations.ListAccountsInput{MaxResults: aws.Int32(21)})
		if !errors.As(err, &bad) || bad.Reason != orgtypes.InvalidInputExceptionReasonMaxValueExceeded {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a member account is denied", func(t *testing.T) {
		k, s := env.e.Account(acctB).RootCredentials()
		_, err := env.orgClient(k, s, "").ListAccounts(ctx, &organizations.ListAccountsInput{})
		var denied *orgtypes.AccessDeniedException
		if !errors.As(err, &denied) || aws.ToString(denied.Message) != "You don't have permissions to access this resource." {
			t.Fatalf("err = %v", err)
		}
		wantStatus(t, err, http.StatusBadRequest)
	})
	t.Run("a management account user needs organizations:ListAccounts", func(t *testing.T) {
		k, s, err := env.e.Account(acctA).CreateUserWithKey("plain", "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = env.orgClient(k, s, "").ListAccounts(ctx, &organizations.ListAccountsInput{})
		var denied *orgtypes.AccessDeniedException
		if !errors.As(err, &denied) {
			t.Fatalf("err = %v", err)
		}
		k, s, err = env.e.Account(acctA).CreateUserWithKey("lister", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:ListAccounts","Resource":"*"}]}`)
		if err != nil {
			t.Fatal(err)
		}
		must[*organizations.ListAccountsOutput](t)(env.orgClient(k, s, "").ListAccounts(ctx, &organizations.ListAccountsInput{}))
	})
	t.Run("SetName names an account", func(t *testing.T) {
		if err := env.e.Account(acctB).SetName("Production", "prod@example.com"); err != nil {
			t.Fatal(err)
		}
		a := must[*organizations.ListAccountsOutput](t)(mgmt.ListAccounts(ctx, &organizations.ListAccountsInput{})).Accounts[1]
		if aws.ToString(a.Name) != "Production" || aws.ToString(a.Email) != "prod@example.com" {
			t.Fatalf("account B = %+v", a)
		}
		if err := env.e.Account(acctB).SetName("x", "no-at-sign"); err == nil {
			t.Fatal("SetName accepted an address without @")
		}
	})
	t.Run("an unknown key is UnrecognizedClientException", func(t *testing.T) {
		_, err := env.orgClient("AKIAUNKNOWNUNKNOWN00", "x", "").ListAccounts(ctx, &organizations.ListAccountsInput{})
		if got := apiCode(t, err); got != "UnrecognizedClientException" {
			t.Fatalf("code = %q", got)
		}
	})
}

func TestOrganizations_NotInUse(t *testing.T) {
	env := newEnv(t, Options{NoOrganization: true})
	k, s := env.e.RootCredentials()
	_, err := env.orgClient(k, s, "").ListAccounts(ctx, &organizations.ListAccountsInput{})
	var notInUse *orgtypes.AWSOrganizationsNotInUseException
	if !errors.As(err, &notInUse) {
		t.Fatalf("err = %v", err)
	}
}

// wantStatus fails unless err carries the HTTP status.
func wantStatus(t *testing.T, err error, status int) {
	t.Helper()
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Fatalf("status of %v, want %d", err, status)
	}
}
