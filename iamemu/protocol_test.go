package iamemu

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// rawCall sends a Query request signed with (key, secret) at signedAt and
// returns the status and body.
func (env *testEnv) rawCall(t *testing.T, method string, form url.Values, key, secret string, signedAt time.Time) (int, http.Header, string) {
	t.Helper()
	body := form.Encode()
	target := env.url + "/"
	var req *http.Request
	var err error
	if method == http.MethodGet {
		req, err = http.NewRequest(method, target+"?"+body, nil)
		body = ""
	} else {
		req, err = http.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		sum := sha256.Sum256([]byte(body))
		creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "iam", "us-east-1", signedAt); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestProtocol(t *testing.T) {
	env := newEnv(t, Options{})
	key, secret := env.e.RootCredentials()
	now := time.Now()

	t.Run("success envelope, namespace and headers", func(t *testing.T) {
		status, h, body := env.rawCall(t, http.MethodPost, url.Values{"Action": {"CreateUser"}, "Version": {"2010-05-08"}, "UserName": {"alice"}, "Tags": {""}}, key, secret, now)
		if status != 200 || !strings.Contains(body, `<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateUserResult><User>`) || !strings.Contains(body, "<ResponseMetadata><RequestId>"+h.Get("x-amzn-RequestId")+"</RequestId>") {
			t.Fatalf("status %d body %s", status, body)
		}
		if h.Get("Content-Type") != "text/xml" || h.Get("Date") == "" || h.Get("x-amzn-RequestId") == "" {
			t.Fatalf("headers = %v", h)
		}
		if strings.Contains(body, "<Tags>") {
			t.Fatalf("empty-list sentinel Tags= produced tags: %s", body)
		}
	})
	t.Run("GET with a query string works", func(t *testing.T) {
		status, _, body := env.rawCall(t, http.MethodGet, url.Values{"Action": {"GetUser"}, "Version": {"2010-05-08"}, "UserName": {"alice"}}, key, secret, now)
		if status != 200 || !strings.Contains(body, "<UserName>alice</UserName>") {
			t.Fatalf("status %d body %s", status, body)
		}
	})

	var errDoc struct {
		Error     struct{ Type, Code, Message string }
		RequestID string `xml:"RequestId"`
	}
	errCases := []struct {
		name      string
		form      url.Values
		key       string
		secret    string
		signedAt  time.Time
		status    int
		code, typ string
		msgPrefix string
	}{
		{"unknown action", url.Values{"Action": {"MakeCoffee"}, "Version": {"2010-05-08"}}, key, secret, now, 400, "InvalidAction", "Sender", "Could not find operation MakeCoffee"},
		{"wrong version", url.Values{"Action": {"ListUsers"}, "Version": {"2011-06-15"}}, key, secret, now, 400, "InvalidAction", "Sender", "Could not find operation ListUsers for version 2011-06-15"},
		{"no signature", url.Values{"Action": {"ListUsers"}, "Version": {"2010-05-08"}}, "", "", now, 403, "MissingAuthenticationToken", "Sender", "Request is missing"},
		{"unknown key", url.Values{"Action": {"ListUsers"}, "Version": {"2010-05-08"}}, "AKIAUNKNOWNKEY000000", secret, now, 403, "InvalidClientTokenId", "Sender", "The security token included in the request is invalid."},
		{"wrong secret", url.Values{"Action": {"ListUsers"}, "Version": {"2010-05-08"}}, key, "wrong" + secret[5:], now, 403, "SignatureDoesNotMatch", "Sender", "The request signature we calculated does not match"},
		{"signed 20 minutes ago", url.Values{"Action": {"ListUsers"}, "Version": {"2010-05-08"}}, key, secret, now.Add(-20 * time.Minute), 403, "SignatureDoesNotMatch", "Sender", "Signature expired: "},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := env.rawCall(t, http.MethodPost, tc.form, tc.key, tc.secret, tc.signedAt)
			if status != tc.status {
				t.Fatalf("status = %d, want %d (%s)", status, tc.status, body)
			}
			if err := xml.Unmarshal([]byte(body), &errDoc); err != nil {
				t.Fatal(err)
			}
			if errDoc.Error.Code != tc.code || errDoc.Error.Type != tc.typ || !strings.HasPrefix(errDoc.Error.Message, tc.msgPrefix) || errDoc.RequestID == "" {
				t.Fatalf("error = %+v, want %s/%s %q…", errDoc, tc.code, tc.typ, tc.msgPrefix)
			}
		})
	}
}

func TestSDK_ErrorsCarryRequestID(t *testing.T) {
	env := newEnv(t, Options{})
	_, err := env.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
	if !strings.Contains(err.Error(), "RequestID: ") || strings.Contains(err.Error(), "RequestID: ,") {
		t.Fatalf("error %q lacks the request id", err)
	}
	ic, _ := env.clients("AKIAUNKNOWNKEY000000", "x", "")
	_, err = ic.ListUsers(ctx, &iam.ListUsersInput{})
	if got, want := apiCode(t, err), "InvalidClientTokenId"; got != want {
		t.Fatalf("code = %q, want %q", got, want)
	}
	key, _ := env.e.RootCredentials()
	ic, _ = env.clients(key, "wrong-secret-wrong-secret-wrong-secret-00", "")
	_, err = ic.ListUsers(ctx, &iam.ListUsersInput{})
	if got, want := apiCode(t, err), "SignatureDoesNotMatch"; got != want {
		t.Fatalf("code = %q, want %q", got, want)
	}
}

// TestWriteResult_EmptyResultAsTheEncoderWritesIt holds the hand-written
// answer of an action without output against encoding/xml's, with request
// ids and namespaces that need escaping, and checks that an encoder reused
// from the pool writes what a fresh one does.
func TestWriteResult_EmptyResultAsTheEncoderWritesIt(t *testing.T) {
	for _, c := range []struct{ ns, action, reqID string }{
		{iamNamespace, "DeleteUser", newRequestID()},
		{stsNamespace, "SetSecurityTokenServicePreferences", "0a1b-2c3d"},
		{`a"b<c>&d'e` + "\n\t\r", "X", "<id>&\"'\n\r\t\x01é"},
	} {
		for range 2 {
			x := xmlWriters.Get().(*xmlWriter)
			x.buf.Reset()
			x.appendEmpty(c.ns, c.action, c.reqID)
			got := x.buf.String()
			x.buf.Reset()
			if err := x.encode(c.ns, c.action, c.reqID, nil); err != nil {
				t.Fatal(err)
			}
			if want := x.buf.String(); got != want {
				t.Fatalf("hand-written:\n%s\nencoding/xml:\n%s", got, want)
			}
			fresh := &xmlWriter{}
			fresh.enc = xml.NewEncoder(&fresh.buf)
			if err := fresh.encode(c.ns, c.action, c.reqID, responseMetadata{c.reqID}); err != nil {
				t.Fatal(err)
			}
			x.buf.Reset()
			if err := x.encode(c.ns, c.action, c.reqID, responseMetadata{c.reqID}); err != nil {
				t.Fatal(err)
			}
			if x.buf.String() != fresh.buf.String() {
				t.Fatalf("reused encoder wrote\n%s\na fresh one\n%s", x.buf.String(), fresh.buf.String())
			}
			xmlWriters.Put(x)
		}
	}
}

// TestServeHTTP_BodyOverTheLimitIsRefused sends bodies just under and over
// maxBodyBytes, with their length declared and without (chunked).
func TestServeHTTP_BodyOverTheLimitIsRefused(t *testing.T) {
	e := New(Options{})
	for _, declared := range []bool{true, false} {
		for _, n := range []int{maxBodyBytes, maxBodyBytes + 1} {
			body := "Action=GetUser&Version=2010-05-08&X=" + strings.Repeat("a", n-len("Action=GetUser&Version=2010-05-08&X="))
			r := httptest.NewRequest("POST", "/", io.NopCloser(strings.NewReader(body)))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if declared {
				r.ContentLength = int64(n)
			} else {
				r.ContentLength = -1
			}
			w := httptest.NewRecorder()
			e.ServeHTTP(w, r)
			tooLarge := strings.Contains(w.Body.String(), "too large")
			if tooLarge != (n > maxBodyBytes) {
				t.Fatalf("%d bytes (length declared: %v): %d %s", n, declared, w.Code, w.Body)
			}
		}
	}
}

// TestParseParams_QueryAndBody: parameters come from the query, the form
// body, or both (the query's values first).
func TestParseParams_QueryAndBody(t *testing.T) {
	for _, c := range []struct{ query, body, want string }{
		{"", "Action=GetUser&UserName=a", "Action=GetUser&UserName=a"},
		{"Action=GetUser&UserName=a", "", "Action=GetUser&UserName=a"},
		{"UserName=q", "Action=GetUser&UserName=b", "Action=GetUser&UserName=q&UserName=b"},
		{"&", "UserName=b", "UserName=b"},
		{"", "", ""},
	} {
		r := httptest.NewRequest("POST", "/?"+c.query, nil)
		p, err := parseParams(r, []byte(c.body))
		if err != nil {
			t.Fatal(err)
		}
		if got := url.Values(p).Encode(); got != c.want {
			t.Fatalf("query %q body %q: %s, want %s", c.query, c.body, got, c.want)
		}
	}
	r := httptest.NewRequest("POST", "/?a=%zz", nil)
	if _, err := parseParams(r, nil); err == nil || err.Code != "MalformedQueryString" {
		t.Fatalf("malformed query: %v", err)
	}
}
