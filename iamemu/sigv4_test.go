package iamemu

import (
	"math/rand/v2"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"regexp"
	"testing"
)

// authHeaderRE is the header grammar parseAuthorization implements.
var authHeaderRE = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$`)

func checkParseAuthorization(t *testing.T, h string) {
	t.Helper()
	got, ok := parseAuthorization(h)
	want := authHeaderRE.FindStringSubmatch(h)
	if ok != (want != nil) {
		t.Fatalf("parseAuthorization(%q) ok = %v, the expression matches: %v", h, ok, want != nil)
	}
	if ok {
		for i := range got {
			if got[i] != want[i+1] {
				t.Fatalf("parseAuthorization(%q)[%d] = %q, want %q", h, i, got[i], want[i+1])
			}
		}
	}
}

// TestParseAuthorization_AcceptsWhatTheExpressionAccepts holds the
// hand-written scan against the regular expression on valid headers and on
// many mutations of them (bytes replaced, dropped, doubled; the characters
// the grammar turns on).
func TestParseAuthorization_AcceptsWhatTheExpressionAccepts(t *testing.T) {
	sig := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	valid := []string{
		"AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260102/us-east-1/iam/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=ASIA1/20260102/eu-west-1/sts/aws4_request,SignedHeaders=host,Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=k/20260102/a b,c/s\n/aws4_request, SignedHeaders=h x, Signature=" + sig,
	}
	for _, h := range valid {
		if _, ok := parseAuthorization(h); !ok {
			t.Fatalf("parseAuthorization(%q) refused a valid header", h)
		}
		checkParseAuthorization(t, h)
	}
	alphabet := []byte("/,= 0123456789abcdefABCDEF\n_-xyz")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200000 {
		b := []byte(valid[i%len(valid)])
		for range 1 + rng.IntN(3) {
			p := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b[p] = alphabet[rng.IntN(len(alphabet))]
			case 1:
				b = append(b[:p], b[p+1:]...)
			default:
				b = append(b[:p+1], b[p:]...)
			}
		}
		checkParseAuthorization(t, string(b))
	}
	for _, h := range []string{"", "AWS4-HMAC-SHA256 Credential=", "AWS4-HMAC-SHA256 Credential=/20260102/r/s/aws4_request, SignedHeaders=h, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=k/2026010/r/s/aws4_request, SignedHeaders=h, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=k/20260102/r/s/aws4_request, SignedHeaders=, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=k/20260102/r/s/aws4_request,  SignedHeaders=h, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=k/20260102/r/s/aws4_request, SignedHeaders=h, Signature=" + sig + "0"} {
		checkParseAuthorization(t, h)
	}
}

// TestAuthenticate_SigningKeyCacheKnowsTheSecret: the emulators of a
// process share one signer and its cache of derived keys. Two accounts
// whose root keys have the same id but different secrets (state files
// copied and edited) must each accept only their own secret, in either
// order.
func TestAuthenticate_SigningKeyCacheKnowsTheSecret(t *testing.T) {
	a, b := newEnv(t, Options{}), newEnv(t, Options{})
	keyA, secretA := a.e.RootCredentials()
	_, secretB := b.e.RootCredentials()
	b.e.mu.Lock()
	b.e.st.Root.AccessKeyID = keyA
	b.e.mu.Unlock()
	if _, err := a.iam.GetUser(ctx, &iam.GetUserInput{}); err != nil {
		t.Fatalf("account A with its own secret: %v", err)
	}
	bWithA, _ := b.clients(keyA, secretA, "")
	_, err := bWithA.GetUser(ctx, &iam.GetUserInput{})
	if got := apiCode(t, err); got != "SignatureDoesNotMatch" {
		t.Fatalf("account B signed with A's secret: code %q, want SignatureDoesNotMatch", got)
	}
	bOwn, _ := b.clients(keyA, secretB, "")
	if _, err := bOwn.GetUser(ctx, &iam.GetUserInput{}); err != nil {
		t.Fatalf("account B with its own secret: %v", err)
	}
	aWithB, _ := a.clients(keyA, secretB, "")
	_, err = aWithB.GetUser(ctx, &iam.GetUserInput{})
	if got := apiCode(t, err); got != "SignatureDoesNotMatch" {
		t.Fatalf("account A signed with B's secret: code %q, want SignatureDoesNotMatch", got)
	}
}
