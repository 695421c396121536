package iamemu

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal/internal/testkeys"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"golang.org/x/crypto/ssh"
)

// openSSH renders a public key as an authorized_keys line without comment.
func openSSH(t *testing.T, pub any) string {
	t.Helper()
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}

// pkixPEM renders a public key as "-----BEGIN PUBLIC KEY-----".
func pkixPEM(t *testing.T, pub any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func (env *testEnv) uploadSSH(t *testing.T, user, body string) *types.SSHPublicKey {
	t.Helper()
	return must[*iam.UploadSSHPublicKeyOutput](t)(env.iam.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String(user), SSHPublicKeyBody: aws.String(body)})).SSHPublicKey
}

func (env *testEnv) getSSH(user, id, encoding string) (string, error) {
	out, err := env.iam.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String(user), SSHPublicKeyId: aws.String(id), Encoding: types.EncodingType(encoding)})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.SSHPublicKey.SSHPublicKeyBody), nil
}

func TestSSHPublicKeys_UploadInEitherEncodingAndReadInEither(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	keys := testkeys.RSA(t, 3)
	line := openSSH(t, &keys[0].PublicKey) + " alice@laptop"

	k := env.uploadSSH(t, "alice", line)
	id := aws.ToString(k.SSHPublicKeyId)
	pk, _ := ssh.NewPublicKey(&keys[0].PublicKey)
	if got, want := aws.ToString(k.Fingerprint), strings.TrimPrefix(ssh.FingerprintLegacyMD5(pk), "MD5:"); got != want {
		t.Fatalf("Fingerprint = %q, want the MD5 of the key %q", got, want)
	}
	if !strings.HasPrefix(id, "APKA") || len(id) < 20 || k.Status != types.StatusTypeActive || aws.ToString(k.UserName) != "alice" ||
		aws.ToString(k.SSHPublicKeyBody) != line || k.UploadDate == nil || !k.UploadDate.Equal(t0) {
		t.Fatalf("uploaded key = %+v", k)
	}

	t.Run("the uploaded encoding comes back as uploaded, comment included", func(t *testing.T) {
		if got, err := env.getSSH("alice", id, "SSH"); err != nil || got != line {
			t.Fatalf("SSH = %q, %v; want %q", got, err, line)
		}
	})
	t.Run("an ssh-rsa upload read as PEM is the same key", func(t *testing.T) {
		got, err := env.getSSH("alice", id, "PEM")
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode([]byte(got))
		if block == nil || block.Type != "PUBLIC KEY" {
			t.Fatalf("PEM = %q", got)
		}
		pub, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil || !keys[0].PublicKey.Equal(pub) {
			t.Fatalf("PEM holds another key (%v)", err)
		}
	})
	t.Run("a PEM upload comes back byte-identical and converts to ssh-rsa", func(t *testing.T) {
		body := pkixPEM(t, &keys[1].PublicKey)
		id := aws.ToString(env.uploadSSH(t, "alice", body).SSHPublicKeyId)
		if got, err := env.getSSH("alice", id, "PEM"); err != nil || got != body {
			t.Fatalf("PEM = %q, %v", got, err)
		}
		if got, err := env.getSSH("alice", id, "SSH"); err != nil || got != openSSH(t, &keys[1].PublicKey) {
			t.Fatalf("SSH = %q, %v", got, err)
		}
	})
	t.Run("a PKCS#1 RSA PUBLIC KEY is PEM too", func(t *testing.T) {
		body := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&keys[2].PublicKey)}))
		env.uploadSSH(t, "alice", body)
	})
	t.Run("an unknown Encoding is UnrecognizedPublicKeyEncoding", func(t *testing.T) {
		_, err := env.getSSH("alice", id, "DER")
		wantErr(t, err, "UnrecognizedPublicKeyEncoding", 400)
	})
	t.Run("status changes show in the listing; Expired is refused", func(t *testing.T) {
		must[*iam.UpdateSSHPublicKeyOutput](t)(env.iam.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id), Status: types.StatusTypeInactive}))
		list := must[*iam.ListSSHPublicKeysOutput](t)(env.iam.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("alice")})).SSHPublicKeys
		if len(list) != 3 || aws.ToString(list[0].SSHPublicKeyId) != id || list[0].Status != types.StatusTypeInactive {
			t.Fatalf("listing = %+v", list)
		}
		_, err := env.iam.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String(id), Status: types.StatusTypeExpired})
		wantErr(t, err, "InvalidInput", 400)
	})
	t.Run("a user lists their own keys without UserName", func(t *testing.T) {
		ic := env.userClient(t, "alice")
		env.e.SetAuthorizer(nil)
		defer env.e.SetAuthorizer(PolicyAuthorizer{})
		list := must[*iam.ListSSHPublicKeysOutput](t)(ic.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{})).SSHPublicKeys
		if len(list) != 3 {
			t.Fatalf("own keys = %d, want 3", len(list))
		}
	})
}

func TestSSHPublicKeys_RefusedAsAWSRefusesThem(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	env.createUser(t, "bob")
	keys := testkeys.RSA(t, 6)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	rsaBlob := strings.Fields(openSSH(t, &keys[0].PublicKey))[1]
	upload := func(user, body string) error {
		_, err := env.iam.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String(user), SSHPublicKeyBody: aws.String(body)})
		return err
	}

	for _, tc := range []struct{ name, body, code string }{
		{"text that is no key is UnrecognizedPublicKeyEncoding", "this is not a key at all", "UnrecognizedPublicKeyEncoding"},
		{"PEM without its END line is UnrecognizedPublicKeyEncoding", strings.Replace(pkixPEM(t, &keys[0].PublicKey), "-----END PUBLIC KEY-----\n", "", 1), "UnrecognizedPublicKeyEncoding"},
		{"a PEM certificate is no public key encoding", "-----BEGIN CERTIFICATE-----\nbm90IGEga2V5\n-----END CERTIFICATE-----\n", "UnrecognizedPublicKeyEncoding"},
		{"PEM whose content is no key is InvalidPublicKey", "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n", "InvalidPublicKey"},
		{"a 1024-bit key is InvalidPublicKey", openSSH(t, &small.PublicKey), "InvalidPublicKey"},
		{"a 1024-bit PEM key is InvalidPublicKey", pkixPEM(t, &small.PublicKey), "InvalidPublicKey"},
		{"an ed25519 key is InvalidPublicKey", openSSH(t, edPub), "InvalidPublicKey"},
		{"an ssh-rsa blob labelled ssh-ed25519 is InvalidPublicKey", "ssh-ed25519 " + rsaBlob, "InvalidPublicKey"},
		{"ssh-rsa with no blob is InvalidPublicKey", "ssh-rsa", "InvalidPublicKey"},
		{"ssh-rsa with bad base64 is InvalidPublicKey", "ssh-rsa !!!notbase64", "InvalidPublicKey"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, upload("alice", tc.body), tc.code, 400)
		})
	}

	t.Run("the same key twice for one user, in either encoding, is DuplicateSSHPublicKey", func(t *testing.T) {
		if err := upload("alice", openSSH(t, &keys[0].PublicKey)); err != nil {
			t.Fatal(err)
		}
		wantErr(t, upload("alice", pkixPEM(t, &keys[0].PublicKey)), "DuplicateSSHPublicKey", 400)
		if err := upload("bob", openSSH(t, &keys[0].PublicKey)); err != nil {
			t.Fatalf("another user may hold the same key: %v", err)
		}
	})
	t.Run("a sixth key is LimitExceeded", func(t *testing.T) {
		for _, k := range keys[1:5] {
			if err := upload("alice", openSSH(t, &k.PublicKey)); err != nil {
				t.Fatal(err)
			}
		}
		err := upload("alice", openSSH(t, &keys[5].PublicKey))
		wantErr(t, err, "LimitExceeded", 409)
		if got, want := apiMessage(t, err), "Cannot exceed quota for SSHPublicKeysPerUser: 5"; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
	t.Run("another user's key, an unknown id or user is NoSuchEntity", func(t *testing.T) {
		id := aws.ToString(must[*iam.ListSSHPublicKeysOutput](t)(env.iam.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("alice")})).SSHPublicKeys[0].SSHPublicKeyId)
		_, err := env.getSSH("bob", id, "SSH")
		wantErr(t, err, "NoSuchEntity", 404)
		_, err = env.iam.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String("bob"), SSHPublicKeyId: aws.String(id)})
		wantErr(t, err, "NoSuchEntity", 404)
		_, err = env.iam.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyId: aws.String("APKAABSENTABSENTABSE"), Status: types.StatusTypeActive})
		wantErr(t, err, "NoSuchEntity", 404)
		wantErr(t, upload("nobody", openSSH(t, &keys[5].PublicKey)), "NoSuchEntity", 404)
		_, err = env.iam.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("nobody")})
		wantErr(t, err, "NoSuchEntity", 404)
	})
	t.Run("UserName, the body and Encoding are required; a short id is a ValidationError", func(t *testing.T) {
		key, secret := env.e.RootCredentials()
		for _, form := range []url.Values{
			{"Action": {"UploadSSHPublicKey"}, "SSHPublicKeyBody": {openSSH(t, &keys[5].PublicKey)}},
			{"Action": {"UploadSSHPublicKey"}, "UserName": {"alice"}},
			{"Action": {"GetSSHPublicKey"}, "UserName": {"alice"}, "SSHPublicKeyId": {"APKAEXAMPLEEXAMPLEEX"}},
			{"Action": {"DeleteSSHPublicKey"}, "UserName": {"alice"}, "SSHPublicKeyId": {"APKASHORT"}},
		} {
			form.Set("Version", "2010-05-08")
			status, _, body := env.rawCall(t, http.MethodPost, form, key, secret, time.Now())
			if status != 400 || !strings.Contains(body, "<Code>ValidationError</Code>") {
				t.Fatalf("%s: status %d body %s", form.Get("Action"), status, body)
			}
		}
	})
	t.Run("DeleteUser is DeleteConflict while a key exists", func(t *testing.T) {
		_, err := env.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")})
		wantErr(t, err, "DeleteConflict", 409)
		if got, want := apiMessage(t, err), "Cannot delete entity, must remove referenced objects first."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
		id := must[*iam.ListSSHPublicKeysOutput](t)(env.iam.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("bob")})).SSHPublicKeys[0].SSHPublicKeyId
		must[*iam.DeleteSSHPublicKeyOutput](t)(env.iam.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String("bob"), SSHPublicKeyId: id}))
		if _, err := env.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")}); err != nil {
			t.Fatalf("DeleteUser after the key is gone: %v", err)
		}
	})
}
