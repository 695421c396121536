package awsiam_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/gatehouse/portal/internal/testkeys"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
)

// sshPublicKeyPEM is an SSH public key in the PEM encoding IAM accepts.
func sshPublicKeyPEM(t *testing.T, k *rsa.PrivateKey) string {
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// signingCertPEM is a self-signed X.509 certificate for k.
func signingCertPEM(t *testing.T, k *rsa.PrivateKey, serial int64) string {
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "signing"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// TestListingsFollowEveryPage lists two of everything a user can have, one
// item per page: every listing must return both (the SDK has no paginator
// for ListServiceSpecificCredentials; the others use the SDK's).
func TestListingsFollowEveryPage(t *testing.T) {
	ctx := context.Background()
	srv := iamemutest.Start(t, iamemu.Options{})
	raw := srv.SDK(t, "", "")
	c := srv.Client(t, awsiam.Config{PageSize: 1})
	u := aws.String("many")
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(raw.CreateUser(ctx, &iam.CreateUserInput{UserName: u}))
	keys := testkeys.RSA(t, 2)
	for i, k := range keys {
		must(raw.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: u}))
		must(raw.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: u, SSHPublicKeyBody: aws.String(sshPublicKeyPEM(t, k))}))
		must(raw.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: u, CertificateBody: aws.String(signingCertPEM(t, k, int64(i+1)))}))
		must(raw.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: u, ServiceName: aws.String("codecommit.amazonaws.com")}))
		g := aws.String("group" + string(rune('a'+i)))
		must(raw.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: g}))
		must(raw.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: u, GroupName: g}))
		must(raw.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: u, PolicyName: aws.String("inline" + string(rune('a'+i))),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`)}))
		p, err := raw.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("managed" + string(rune('a'+i))),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`)})
		must(p, err)
		must(raw.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: u, PolicyArn: p.Policy.Arn}))
	}
	count := func(n int, err error) int {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for name, n := range map[string]int{
		"access keys":                  count(lenOf(c.ListAccessKeys(ctx, "many"))),
		"SSH public keys":              count(lenOf(c.ListSSHPublicKeys(ctx, "many"))),
		"signing certificates":         count(lenOf(c.ListSigningCertificates(ctx, "many"))),
		"service-specific credentials": count(lenOf(c.ListServiceSpecificCredentials(ctx, "many"))),
		"groups":                       count(lenOf(c.GroupsForUser(ctx, "many"))),
		"inline policies":              count(lenOf(c.InlinePolicyNames(ctx, "many"))),
		"attached policies":            count(lenOf(c.AttachedPolicyARNs(ctx, "many"))),
	} {
		if n != 2 {
			t.Errorf("%s: %d listed one per page, want 2", name, n)
		}
	}
}

func lenOf[T any](items []T, err error) (int, error) { return len(items), err }
