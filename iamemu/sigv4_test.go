package iamemu

import (
	"bytes"
	"math/rand/v2"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
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

// TestQuickSignature_MatchesTheSDKSigner holds quickSignature against the
// SDK signer (sdkSignature) on 20,000 mutated requests: hosts with and
// without ports, signed header lists in any order with repeats, ignored and
// missing headers, the date and token the signer sets itself, values with
// spaces to fold and tabs to trim, several values per header, bodies of any
// length, with and without a session token. A request quickSignature
// declines (another path, a query, an unusual host or header name) must be
// one the SDK path serves.
func TestQuickSignature_MatchesTheSDKSigner(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	hosts := []string{"localhost:8080", "127.0.0.1", "iam.amazonaws.com", "h:80", "H-x.Y:0080", "a.b:443", "[::1]:80", "x_y:1", "h:"}
	paths := []string{"/", "/", "/", "/", "/?", "/?a=b", "/x", "//"}
	names := []string{"host", "content-length", "content-type", "x-amz-date", "x-amz-security-token", "user-agent", "authorization",
		"expect", "transfer-encoding", "x-amzn-trace-id", "x-amz-target", "x-custom", "x-amz-content-sha256", "missing", "Content-Type", "x_y", ""}
	values := []string{"", "v", " v ", "a  b   c", "\tv\t", "a, b", " ", "text/plain; charset=utf-8", "20260101T000000Z"}
	signedAt := time.Date(2026, 12, 2, 18, 4, 5, 0, time.UTC)
	quick := 0
	for i := range 20000 {
		method := pick([]string{"POST", "GET"})
		body := make([]byte, rng.IntN(3)*rng.IntN(40))
		for j := range body {
			body[j] = byte('a' + rng.IntN(26))
		}
		r := httptest.NewRequest(method, "http://example"+pick(paths), bytes.NewReader(body))
		r.Host = pick(hosts)
		for range rng.IntN(8) {
			r.Header.Add(pick(names[2:]), pick(values))
		}
		var list []string
		for range 1 + rng.IntN(6) {
			list = append(list, pick(names))
		}
		cred := credential{secret: pick([]string{"s3cr3t", "other/secret+key"})}
		if rng.IntN(2) == 0 {
			cred.token = "session-token"
		}
		service, region := pick([]string{"iam", "sts"}), pick([]string{"us-east-1", "eu-west-1"})
		signed := strings.Join(list, ";")
		got, ok := quickSignature(r, body, signed, cred, service, region, signedAt)
		if !ok {
			continue
		}
		quick++
		want, ok := sdkSignature(r, body, signed, "AKIDEXAMPLE", cred, service, region, signedAt)
		if !ok || got != want {
			t.Fatalf("request %d (%s %s host %q, signed %q, headers %q, body %d bytes, token %q): quick %q, SDK %q (%v)",
				i, method, r.URL, r.Host, signed, r.Header, len(body), cred.token, got, want, ok)
		}
	}
	if quick < 2500 {
		t.Fatalf("only %d of 20,000 requests took the quick path", quick)
	}
}
