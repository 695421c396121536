package awsiam_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/iamemu"
)

// stsRefusing serves the emulator, except that STS AssumeRole answers with
// AWS's error code and message.
func stsRefusing(t *testing.T, code, message string) (*awsiam.Accounts, *iamemu.Emulator) {
	t.Helper()
	emu := iamemu.New(iamemu.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), "Action=AssumeRole") {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>r1</RequestId></ErrorResponse>`, code, message)
			return
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	key, secret := emu.RootCredentials()
	cfg := awsiam.Config{Endpoint: srv.URL, Region: emu.Region(), AccessKeyID: key, SecretAccessKey: secret, MaxAttempts: 1}
	hub, id, err := awsiam.Connect(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return awsiam.NewAccounts(cfg, hub, id.Account), emu
}

// A member account whose role cannot be assumed is explained in plain
// words by its check, and every call in it fails as "account unreachable"
// with that reason, never as a denial of the call itself.
func TestAssumeRoleFailuresAreExplained(t *testing.T) {
	const arn = "arn:aws:iam::222222222222:role/GatehouseAdmin"
	for _, tc := range []struct {
		name, code, message, key string
	}{
		{"role missing, untrusted or wrong external ID", "AccessDenied",
			"User: arn:aws:iam::111111111111:user/gatehouse is not authorized to perform: sts:AssumeRole on resource: " + arn, "account.reason.denied"},
		{"an SCP denies", "AccessDenied",
			"User: x is not authorized to perform: sts:AssumeRole on resource: " + arn + " with an explicit deny in a service control policy", "account.reason.scp"},
		{"the hub may not assume roles", "AccessDenied",
			"User: x is not authorized to perform: sts:AssumeRole on resource: " + arn + " because no identity-based policy allows the sts:AssumeRole action", "account.reason.hubpolicy"},
		{"STS is off in the region", "RegionDisabledException", "STS is not activated in this region", "account.reason.region"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			accts, _ := stsRefusing(t, tc.code, tc.message)
			acct := &portal.Account{ID: "222222222222", ExternalID: "ext-1"}
			err := accts.Check(context.Background(), acct)
			if got := errKey(err); got != tc.key {
				t.Fatalf("check: key %q, want %q (%v)", got, tc.key, err)
			}
			if text := i18n.ErrorText(i18n.JA, err); text == "" || strings.Contains(text, tc.key) {
				t.Errorf("check in Japanese: %q", text)
			}
			c, err := accts.Client(context.Background(), acct)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetUser(context.Background(), "alice")
			if portal.ErrorCode(err) != portal.EUNAVAILABLE || portal.ErrorReason(err) != awsiam.ReasonUnreachable {
				t.Fatalf("a call in the account: %v (code %s, reason %s)", err, portal.ErrorCode(err), portal.ErrorReason(err))
			}
			want := i18n.T(i18n.EN, "err.account.unreachable", i18n.T(i18n.EN, tc.key))
			if got := i18n.ErrorText(i18n.EN, err); got != want {
				t.Errorf("message %q, want %q", got, want)
			}
		})
	}
}

// The hub account needs no role: its check asks who the hub is.
func TestHubAccountNeedsNoRole(t *testing.T) {
	accts, emu := stsRefusing(t, "AccessDenied", "no")
	hub := &portal.Account{ID: emu.AccountID(), Hub: true}
	if err := accts.Check(context.Background(), hub); err != nil {
		t.Fatal(err)
	}
	if c, err := accts.Client(context.Background(), hub); err != nil || c != accts.Hub() {
		t.Fatalf("hub client: %v, %v", c, err)
	}
}

// errKey returns the message key of err's first *portal.Error.
func errKey(err error) string {
	var e *portal.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}
