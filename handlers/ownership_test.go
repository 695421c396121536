package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/handlers"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
)

// rawIAM is an SDK client with the emulator's root key, for arranging what
// people do in AWS outside Gatehouse.
func (e *env) rawIAM() *iam.Client {
	key, secret := e.emu.RootCredentials()
	return e.sdkAs(key, secret, "")
}

// runAsIAMUser makes the portal use the access key of a new IAM user name
// (with an administrator inline policy) instead of the root key, as on a
// real account.
func (e *env) runAsIAMUser(name string) {
	e.t.Helper()
	ctx := context.Background()
	raw := e.rawIAM()
	if _, err := raw.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := raw.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("admin"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}); err != nil {
		e.t.Fatal(err)
	}
	key, err := raw.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		e.t.Fatal(err)
	}
	c, id, err := awsiam.Connect(ctx, awsiam.Config{Endpoint: e.emuURL, AccessKeyID: aws.ToString(key.AccessKey.AccessKeyId),
		SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey)})
	if err != nil {
		e.t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	onb, err := onboarding.New(onboarding.Config{Store: e.store, IAM: c, Logger: log, Account: id.Account, CallerARN: id.ARN,
		Partition: id.Partition, PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Now: e.clock})
	if err != nil {
		e.t.Fatal(err)
	}
	h, err := handlers.New(handlers.Deps{Store: e.store, Auth: e.auth, Onboarding: onb, Logger: log, Now: e.clock, TestMode: true, SetupBox: e.setupBox})
	if err != nil {
		e.t.Fatal(err)
	}
	e.onb, e.srv.Config.Handler = onb, h
}

// audited returns the details of the audit events of action on target.
func (e *env) audited(target, action string) []string {
	e.t.Helper()
	evs, err := e.store.FindAuditEvents(context.Background(), portal.AuditFilter{Target: target, Action: action})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Actor+": "+i18n.Stored(i18n.EN, ev.Text, ev.Detail))
	}
	return out
}

func TestAdoptPageNeverOffersGatehouseItself(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	e.runAsIAMUser("gatehouse-svc")
	p := c.get("/adopt")
	row := p.doc.Find(`[data-testid="candidate-row"][data-user="gatehouse-svc"]`)
	if row.AttrOr("data-self", "") != "yes" || row.Find(`input[name="user"]`).Length() != 0 {
		t.Fatalf("Gatehouse's own user is offered for adoption: %s", p.body)
	}
	// A crafted form is refused too, with an audit event.
	p = c.post("/adopt", url.Values{"user": {"gatehouse-svc"}, "confirm_keys": {"gatehouse-svc"}, "reason": {"take over"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "Gatehouse runs as the IAM user gatehouse-svc") {
		t.Fatalf("adopt self: status %d, error %q", p.status, p.formError())
	}
	if got := e.audited("gatehouse-svc", "user.adopt.refused"); len(got) != 1 || !strings.HasPrefix(got[0], "admin: refused: Gatehouse runs as this IAM user") {
		t.Fatalf("audit = %q", got)
	}
	if arns, _ := e.iam.AttachedPolicyARNs(context.Background(), "gatehouse-svc"); len(arns) != 0 {
		t.Fatalf("policy attached to Gatehouse's own user: %v", arns)
	}
}

func TestAdoptingAUserWithAccessKeysAsksInPlainWords(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	ctx := context.Background()
	if _, err := e.iam.CreateUser(ctx, "ci-bot", nil); err != nil {
		t.Fatal(err)
	}
	e.createAccessKey("ci-bot")
	for _, lang := range []struct{ code, warning, confirm string }{
		{"en", "Access keys used directly never carry MFA", "access keys will be denied everything without MFA"},
		{"ja", "アクセスキーを直接使う要求には MFA が付かない", "MFA なしではすべて拒否されます"},
	} {
		t.Run("the page says what happens to the keys in "+lang.code, func(t *testing.T) {
			req, _ := http.NewRequest("GET", c.url("/adopt"), nil)
			req.Header.Set("Accept-Language", lang.code)
			p := c.do(req)
			row := p.doc.Find(`[data-testid="candidate-row"][data-user="ci-bot"]`)
			if row.AttrOr("data-keys", "") != "1" || row.Find(`[data-testid="confirm-keys"]`).Length() != 1 {
				t.Fatalf("ci-bot row has no key count or confirmation: %s", p.body)
			}
			if !strings.Contains(p.testid("keys-warning"), lang.warning) || !strings.Contains(row.Text(), lang.confirm) {
				t.Fatalf("warning %q / row %q lack the plain words", p.testid("keys-warning"), row.Text())
			}
		})
	}
	p := c.post("/adopt", url.Values{"user": {"ci-bot"}, "reason": {"take over"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "1 active access key") {
		t.Fatalf("adopt without confirmation: status %d, error %q", p.status, p.formError())
	}
	if got := e.audited("ci-bot", "user.adopt.refused"); len(got) != 1 || !strings.Contains(got[0], "did not confirm") {
		t.Fatalf("audit = %q", got)
	}
	p = c.post("/adopt", url.Values{"user": {"ci-bot"}, "confirm_keys": {"ci-bot"}})
	if p.status != http.StatusUnprocessableEntity || p.doc.Find(`[data-testid="candidate-row"][data-user="ci-bot"] [data-testid="confirm-keys"][checked]`).Length() != 1 {
		t.Fatalf("no reason: status %d; the key confirmation is not kept", p.status)
	}
	p = c.post("/adopt", url.Values{"user": {"ci-bot"}, "confirm_keys": {"ci-bot"}, "reason": {"take over"}})
	if p.status != http.StatusOK || p.doc.Find(`[data-testid="adopted"][data-user="ci-bot"]`).Length() != 1 {
		t.Fatalf("adopt with confirmation: status %d, error %q", p.status, p.formError())
	}
}

// recreateOutside deletes name's IAM user behind Gatehouse's back and
// creates another with the same name and the managed-by tag.
func (e *env) recreateOutside(name string) {
	e.t.Helper()
	ctx := context.Background()
	arns, _ := e.iam.AttachedPolicyARNs(ctx, name)
	for _, arn := range arns {
		if err := e.iam.DetachUserPolicy(ctx, name, arn); err != nil {
			e.t.Fatal(err)
		}
	}
	if err := e.iam.DeleteUser(ctx, name); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.iam.CreateUser(ctx, name, map[string]string{onboarding.ManagedTagKey: onboarding.ManagedTagValue}); err != nil {
		e.t.Fatal(err)
	}
}

func TestActionsOnAUserThatIsNotOursAreRefused(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	for _, n := range []string{"gone1", "gone2"} {
		c.onboard(n)
		e.recreateOutside(n)
	}
	for _, tc := range []struct {
		name, user, path string
		form             url.Values
		what             string
	}{
		{"offboard", "gone1", "/users/gone1/offboard", url.Values{"reason": {"left"}, "confirm_name": {"gone1"}}, "offboard"},
		{"reset MFA", "gone2", "/users/gone2/reset-mfa", url.Values{"reason": {"lost"}, "verified_by": {"video call"}}, "reset MFA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := c.post(tc.path, tc.form)
			if p.status != http.StatusConflict || !strings.Contains(p.body, "is not the one Gatehouse created or adopted") {
				t.Fatalf("status %d, body %s", p.status, p.body)
			}
			got := e.audited(tc.user, "user.not_ours")
			if len(got) != 1 || !strings.HasPrefix(got[0], "admin: refused to "+tc.what+": ") {
				t.Fatalf("audit = %q", got)
			}
			if _, err := e.iam.GetUser(context.Background(), tc.user); err != nil {
				t.Fatalf("the foreign user is gone: %v", err)
			}
		})
	}
}
