package iamemu

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// checkAnswer is what every emulator answer must be, whatever the request:
// no server error (the emulator injects none here), an XML document, and
// for a failure the AWS error envelope with a code.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var root struct {
		XMLName xml.Name
		Error   struct{ Code string }
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &root); err != nil {
		t.Fatalf("status %d, answer is not XML (%v): %q", rec.Code, err, rec.Body)
	}
	if rec.Code != http.StatusOK && (root.XMLName.Local != "ErrorResponse" || root.Error.Code == "") {
		t.Fatalf("status %d without an error envelope: %s", rec.Code, rec.Body)
	}
	if rec.Code == http.StatusOK && !strings.HasSuffix(root.XMLName.Local, "Response") {
		t.Fatalf("status 200 with root <%s>", root.XMLName.Local)
	}
}

// FuzzUnsignedRequest: a request nobody signed — any query, body,
// Authorization and X-Amz-Date header — is refused with an AWS error and
// never reaches an action.
func FuzzUnsignedRequest(f *testing.F) {
	f.Add("POST", "", "Action=ListUsers&Version=2010-05-08", "", "")
	f.Add("GET", "Action=GetCallerIdentity&Version=2011-06-15", "", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "20261128T120000Z")
	f.Add("POST", "Action=CreateUser", "Version=2010-05-08&UserName=a&UserName=b", "AWS4-HMAC-SHA256 Credential=/, Signature=", "2026")
	f.Add("POST", "%zz", "Action=%GG", "AWS4-HMAC-SHA256", "x")
	f.Add("PUT", "", "", "Bearer x", "")
	f.Add("POST", "", "Action=DeleteUser&Version=2010-05-08&UserName=root&X-Amz-Credential=AKIA%2F20261128%2Fus-east-1%2Fiam%2Faws4_request&X-Amz-Signature=ab&X-Amz-Date=20261128T120000Z&X-Amz-SignedHeaders=host", "", "")
	e := New(Options{})
	f.Fuzz(func(t *testing.T, method, query, body, authz, date string) {
		req, err := http.NewRequest(method, "http://iam.example/?"+query, strings.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", authz)
		req.Header.Set("X-Amz-Date", date)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		checkAnswer(t, rec)
		if rec.Code == http.StatusOK {
			t.Fatalf("an unsigned request was answered 200: %s", rec.Body)
		}
	})
}

// FuzzSignedRequest: a correctly signed request (as root) whose Query
// parameters are anything — unknown actions, repeated or missing members,
// odd list indexes, huge numbers, bad policy documents — gets an AWS answer,
// never a panic or a server error.
func FuzzSignedRequest(f *testing.F) {
	for _, seed := range []string{
		"Action=CreateUser&Version=2010-05-08&UserName=alice&Tags.member.1.Key=k&Tags.member.1.Value=v",
		"Action=ListUsers&Version=2010-05-08&MaxItems=0&Marker=x",
		"Action=ListUsers&Version=2010-05-08&MaxItems=99999999999999999999",
		"Action=CreateVirtualMFADevice&Version=2010-05-08&VirtualMFADeviceName=d&Path=/a/",
		"Action=EnableMFADevice&Version=2010-05-08&UserName=alice&SerialNumber=arn:aws:iam::123456789012:mfa/d&AuthenticationCode1=000000&AuthenticationCode2=000000",
		"Action=CreatePolicy&Version=2010-05-08&PolicyName=p&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D",
		"Action=TagUser&Version=2010-05-08&UserName=alice&Tags.member.0.Key=&Tags.member.-1.Value=v",
		"Action=GetSessionToken&Version=2011-06-15&DurationSeconds=-1&SerialNumber=x&TokenCode=1",
		"Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn=arn:aws:iam::123456789012:user/alice&ActionNames.member.1=iam:GetUser",
		"Action=DeleteUser&Version=2010-05-08&UserName=alice",
	} {
		f.Add(seed)
	}
	e := New(Options{})
	key, secret := e.RootCredentials()
	creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}
	signer := v4.NewSigner()
	send := func(t testing.TB, body string) *httptest.ResponseRecorder {
		req, err := http.NewRequest(http.MethodPost, "https://iam.amazonaws.com/", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		sum := sha256.Sum256([]byte(body))
		if err := signer.SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "iam", e.Region(), time.Now()); err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	// The signing is right: a plain call succeeds, so the inputs reach the
	// actions rather than stopping at authentication.
	if rec := send(f, "Action=GetUser&Version=2010-05-08"); rec.Code != http.StatusOK {
		f.Fatalf("a signed GetUser as root: %d %s", rec.Code, rec.Body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		checkAnswer(t, send(t, body))
	})
}
