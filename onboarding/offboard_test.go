package onboarding_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/onboarding"
)

// uploadSSHAndCert gives user an SSH public key and a signing certificate
// (fresh 2048-bit RSA keys, IAM's minimum), as CodeCommit users and old
// tools have them.
func (e *lifeEnv) uploadSSHAndCert(t *testing.T, user string, serial int64) {
	t.Helper()
	ctx := context.Background()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pub := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	if _, err := e.raw.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String(user), SSHPublicKeyBody: aws.String(pub)}); err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: user},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	body := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert}))
	if _, err := e.raw.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: aws.String(user), CertificateBody: aws.String(body)}); err != nil {
		t.Fatal(err)
	}
}

// An adopted user can have what Gatehouse never creates: SSH public keys and
// signing certificates, and several of each kind. Offboarding removes them
// all, following every page, so DeleteUser never meets DeleteConflict.
func TestOffboardingAnAdoptedUserNeverMeetsDeleteConflict(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	if _, err := e.iam.CreateUser(ctx, "veteran", nil); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		e.uploadSSHAndCert(t, "veteran", int64(i+1))
		if _, err := e.raw.CreateAccessKey(ctx, createKey("veteran")); err != nil {
			t.Fatal(err)
		}
		if _, err := e.raw.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("veteran"),
			ServiceName: aws.String("codecommit.amazonaws.com")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.iam.CreateLoginProfile(ctx, "veteran", "Aa1!aaaaaaaaaaaa"); err != nil {
		t.Fatal(err)
	}
	e.consoleEnroll(t, "veteran")
	if _, err := e.svc.Adopt(ctx, admin, "veteran", onboarding.AdoptOptions{KeysConfirmed: true, Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	svc := e.serviceWith(t, awsiam.Config{PageSize: 1}) // one item per page: every page must be followed
	if err := svc.Offboard(ctx, admin, "veteran", "left the company"); err != nil {
		t.Fatalf("offboarding an adopted user with SSH keys and certificates: %v", err)
	}
	if got := e.iamUsers(t, "veteran"); got != 0 {
		t.Fatal("the IAM user still exists")
	}
	if got, want := e.state(t, "veteran"), portal.StateOffboarded; got != want {
		t.Fatalf("state = %s, want %s", got, want)
	}
	d := e.lastAudit(t, "veteran", "user.offboard")
	for what, n := range map[string]int{"SSH public key ": 2, "signing certificate ": 2, "codecommit.amazonaws.com credential ": 2,
		"access key ": 2, "console password": 1, "MFA device arn:": 1} {
		if got := strings.Count(d, what); got != n {
			t.Errorf("audit names %q %d times, want %d: %s", what, got, n, d)
		}
	}
	// AWS's documented order: certificates and SSH keys after access keys,
	// before service-specific credentials and MFA.
	if a, c, s, g := strings.Index(d, "access key "), strings.Index(d, "signing certificate "), strings.Index(d, "SSH public key "),
		strings.Index(d, "codecommit"); !(a < c && c < s && s < g) {
		t.Errorf("removal order in %q is not AWS's", d)
	}
}
