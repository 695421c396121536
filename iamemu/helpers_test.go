package iamemu

// Where the tests pin the gaps of
// docs/iam-notes.md#where-moto-and-localstack-differ (behaviour
// moto/LocalStack get wrong or lack):
//
//	1 TOTP pairs, drift, clock ....... TestEnableMFADevice_RejectsWrongCodes_MotoAcceptsAny, TestResyncMFADevice_MotoNotImplemented
//	2 real QR PNG, 64-char seed ...... TestCreateVirtualMFADevice_RealSeedAndQR_MotoReturnsRandomBytes
//	3 device state machine ........... TestMFADeviceLifecycle_DeleteConflictWhileAssigned_MotoDeletesAssigned
//	4 AWS texts and statuses ......... message assertions throughout; TestProtocol
//	5 case-insensitive names, ValidationError format .. TestCreateUser, TestCreateUser_Validation_MotoAcceptsAnyName
//	6 DeleteUser dependents .......... TestDeleteUser_ConflictsForEveryDependent_MotoChecksOnlyPolicies
//	7 quotas ......................... TestAttachUserPolicy, TestPolicyVersions, TestAccessKeys, TestUserTags_SortedAndLimited_MotoDoesNotValidate
//	8 password policy ................ TestLoginProfile, TestChangePassword_MotoNotImplemented
//	9 ChangePassword/Resync by caller  TestChangePassword_MotoNotImplemented
//	10 service-specific credentials .. TestServiceSpecificCredentials_MotoNotImplemented
//	11 credential report ............. TestCredentialReport_SnapshotWithRootRow_MotoBuildsLive
//	12 policy simulator .............. not emulated; the Authorizer seam is tested by TestAuthorizer
//	13 protocol fidelity ............. TestProtocol, TestSDK_ErrorsCarryRequestID, TestListUsers_PaginatesWithOpaqueMarkers_MotoIgnoresMarker
//	14 SigV4 and caller identity ..... TestProtocol, TestGetCallerIdentity, TestGetSessionToken_WithMFA_MarksSession
//	15 fault injection ............... TestFailNext, TestSetFaults
//	16 tag ordering .................. TestUserTags_SortedAndLimited_MotoDoesNotValidate

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// fakeClock is the controllable IAM clock tests advance.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testEnv is an emulator on httptest with SDK clients signed as root.
type testEnv struct {
	e     *Emulator
	url   string
	clock *fakeClock
	iam   *iam.Client
	sts   *sts.Client
}

// t0 is a fixed IAM time at the start of a TOTP step.
var t0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func newEnv(t testing.TB, opts Options) *testEnv {
	t.Helper()
	clock := &fakeClock{t: t0}
	opts.Now = clock.Now
	e := New(opts)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	env := &testEnv{e: e, url: srv.URL, clock: clock}
	key, secret := e.RootCredentials()
	env.iam, env.sts = env.clients(key, secret, "")
	return env
}

// clients returns IAM and STS clients for the given credentials, without
// retries so every call is exactly one request.
func (env *testEnv) clients(key, secret, token string) (*iam.Client, *sts.Client) {
	cfg := aws.Config{
		Region:      env.e.Region(),
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, token),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	ic := iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(env.url) })
	sc := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(env.url) })
	return ic, sc
}

var ctx = context.Background()

// apiCode returns the AWS error code of err, "" for nil.
func apiCode(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("not an API error: %v", err)
	}
	return ae.ErrorCode()
}

// wantErr fails unless err is the AWS error code with the HTTP status.
func wantErr(t *testing.T, err error, code string, status int) {
	t.Helper()
	if got := apiCode(t, err); got != code {
		t.Fatalf("code = %q, want %q (err: %v)", got, code, err)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("no HTTP response in %v", err)
	}
	if got := re.HTTPStatusCode(); got != status {
		t.Fatalf("%s: status = %d, want %d", code, got, status)
	}
}

// apiMessage returns the AWS error message of err.
func apiMessage(t *testing.T, err error) string {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("not an API error: %v", err)
	}
	return ae.ErrorMessage()
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func (env *testEnv) createUser(t testing.TB, name string) {
	t.Helper()
	if _, err := env.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
}

// trustRoot is a trust policy letting principals of the test account
// 123456789012 assume a role.
const trustRoot = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`

func (env *testEnv) createRole(t testing.TB, name string) {
	t.Helper()
	if _, err := env.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustRoot)}); err != nil {
		t.Fatal(err)
	}
}
