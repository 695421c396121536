package iamemu

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// otherPartition is a partition different from p.
func otherPartition(p string) string {
	if p == "aws" {
		return "aws-cn"
	}
	return "aws"
}

func TestPartition_EveryARNIsInThePartition(t *testing.T) {
	for _, part := range []string{"aws", "aws-us-gov", "aws-cn"} {
		t.Run(part, func(t *testing.T) {
			env := newEnv(t, Options{Partition: part})
			prefix := "arn:" + part + ":iam::123456789012:"
			if got, _ := PartitionRegion(part); env.e.Region() != got || env.e.Partition() != part {
				t.Fatalf("Region/Partition = %s/%s", env.e.Region(), env.e.Partition())
			}

			u := must[*iam.CreateUserOutput](t)(env.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/staff/")}))
			if got, want := aws.ToString(u.User.Arn), prefix+"user/staff/alice"; got != want {
				t.Fatalf("user Arn = %q, want %q", got, want)
			}
			id := must[*sts.GetCallerIdentityOutput](t)(env.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
			if got, want := aws.ToString(id.Arn), prefix+"root"; got != want {
				t.Fatalf("root identity = %q, want %q", got, want)
			}
			dev := must[*iam.CreateVirtualMFADeviceOutput](t)(env.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alice")}))
			if got, want := aws.ToString(dev.VirtualMFADevice.SerialNumber), prefix+"mfa/alice"; got != want {
				t.Fatalf("serial = %q, want %q", got, want)
			}
			doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:` + part + `:iam::*:user/staff/${aws:username}"}]}`
			p := must[*iam.CreatePolicyOutput](t)(env.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("self"), PolicyDocument: aws.String(doc)}))
			if got, want := aws.ToString(p.Policy.Arn), prefix+"policy/self"; got != want {
				t.Fatalf("policy Arn = %q, want %q", got, want)
			}
			must[*iam.AttachUserPolicyOutput](t)(env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: p.Policy.Arn}))
			g := must[*iam.CreateGroupOutput](t)(env.iam.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("staff")}))
			if got, want := aws.ToString(g.Group.Arn), prefix+"group/staff"; got != want {
				t.Fatalf("group Arn = %q, want %q", got, want)
			}

			key := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})).AccessKey
			ic, sc := env.clients(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), "")
			me := must[*sts.GetCallerIdentityOutput](t)(sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
			if got, want := aws.ToString(me.Arn), prefix+"user/staff/alice"; got != want {
				t.Fatalf("user identity = %q, want %q", got, want)
			}
			// The policy engine matches the partition's ARNs: alice may read herself.
			if _, err := ic.GetUser(ctx, &iam.GetUserInput{}); err != nil {
				t.Fatalf("GetUser allowed by a %s policy: %v", part, err)
			}

			must[*iam.GenerateCredentialReportOutput](t)(env.iam.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))
			rep := must[*iam.GetCredentialReportOutput](t)(env.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))
			rows, err := csv.NewReader(strings.NewReader(string(rep.Content))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if got, want := rows[1][1], prefix+"root"; got != want {
				t.Fatalf("report root arn = %q, want %q", got, want)
			}
			if got, want := rows[2][1], prefix+"user/staff/alice"; got != want {
				t.Fatalf("report alice arn = %q, want %q", got, want)
			}
		})
	}
}

func TestPartition_ARNsOfAnotherPartitionAreRefused(t *testing.T) {
	for _, part := range []string{"aws", "aws-us-gov", "aws-cn"} {
		t.Run(part, func(t *testing.T) {
			env := newEnv(t, Options{Partition: part})
			other := otherPartition(part)
			env.createUser(t, "alice")
			env.createPolicy(t, "p")
			foreign := "arn:" + other + ":iam::123456789012:"

			t.Run("a policy ARN is ValidationError Invalid ARN partition", func(t *testing.T) {
				_, err := env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(foreign + "policy/p")})
				wantErr(t, err, "ValidationError", 400)
				if got, want := apiMessage(t, err), "Invalid ARN partition"; got != want {
					t.Fatalf("message = %q, want %q", got, want)
				}
				_, err = env.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:" + other + ":iam::aws:policy/AdministratorAccess")})
				wantErr(t, err, "ValidationError", 400)
			})
			t.Run("an MFA serial number too", func(t *testing.T) {
				_, err := env.iam.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("alice"), SerialNumber: aws.String(foreign + "mfa/alice"),
					AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")})
				wantErr(t, err, "ValidationError", 400)
				_, err = env.iam.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(foreign + "mfa/alice")})
				wantErr(t, err, "ValidationError", 400)
				_, err = env.iam.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("alice"), SerialNumber: aws.String(foreign + "mfa/alice")})
				wantErr(t, err, "ValidationError", 400)
			})
			t.Run("and a simulated principal", func(t *testing.T) {
				_, err := env.iam.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(foreign + "user/alice"), ActionNames: []string{"iam:GetUser"}})
				wantErr(t, err, "ValidationError", 400)
			})
			t.Run("a policy document naming another partition is malformed", func(t *testing.T) {
				res := foreign + "user/alice"
				doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"` + res + `"}]}`
				_, err := env.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("foreign"), PolicyDocument: aws.String(doc)})
				wantErr(t, err, "MalformedPolicyDocument", 400)
				if got, want := apiMessage(t, err), `Partition "`+other+`" is not valid for resource "`+res+`".`; got != want {
					t.Fatalf("message = %q, want %q", got, want)
				}
				_, err = env.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("i"), PolicyDocument: aws.String(doc)})
				wantErr(t, err, "MalformedPolicyDocument", 400)
			})
			t.Run("a wildcard partition is accepted", func(t *testing.T) {
				doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:*:iam::*:user/x"}]}`
				if _, err := env.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("wild"), PolicyDocument: aws.String(doc)}); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

// scopedCall sends a root-signed Query request with the credential scope
// service/region and returns the status and body.
func (env *testEnv) scopedCall(t *testing.T, form url.Values, service, region string) (int, string) {
	t.Helper()
	key, secret := env.e.RootCredentials()
	body := form.Encode()
	req, err := http.NewRequest(http.MethodPost, env.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestSigV4_ScopeMustNameTheActionsServiceAndAPartitionRegion(t *testing.T) {
	iamCall := url.Values{"Action": {"ListUsers"}, "Version": {"2010-05-08"}}
	stsCall := url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}}
	badService := func(s string) string { return "Credential should be scoped to correct service: '" + s + "'. " }
	badRegion := func(r string) string { return "Credential should be scoped to a valid region, not '" + r + "'. " }
	for _, tc := range []struct {
		name, partition string
		form            url.Values
		service, region string
		wantStatus      int
		wantMessage     string // "" = success
	}{
		{"IAM signed for iam/us-east-1", "aws", iamCall, "iam", "us-east-1", 200, ""},
		{"IAM signed for sts is refused", "aws", iamCall, "sts", "us-east-1", 403, badService("iam")},
		{"IAM signed for another service is refused", "aws", iamCall, "ec2", "us-east-1", 403, badService("iam")},
		{"IAM signed for another region is refused", "aws", iamCall, "iam", "us-west-2", 403, badRegion("us-west-2")},
		{"STS signed for iam is refused", "aws", stsCall, "iam", "us-east-1", 403, badService("sts")},
		{"STS signed for any region of the partition", "aws", stsCall, "sts", "eu-west-1", 200, ""},
		{"STS signed for a region of another partition", "aws", stsCall, "sts", "us-gov-west-1", 403, badRegion("us-gov-west-1")},
		{"GovCloud IAM signed for us-gov-west-1", "aws-us-gov", iamCall, "iam", "us-gov-west-1", 200, ""},
		{"GovCloud IAM signed for us-gov-east-1 is refused", "aws-us-gov", iamCall, "iam", "us-gov-east-1", 403, badRegion("us-gov-east-1")},
		{"GovCloud IAM signed for us-east-1 is refused", "aws-us-gov", iamCall, "iam", "us-east-1", 403, badRegion("us-east-1")},
		{"GovCloud STS signed for us-gov-east-1", "aws-us-gov", stsCall, "sts", "us-gov-east-1", 200, ""},
		{"GovCloud STS signed for us-east-1 is refused", "aws-us-gov", stsCall, "sts", "us-east-1", 403, badRegion("us-east-1")},
		{"China IAM signed for cn-north-1", "aws-cn", iamCall, "iam", "cn-north-1", 200, ""},
		{"China IAM signed for cn-northwest-1 is refused", "aws-cn", iamCall, "iam", "cn-northwest-1", 403, badRegion("cn-northwest-1")},
		{"China STS signed for cn-northwest-1", "aws-cn", stsCall, "sts", "cn-northwest-1", 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t, Options{Partition: tc.partition})
			status, body := env.scopedCall(t, tc.form, tc.service, tc.region)
			if status != tc.wantStatus {
				t.Fatalf("status = %d, want %d: %s", status, tc.wantStatus, body)
			}
			if tc.wantMessage == "" {
				return
			}
			var doc struct {
				Error struct{ Type, Code, Message string }
			}
			if err := xml.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatal(err)
			}
			if got, want := doc.Error, (struct{ Type, Code, Message string }{"Sender", "SignatureDoesNotMatch", tc.wantMessage}); got != want {
				t.Fatalf("error = %+v, want %+v", got, want)
			}
		})
	}

	t.Run("through the SDK: a GovCloud client must sign IAM for us-gov-west-1", func(t *testing.T) {
		env := newEnv(t, Options{Partition: "aws-us-gov"})
		key, secret := env.e.RootCredentials()
		cfg := aws.Config{Region: "us-gov-east-1", Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""), Retryer: func() aws.Retryer { return aws.NopRetryer{} }}
		ic := iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(env.url) })
		_, err := ic.ListUsers(ctx, &iam.ListUsersInput{})
		wantErr(t, err, "SignatureDoesNotMatch", 403)
		sc := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(env.url) })
		if _, err := sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
			t.Fatalf("STS signed for us-gov-east-1: %v", err)
		}
	})
}
