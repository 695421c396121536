package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/policy"
)

// auditor returns a client signed in as an auditor. Operators other than
// the first admin have no sign-up flow yet, so the operator and its session
// are made in the store and the session cookie is set in the client.
func (e *env) auditor() *client {
	e.t.Helper()
	ctx := context.Background()
	op := &portal.Operator{Username: "audrey", PasswordHash: "x", TOTPSecretEnc: []byte{0}, Role: portal.RoleAuditor, CreatedAt: e.clock()}
	if err := e.store.CreateOperator(ctx, op); err != nil {
		e.t.Fatal(err)
	}
	token, hash := portal.NewToken()
	now := e.clock()
	if err := e.store.CreateSession(ctx, &portal.Session{IDHash: hash, OperatorID: op.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		e.t.Fatal(err)
	}
	c := e.newClient()
	u, _ := url.Parse(e.srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "gh_session", Value: token, Path: "/"}})
	return c
}

func (p *page) policyState() string {
	st, _ := p.doc.Find(`[data-testid="policy-status"]`).Attr("data-state")
	return st
}

// driftedSeed is the seed without ChangePassword in its allow statement.
var driftedSeed = strings.Replace(policy.Seed, `"iam:ChangePassword",`, ``, 1)

func TestPolicyPageStates(t *testing.T) {
	ctx := context.Background()
	t.Run("missing: the admin can create it", func(t *testing.T) {
		e := newEnv(t)
		admin, _ := e.setupAdmin()
		p := admin.get("/policy")
		if got, want := p.policyState(), "missing"; p.status != 200 || got != want {
			t.Fatalf("status %d state %q, want %q", p.status, got, want)
		}
		if p.doc.Find(`[data-testid="action-publish-policy"]`).Length() != 1 {
			t.Fatal("no create button for the admin")
		}
		p = admin.post("/policy/publish", nil)
		if p.status != http.StatusSeeOther {
			t.Fatalf("publish: status %d: %s", p.status, p.formError())
		}
		p = admin.get(p.header.Get("Location"))
		if got, want := p.policyState(), "present"; got != want {
			t.Fatalf("after create: state %q, want %q", got, want)
		}
		if !strings.Contains(p.testid("flash"), "Created") {
			t.Fatalf("flash %q", p.testid("flash"))
		}
	})
	t.Run("present: no diff, no publish button, lint findings explained", func(t *testing.T) {
		e := newEnv(t)
		admin, _ := e.setupAdmin()
		if _, err := e.iam.CreatePolicy(ctx, policy.SeedName, policy.Seed, "seed"); err != nil {
			t.Fatal(err)
		}
		p := admin.get("/policy")
		if got, want := p.policyState(), "present"; got != want {
			t.Fatalf("state %q, want %q", got, want)
		}
		if p.doc.Find(`[data-testid="policy-diff"]`).Length() != 0 || p.doc.Find(`[data-testid="action-publish-policy"]`).Length() != 0 {
			t.Fatal("an up-to-date policy shows a diff or a publish button")
		}
		for _, id := range []string{"git-credentials-unusable", "abandoned-mfa-device-needs-admin", "any-mfa-device-name",
			"user-path-not-covered", "password-reset-deadlock"} {
			f := p.doc.Find(`[data-testid="lint-finding"][data-id="` + id + `"]`)
			if f.Length() != 1 || !strings.Contains(f.Text(), "Fix:") {
				t.Errorf("finding %s: %d shown, text %q", id, f.Length(), strings.TrimSpace(f.Text()))
			}
		}
	})
	t.Run("present: formatting and list order do not count as drift", func(t *testing.T) {
		e := newEnv(t)
		admin, _ := e.setupAdmin()
		reordered := strings.Replace(policy.Seed, `"iam:ChangePassword","iam:GetUser"`, `"iam:GetUser", "iam:ChangePassword"`, 1)
		reordered = strings.ReplaceAll(reordered, "},\n{", "},\n\n  {")
		if reordered == policy.Seed {
			t.Fatal("test document equals the seed byte for byte")
		}
		if _, err := e.iam.CreatePolicy(ctx, policy.SeedName, reordered, "reformatted"); err != nil {
			t.Fatal(err)
		}
		if got, want := admin.get("/policy").policyState(), "present"; got != want {
			t.Fatalf("state %q, want %q", got, want)
		}
	})
	t.Run("drifted: the difference is shown", func(t *testing.T) {
		e := newEnv(t)
		admin, _ := e.setupAdmin()
		if _, err := e.iam.CreatePolicy(ctx, policy.SeedName, driftedSeed, "edited"); err != nil {
			t.Fatal(err)
		}
		p := admin.get("/policy")
		if got, want := p.policyState(), "drifted"; got != want {
			t.Fatalf("state %q, want %q", got, want)
		}
		if diff := p.testid("policy-diff"); !strings.Contains(diff, `+"iam:ChangePassword"`) {
			t.Fatalf("diff %q does not show ChangePassword coming back", diff)
		}
	})
}

func TestPublishSeed(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	arn, err := e.iam.CreatePolicy(ctx, policy.SeedName, driftedSeed, "edited")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ { // v2..v5, v5 the default
		if _, err := e.iam.CreatePolicyVersion(ctx, arn, driftedSeed, i == 3); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("an auditor sees the page but cannot publish", func(t *testing.T) {
		aud := e.auditor()
		p := aud.get("/policy")
		if p.status != 200 || p.policyState() != "drifted" {
			t.Fatalf("auditor view: status %d state %q", p.status, p.policyState())
		}
		if p.doc.Find(`[data-testid="action-publish-policy"]`).Length() != 0 {
			t.Fatal("auditor is offered the publish button")
		}
		if p = aud.post("/policy/publish", nil); p.status != http.StatusForbidden {
			t.Fatalf("auditor publish: status %d, want 403", p.status)
		}
		if vs, _ := e.iam.ListPolicyVersions(ctx, arn); len(vs) != 5 {
			t.Fatalf("%d versions after a refused publish, want 5", len(vs))
		}
	})
	t.Run("with five versions the oldest non-default goes first", func(t *testing.T) {
		p := admin.post("/policy/publish", nil)
		if p.status != http.StatusSeeOther {
			t.Fatalf("publish: status %d: %s", p.status, p.formError())
		}
		p = admin.get(p.header.Get("Location"))
		if got, want := p.policyState(), "present"; got != want {
			t.Fatalf("state %q, want %q", got, want)
		}
		if got := p.testid("flash"); !strings.Contains(got, "v6") || !strings.Contains(got, "v1") {
			t.Fatalf("flash %q, want v6 published and v1 deleted", got)
		}
		vs, err := e.iam.ListPolicyVersions(ctx, arn)
		if err != nil || len(vs) != 5 || vs[0].ID != "v6" || !vs[0].IsDefault || vs[len(vs)-1].ID != "v2" {
			t.Fatalf("versions %+v %v", vs, err)
		}
		events, err := e.store.FindAuditEvents(ctx, portal.AuditFilter{Target: policy.SeedName})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, ev := range events {
			actions = append(actions, ev.Action+":"+ev.Actor)
		}
		got := strings.Join(actions, " ")
		if !strings.Contains(got, "policy.version.delete:admin") || !strings.Contains(got, "policy.publish:admin") {
			t.Fatalf("audit %q, want the deletion and the publish by admin", got)
		}
	})
	t.Run("publishing again changes nothing", func(t *testing.T) {
		p := admin.post("/policy/publish", nil)
		p = admin.get(p.header.Get("Location"))
		if !strings.Contains(p.testid("flash"), "up to date") {
			t.Fatalf("flash %q", p.testid("flash"))
		}
		if vs, _ := e.iam.ListPolicyVersions(ctx, arn); len(vs) != 5 || vs[0].ID != "v6" {
			t.Fatalf("versions %+v", vs)
		}
	})
}

func TestPolicyMatrix(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	admin.onboard("alice")
	p := admin.get("/policy?user=alice")
	if p.status != 200 || p.doc.Find(`[data-testid="matrix-row"]`).Length() != len(policy.MatrixActions) {
		t.Fatalf("status %d, %d rows: %s", p.status, p.doc.Find(`[data-testid="matrix-row"]`).Length(), p.formError())
	}
	for _, tc := range []struct {
		action string
		want   string // long-term-key, session-without-mfa, session-with-mfa
	}{
		{"iam:ChangePassword", "explicitDeny,explicitDeny,allowed"},
		{"iam:CreateVirtualMFADevice", "allowed,allowed,allowed"},
		{"iam:EnableMFADevice", "allowed,allowed,allowed"},
		{"iam:CreateAccessKey", "explicitDeny,explicitDeny,allowed"},
		{"iam:ListUsers", "explicitDeny,explicitDeny,implicitDeny"},
		{"iam:DeleteVirtualMFADevice", "explicitDeny,explicitDeny,implicitDeny"},
		{"sts:GetCallerIdentity", "allowed,allowed,allowed"},
		{"sts:GetSessionToken", "allowed,allowed,allowed"},
	} {
		t.Run(tc.action, func(t *testing.T) {
			var got []string
			for _, ctxName := range []string{"long-term-key", "session-without-mfa", "session-with-mfa"} {
				d, _ := p.doc.Find(`[data-testid="matrix-row"][data-action="` + tc.action + `"] [data-context="` + ctxName + `"]`).Attr("data-decision")
				got = append(got, d)
			}
			if g := strings.Join(got, ","); g != tc.want {
				t.Fatalf("decisions %s, want %s", g, tc.want)
			}
		})
	}
	t.Run("GetCallerIdentity is marked as answered without policies", func(t *testing.T) {
		row := p.doc.Find(`[data-testid="matrix-row"][data-action="sts:GetCallerIdentity"]`)
		if note := row.Find(`[data-testid="matrix-override"]`).Text(); !strings.Contains(note, "even under an explicit deny") {
			t.Fatalf("no override note: %q", row.Text())
		}
		sim, _ := row.Find(`[data-context="long-term-key"]`).Attr("data-simulated")
		if got, want := sim, "explicitDeny"; got != want {
			t.Fatalf("simulated %q, want the simulator's literal %q", got, want)
		}
	})
	t.Run("matched statements are named by Sid", func(t *testing.T) {
		cell := p.doc.Find(`[data-testid="matrix-row"][data-action="iam:ChangePassword"] [data-context="session-without-mfa"]`)
		if got := cell.Text(); !strings.Contains(got, "DenyAllExceptListedIfNoMFA") {
			t.Fatalf("cell %q does not name the deny statement", strings.TrimSpace(got))
		}
	})
	t.Run("an unknown user is refused with a clear message", func(t *testing.T) {
		p := admin.get("/policy?user=nobody")
		if p.status != http.StatusNotFound || !strings.Contains(p.formError(), "nobody is not a user managed by Gatehouse") {
			t.Fatalf("status %d, error %q", p.status, p.formError())
		}
	})
}

func TestPublishSeedIAMFailure(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	arn, err := e.iam.CreatePolicy(ctx, policy.SeedName, driftedSeed, "edited")
	if err != nil {
		t.Fatal(err)
	}
	e.emu.FailNext("CreatePolicyVersion", "ServiceFailure", 3) // the SDK retries twice
	p := admin.post("/policy/publish", nil)
	if p.status != http.StatusServiceUnavailable || !strings.Contains(p.formError(), "AWS IAM reported a problem") {
		t.Fatalf("status %d, error %q", p.status, p.formError())
	}
	if got, want := p.policyState(), "drifted"; got != want {
		t.Fatalf("state %q after a failed publish, want %q", got, want)
	}
	if vs, _ := e.iam.ListPolicyVersions(ctx, arn); len(vs) != 1 {
		t.Fatalf("versions %+v, want only v1", vs)
	}
}
