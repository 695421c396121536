package iamemu

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/csv"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal/internal/testkeys"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// selfSigned returns a PEM certificate for key valid from notBefore to
// notAfter.
func selfSigned(t *testing.T, key any, pub any, serial int64, notBefore, notAfter time.Time) string {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "signing"}, NotBefore: notBefore, NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func (env *testEnv) uploadCert(user, body string) (*types.SigningCertificate, error) {
	in := &iam.UploadSigningCertificateInput{CertificateBody: aws.String(body)}
	if user != "" {
		in.UserName = aws.String(user)
	}
	out, err := env.iam.UploadSigningCertificate(ctx, in)
	if err != nil {
		return nil, err
	}
	return out.Certificate, nil
}

func (env *testEnv) reportRow(t *testing.T, user string) map[string]string {
	t.Helper()
	must[*iam.GenerateCredentialReportOutput](t)(env.iam.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))
	out := must[*iam.GetCredentialReportOutput](t)(env.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))
	rows, err := csv.NewReader(strings.NewReader(string(out.Content))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		if r[0] == user {
			m := map[string]string{}
			for i, h := range rows[0] {
				m[h] = r[i]
			}
			return m
		}
	}
	t.Fatalf("no report row for %s", user)
	return nil
}

func TestSigningCertificates(t *testing.T) {
	env := newEnv(t, Options{CredentialReportThrottle: -1})
	env.createUser(t, "alice")
	env.createUser(t, "bob")
	keys := testkeys.RSA(t, 4)
	valid := func(i int) string {
		return selfSigned(t, keys[i], &keys[i].PublicKey, int64(i+1), t0.Add(-time.Hour), t0.AddDate(1, 0, 0))
	}

	c, err := env.uploadCert("alice", valid(0))
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(c.CertificateId)
	if aws.ToString(c.UserName) != "alice" || len(id) < 24 || c.Status != types.StatusTypeActive ||
		aws.ToString(c.CertificateBody) != valid(0) || c.UploadDate == nil || !c.UploadDate.Equal(t0) {
		t.Fatalf("uploaded certificate = %+v", c)
	}

	t.Run("the credential report shows it", func(t *testing.T) {
		row := env.reportRow(t, "alice")
		if row["cert_1_active"] != "true" || row["cert_1_last_rotated"] != "2026-11-28T12:00:00+00:00" || row["cert_2_active"] != "false" || row["cert_2_last_rotated"] != "N/A" {
			t.Fatalf("report row = %v", row)
		}
	})
	t.Run("the same certificate again, for anyone, is DuplicateCertificate", func(t *testing.T) {
		_, err := env.uploadCert("bob", valid(0))
		wantErr(t, err, "DuplicateCertificate", 409)
		_, err = env.uploadCert("alice", valid(0))
		wantErr(t, err, "DuplicateCertificate", 409)
	})
	t.Run("a third certificate is LimitExceeded", func(t *testing.T) {
		if _, err := env.uploadCert("alice", valid(1)); err != nil {
			t.Fatal(err)
		}
		_, err := env.uploadCert("alice", valid(2))
		wantErr(t, err, "LimitExceeded", 409)
		if got, want := apiMessage(t, err), "Cannot exceed quota for SigningCertificatesPerUser: 2"; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
	t.Run("status changes show in the listing and the report; Expired is refused", func(t *testing.T) {
		must[*iam.UpdateSigningCertificateOutput](t)(env.iam.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: aws.String("alice"), CertificateId: aws.String(id), Status: types.StatusTypeInactive}))
		list := must[*iam.ListSigningCertificatesOutput](t)(env.iam.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: aws.String("alice")})).Certificates
		if len(list) != 2 || aws.ToString(list[0].CertificateId) != id || list[0].Status != types.StatusTypeInactive || list[1].Status != types.StatusTypeActive {
			t.Fatalf("listing = %+v", list)
		}
		if row := env.reportRow(t, "alice"); row["cert_1_active"] != "false" || row["cert_2_active"] != "true" {
			t.Fatalf("report row = %v", row)
		}
		_, err := env.iam.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: aws.String("alice"), CertificateId: aws.String(id), Status: types.StatusTypeExpired})
		wantErr(t, err, "InvalidInput", 400)
	})
	t.Run("another user's certificate, an unknown id or user is NoSuchEntity", func(t *testing.T) {
		_, err := env.iam.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: aws.String("bob"), CertificateId: aws.String(id)})
		wantErr(t, err, "NoSuchEntity", 404)
		_, err = env.iam.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: aws.String("alice"), CertificateId: aws.String("ABSENTABSENTABSENTABSENT"), Status: types.StatusTypeActive})
		wantErr(t, err, "NoSuchEntity", 404)
		_, err = env.uploadCert("nobody", valid(3))
		wantErr(t, err, "NoSuchEntity", 404)
	})
	t.Run("the root user has certificates of its own", func(t *testing.T) {
		c, err := env.uploadCert("", valid(3))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := aws.ToString(c.UserName), "123456789012"; got != want {
			t.Fatalf("root certificate UserName = %q, want %q", got, want)
		}
		list := must[*iam.ListSigningCertificatesOutput](t)(env.iam.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{})).Certificates
		if len(list) != 1 || aws.ToString(list[0].CertificateId) != aws.ToString(c.CertificateId) {
			t.Fatalf("root listing = %+v", list)
		}
		if row := env.reportRow(t, "<root_account>"); row["cert_1_active"] != "true" {
			t.Fatalf("root report row = %v", row)
		}
	})
	t.Run("DeleteUser is DeleteConflict while a certificate exists", func(t *testing.T) {
		_, err := env.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")})
		wantErr(t, err, "DeleteConflict", 409)
		if got, want := apiMessage(t, err), "Cannot delete entity, must delete signing certificates first."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
		for _, c := range must[*iam.ListSigningCertificatesOutput](t)(env.iam.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: aws.String("alice")})).Certificates {
			must[*iam.DeleteSigningCertificateOutput](t)(env.iam.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: aws.String("alice"), CertificateId: c.CertificateId}))
		}
		if _, err := env.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")}); err != nil {
			t.Fatalf("DeleteUser after the certificates are gone: %v", err)
		}
	})
}

func TestSigningCertificates_BadBodies(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	key := testkeys.RSA(t, 1)[0]
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, body, code string }{
		{"text that is no PEM is MalformedCertificate", "not a certificate", "MalformedCertificate"},
		{"a PEM public key is MalformedCertificate", pkixPEM(t, &key.PublicKey), "MalformedCertificate"},
		{"a CERTIFICATE block that does not parse is MalformedCertificate", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n", "MalformedCertificate"},
		{"an expired certificate is MalformedCertificate", selfSigned(t, key, &key.PublicKey, 10, t0.AddDate(-2, 0, 0), t0.AddDate(-1, 0, 0)), "MalformedCertificate"},
		{"a certificate not valid yet is MalformedCertificate", selfSigned(t, key, &key.PublicKey, 11, t0.AddDate(0, 0, 1), t0.AddDate(1, 0, 0)), "MalformedCertificate"},
		{"an ECDSA certificate is InvalidCertificate", selfSigned(t, ec, &ec.PublicKey, 12, t0.Add(-time.Hour), t0.AddDate(1, 0, 0)), "InvalidCertificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.uploadCert("alice", tc.body)
			wantErr(t, err, tc.code, 400)
		})
	}
}
