package iamemu

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

const (
	acctA = "111111111111" // management account, the hub
	acctB = "222222222222"
	acctC = "333333333333"
)

// newOrgEnv hosts accounts A (the env's root clients), B and C, with the
// IAM clock at the real time so SDK credential caches see live sessions.
func newOrgEnv(t *testing.T) *testEnv {
	t.Helper()
	env := newEnv(t, Options{AccountID: acctA, MemberAccounts: []string{acctB, acctC}})
	env.clock.mu.Lock()
	env.clock.t = time.Now().UTC().Truncate(time.Second)
	env.clock.mu.Unlock()
	return env
}

// rootOf returns IAM and STS clients signed as an account's root user.
func (env *testEnv) rootOf(t *testing.T, account string) (*iam.Client, *sts.Client) {
	t.Helper()
	a := env.e.Account(account)
	if a == nil {
		t.Fatalf("account %s not hosted", account)
	}
	k, s := a.RootCredentials()
	return env.clients(k, s, "")
}

// userWithPolicy creates a user with an inline policy in an account and
// returns clients signed with its new access key.
func (env *testEnv) userWithPolicy(t *testing.T, account, name, policy string) (*iam.Client, *sts.Client) {
	t.Helper()
	k, s, err := env.e.Account(account).CreateUserWithKey(name, policy)
	if err != nil {
		t.Fatal(err)
	}
	return env.clients(k, s, "")
}

func allowAssume(roleArn string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"` + roleArn + `"}]}`
}

const roleB = "arn:aws:iam::" + acctB + ":role/GatehouseAdmin"

func TestAssumeRole_CrossAccount(t *testing.T) {
	env := newOrgEnv(t)
	rootB, _ := env.rootOf(t, acctB)
	created := must[*iam.CreateRoleOutput](t)(rootB.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName:                 aws.String("GatehouseAdmin"),
		AssumeRolePolicyDocument: aws.String(TrustAccountPolicy("aws", acctA, "ext-1")),
	}))
	if got := aws.ToString(created.Role.Arn); got != roleB {
		t.Fatalf("role ARN = %q, want %q", got, roleB)
	}
	must[*iam.AttachRolePolicyOutput](t)(rootB.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{
		RoleName: aws.String("GatehouseAdmin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))
	_, hubSTS := env.userWithPolicy(t, acctA, "hub", allowAssume(roleB))

	t.Run("the session acts in B as the role", func(t *testing.T) {
		prov := stscreds.NewAssumeRoleProvider(hubSTS, roleB, func(o *stscreds.AssumeRoleOptions) {
			o.ExternalID = aws.String("ext-1")
			o.RoleSessionName = "gatehouse"
		})
		cfg := aws.Config{Region: env.e.Region(), Credentials: aws.NewCredentialsCache(prov), Retryer: func() aws.Retryer { return aws.NopRetryer{} }}
		ic := iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(env.url) })
		sc := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(env.url) })
		id := must[*sts.GetCallerIdentityOutput](t)(sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
		if aws.ToString(id.Account) != acctB || aws.ToString(id.Arn) != "arn:aws:sts::"+acctB+":assumed-role/GatehouseAdmin/gatehouse" ||
			aws.ToString(id.UserId) != aws.ToString(created.Role.RoleId)+":gatehouse" {
			t.Fatalf("identity = %s %s %s", aws.ToString(id.Account), aws.ToString(id.Arn), aws.ToString(id.UserId))
		}
		u := must[*iam.CreateUserOutput](t)(ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("made-in-b")}))
		if got, want := aws.ToString(u.User.Arn), "arn:aws:iam::"+acctB+":user/made-in-b"; got != want {
			t.Fatalf("user ARN = %q, want %q", got, want)
		}
		if _, err := rootB.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("made-in-b")}); err != nil {
			t.Fatalf("B's root does not see the user: %v", err)
		}
		_, err := env.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("made-in-b")})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
	})

	t.Run("the answer's shape", func(t *testing.T) {
		out := must[*sts.AssumeRoleOutput](t)(hubSTS.AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String(roleB), RoleSessionName: aws.String("s1"), ExternalId: aws.String("ext-1"), DurationSeconds: aws.Int32(900)}))
		c := out.Credentials
		if !strings.HasPrefix(aws.ToString(c.AccessKeyId), "ASIA") || len(aws.ToString(c.SecretAccessKey)) != 40 || aws.ToString(c.SessionToken) == "" {
			t.Fatalf("credentials = %+v", c)
		}
		if got, want := c.Expiration.UTC(), env.clock.Now().Add(15*time.Minute); !got.Equal(want) {
			t.Fatalf("Expiration = %v, want %v", got, want)
		}
		if got, want := aws.ToString(out.AssumedRoleUser.Arn), "arn:aws:sts::"+acctB+":assumed-role/GatehouseAdmin/s1"; got != want {
			t.Fatalf("AssumedRoleUser.Arn = %q, want %q", got, want)
		}
		if got := aws.ToString(out.AssumedRoleUser.AssumedRoleId); !strings.HasPrefix(got, "AROA") || !strings.HasSuffix(got, ":s1") {
			t.Fatalf("AssumedRoleId = %q", got)
		}
		role := must[*iam.GetRoleOutput](t)(rootB.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("GatehouseAdmin")})).Role
		if role.RoleLastUsed == nil || role.RoleLastUsed.LastUsedDate == nil || aws.ToString(role.RoleLastUsed.Region) != env.e.Region() {
			t.Fatalf("RoleLastUsed = %+v, want the assumption", role.RoleLastUsed)
		}
	})

	denied := func(t *testing.T, err error, callerArn string) {
		t.Helper()
		wantErr(t, err, "AccessDenied", http.StatusForbidden)
		if got, want := apiMessage(t, err), "User: "+callerArn+" is not authorized to perform: sts:AssumeRole on resource: "+roleB; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	}
	hubArn := "arn:aws:iam::" + acctA + ":user/hub"
	assume := func(c *sts.Client, ext *string) error {
		_, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleB), RoleSessionName: aws.String("s2"), ExternalId: ext})
		return err
	}
	t.Run("a wrong external id is denied", func(t *testing.T) { denied(t, assume(hubSTS, aws.String("ext-2")), hubArn) })
	t.Run("no external id is denied", func(t *testing.T) { denied(t, assume(hubSTS, nil), hubArn) })
	t.Run("an untrusted account is denied", func(t *testing.T) {
		_, sc := env.userWithPolicy(t, acctC, "other", allowAssume("*"))
		denied(t, assume(sc, aws.String("ext-1")), "arn:aws:iam::"+acctC+":user/other")
	})
	t.Run("a trusted account's user needs sts:AssumeRole in its own policies", func(t *testing.T) {
		_, sc := env.userWithPolicy(t, acctA, "reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}`)
		denied(t, assume(sc, aws.String("ext-1")), "arn:aws:iam::"+acctA+":user/reader")
	})
	t.Run("an explicit deny in the caller's policies wins", func(t *testing.T) {
		_, sc := env.userWithPolicy(t, acctA, "denied", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"},{"Effect":"Deny","Action":"sts:*","Resource":"`+roleB+`"}]}`)
		denied(t, assume(sc, aws.String("ext-1")), "arn:aws:iam::"+acctA+":user/denied")
	})
	t.Run("root credentials cannot assume a role", func(t *testing.T) {
		err := assume(env.sts, aws.String("ext-1"))
		wantErr(t, err, "AccessDenied", http.StatusForbidden)
		if got := apiMessage(t, err); got != "Roles may not be assumed by root accounts." {
			t.Fatalf("message = %q", got)
		}
	})
	t.Run("a missing role is denied like an untrusted one", func(t *testing.T) {
		missing := "arn:aws:iam::" + acctB + ":role/Nope"
		_, err := hubSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(missing), RoleSessionName: aws.String("s2"), ExternalId: aws.String("ext-1")})
		wantErr(t, err, "AccessDenied", http.StatusForbidden)
		if got, want := apiMessage(t, err), "User: "+hubArn+" is not authorized to perform: sts:AssumeRole on resource: "+missing; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
	for _, tc := range []struct {
		name, session string
		duration      int32
		msg           string
	}{
		{"a session name with a space", "a b", 0, "1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"},
		{"a one-character session name", "a", 0, "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"a duration under 15 minutes", "s2", 899, "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"a duration over the role's maximum", "s2", 7200, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
	} {
		t.Run(tc.name+" is a ValidationError", func(t *testing.T) {
			in := &sts.AssumeRoleInput{RoleArn: aws.String(roleB), RoleSessionName: aws.String(tc.session), ExternalId: aws.String("ext-1")}
			if tc.duration != 0 {
				in.DurationSeconds = aws.Int32(tc.duration)
			}
			_, err := hubSTS.AssumeRole(ctx, in)
			wantErr(t, err, "ValidationError", http.StatusBadRequest)
			if got := apiMessage(t, err); got != tc.msg {
				t.Fatalf("message = %q, want %q", got, tc.msg)
			}
		})
	}
}

func TestAssumeRole_SessionCredentials(t *testing.T) {
	env := newOrgEnv(t)
	b := env.e.Account(acctB)
	if _, err := b.CreateRole("Lister", TrustAccountPolicy("aws", acctA, "")); err != nil {
		t.Fatal(err)
	}
	if err := b.PutRolePolicy("Lister", "list", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`); err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:iam::" + acctB + ":role/Lister"
	_, hubSTS := env.userWithPolicy(t, acctA, "hub", allowAssume(arn))
	out := must[*sts.AssumeRoleOutput](t)(hubSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(arn), RoleSessionName: aws.String("ro")}))
	c := out.Credentials
	key, secret, token := aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)

	t.Run("the role's policies authorize its calls", func(t *testing.T) {
		ic, _ := env.clients(key, secret, token)
		must[*iam.ListUsersOutput](t)(ic.ListUsers(ctx, &iam.ListUsersInput{}))
		_, err := ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
		wantErr(t, err, "AccessDenied", http.StatusForbidden)
		want := "User: arn:aws:sts::" + acctB + ":assumed-role/Lister/ro is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::" + acctB + ":user/x because no identity-based policy allows the iam:CreateUser action"
		if got := apiMessage(t, err); got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
	t.Run("without the session token the key is unknown", func(t *testing.T) {
		_, sc := env.clients(key, secret, "")
		_, err := sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantErr(t, err, "InvalidClientTokenId", http.StatusForbidden)
	})
	t.Run("a wrong session token is refused", func(t *testing.T) {
		_, sc := env.clients(key, secret, token+"x")
		_, err := sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantErr(t, err, "InvalidClientTokenId", http.StatusForbidden)
	})
	t.Run("a deleted role's session has no permissions", func(t *testing.T) {
		rootB, _ := env.rootOf(t, acctB)
		must[*iam.DeleteRolePolicyOutput](t)(rootB.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("Lister"), PolicyName: aws.String("list")}))
		must[*iam.DeleteRoleOutput](t)(rootB.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("Lister")}))
		if _, err := b.CreateRole("Lister", TrustAccountPolicy("aws", acctA, ""), "arn:aws:iam::aws:policy/AdministratorAccess"); err != nil {
			t.Fatal(err)
		}
		ic, _ := env.clients(key, secret, token)
		_, err := ic.ListUsers(ctx, &iam.ListUsersInput{})
		wantErr(t, err, "AccessDenied", http.StatusForbidden)
	})
	t.Run("an expired session is ExpiredToken", func(t *testing.T) {
		env.clock.Advance(time.Hour)
		_, sc := env.clients(key, secret, token)
		_, err := sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantErr(t, err, "ExpiredToken", http.StatusForbidden)
	})
}

func TestAssumeRole_SameAccount(t *testing.T) {
	env := newOrgEnv(t)
	a := env.e.Account(acctA)
	_, plainSTS := env.userWithPolicy(t, acctA, "plain", "")
	byArn := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctA + `:user/plain"},"Action":"sts:AssumeRole"}]}`
	if _, err := a.CreateRole("NamesPlain", byArn); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateRole("TrustsAccount", TrustAccountPolicy("aws", acctA, "")); err != nil {
		t.Fatal(err)
	}
	t.Run("a trust policy naming the user grants without an identity policy", func(t *testing.T) {
		must[*sts.AssumeRoleOutput](t)(plainSTS.AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String("arn:aws:iam::" + acctA + ":role/NamesPlain"), RoleSessionName: aws.String("s2")}))
	})
	t.Run("a trust policy naming the account needs an identity policy too", func(t *testing.T) {
		_, err := plainSTS.AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String("arn:aws:iam::" + acctA + ":role/TrustsAccount"), RoleSessionName: aws.String("s2")})
		wantErr(t, err, "AccessDenied", http.StatusForbidden)
	})
	t.Run("naming the user does not let another account's user in", func(t *testing.T) {
		_, sc := env.userWithPolicy(t, acctB, "plain", allowAssume("*"))
		_, err := sc.AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String("arn:aws:iam::" + acctA + ":role/NamesPlain"), RoleSessionName: aws.String("s2")})
		wantErr(t, err, "AccessDenied", http.StatusForbidden)
	})
}

func TestAssumeRole_Chaining(t *testing.T) {
	env := newOrgEnv(t)
	b := env.e.Account(acctB)
	first := "arn:aws:iam::" + acctB + ":role/First"
	second := "arn:aws:iam::" + acctC + ":role/Second"
	if _, err := b.CreateRole("First", TrustAccountPolicy("aws", acctA, "")); err != nil {
		t.Fatal(err)
	}
	if err := b.PutRolePolicy("First", "hop", allowAssume(second)); err != nil {
		t.Fatal(err)
	}
	byRole := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + first + `"},"Action":"sts:AssumeRole"}]}`
	if _, err := env.e.Account(acctC).CreateRole("Second", byRole); err != nil {
		t.Fatal(err)
	}
	_, hubSTS := env.userWithPolicy(t, acctA, "hub", allowAssume(first))
	c := must[*sts.AssumeRoleOutput](t)(hubSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(first), RoleSessionName: aws.String("hop1")})).Credentials
	_, sessSTS := env.clients(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))

	t.Run("a role session may assume a role trusting its role, for at most an hour", func(t *testing.T) {
		_, err := sessSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(second), RoleSessionName: aws.String("hop2"), DurationSeconds: aws.Int32(3601)})
		wantErr(t, err, "ValidationError", http.StatusBadRequest)
		if got := apiMessage(t, err); got != "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining." {
			t.Fatalf("message = %q", got)
		}
		out := must[*sts.AssumeRoleOutput](t)(sessSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(second), RoleSessionName: aws.String("hop2")}))
		if got, want := aws.ToString(out.AssumedRoleUser.Arn), "arn:aws:sts::"+acctC+":assumed-role/Second/hop2"; got != want {
			t.Fatalf("AssumedRoleUser.Arn = %q, want %q", got, want)
		}
	})
	t.Run("GetSessionToken is refused to role sessions", func(t *testing.T) {
		_, err := sessSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
		wantErr(t, err, "AccessDenied", http.StatusForbidden)
	})
}

func TestSeedForTest_FindsDevicesOfEveryAccount(t *testing.T) {
	env := newOrgEnv(t)
	rootB, _ := env.rootOf(t, acctB)
	dev := must[*iam.CreateVirtualMFADeviceOutput](t)(rootB.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("phone")}))
	seed, ok := env.e.SeedForTest(aws.ToString(dev.VirtualMFADevice.SerialNumber))
	if !ok || seed != string(dev.VirtualMFADevice.Base32StringSeed) {
		t.Fatalf("SeedForTest(%s) = %q, %v", aws.ToString(dev.VirtualMFADevice.SerialNumber), seed, ok)
	}
}
