package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store/storetest"
)

// unreachableAcct is registered in the tests but has no role anywhere.
const unreachableAcct = "999999999999"

// The policy page shows one account at a time: the hub by default, a
// member account's own copy of the policy with ?account= (its drift
// detected and repaired there, the hub's copy untouched), and an account
// whose role cannot be assumed as unreachable with the reason, not as an
// error page. The API answers the same per account.
func TestPolicyPerAccount(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			e := newMemberEnvOn(t, engine, memberA)
			addUnreachable(t, e, unreachableAcct)
			admin, _ := e.setupAdmin()
			if _, err := e.iam.CreatePolicy(ctx, policy.SeedName, policy.Seed, "seed"); err != nil {
				t.Fatal(err)
			}
			member := e.rootOf(memberA)
			if _, err := member.CreatePolicy(ctx, policy.SeedName, driftedSeed, "drifted"); err != nil {
				t.Fatal(err)
			}

			p := admin.get("/policy")
			if got := p.policyState(); p.status != http.StatusOK || got != "present" {
				t.Fatalf("hub: status %d state %q", p.status, got)
			}
			if n := p.doc.Find(`[data-testid="account-choice"] select[name="account"] option`).Length(); n != 3 {
				t.Errorf("account choice offers %d accounts, want 3", n)
			}

			p = admin.get("/policy?account=" + memberA)
			if got := p.policyState(); got != "drifted" {
				t.Fatalf("member: state %q, want drifted", got)
			}
			if acct, _ := p.doc.Find(`[data-testid="policy-status"]`).Attr("data-account"); acct != memberA {
				t.Errorf("shown account %q", acct)
			}
			if !strings.Contains(p.doc.Find(`[data-testid="policy-status"]`).Text(), "arn:aws:iam::"+memberA+":policy/") {
				t.Errorf("the member's policy ARN is not shown")
			}
			if p.doc.Find(`[data-testid="policy-diff"] li`).Length() == 0 {
				t.Error("no drift listed for the member account")
			}
			if v, _ := p.doc.Find(`form[action="/policy/publish"] input[name="account"]`).Attr("value"); v != memberA {
				t.Fatalf("the repair form does not name the member account: %q", v)
			}
			p = admin.post("/policy/publish", url.Values{"account": {memberA}})
			if p.status != http.StatusSeeOther || !strings.Contains(p.header.Get("Location"), "account="+memberA) {
				t.Fatalf("publish: %d to %q: %s", p.status, p.header.Get("Location"), p.formError())
			}
			if got := admin.get(p.header.Get("Location")).policyState(); got != "present" {
				t.Fatalf("member after the repair: %q", got)
			}
			mp, err := member.GetPolicy(ctx, "arn:aws:iam::"+memberA+":policy/"+policy.SeedName)
			if err != nil || !policyEqual(t, mp.Document, policy.Seed) {
				t.Fatalf("the member's default version is not the seed: %v", err)
			}
			hp, err := e.iam.GetPolicy(ctx, "arn:aws:iam::"+e.emu.AccountID()+":policy/"+policy.SeedName)
			if err != nil || hp.DefaultVersionID != "v1" {
				t.Fatalf("the hub's policy changed: %+v, %v", hp, err)
			}

			p = admin.get("/policy?account=" + unreachableAcct)
			reason := strings.TrimSpace(p.doc.Find(`[data-testid="account-unreachable"] [data-testid="account-reason"]`).Text())
			if p.status != http.StatusOK || reason == "" || reason == i18n.T(i18n.EN, "error.internal") {
				t.Fatalf("unreachable: status %d, reason %q", p.status, reason)
			}
			if ja := strings.TrimSpace(admin.get("/policy?lang=ja&account=" + unreachableAcct).doc.Find(`[data-testid="account-reason"]`).Text()); ja == "" || ja == reason {
				t.Errorf("the reason in Japanese: %q", ja)
			}
			if p := admin.get("/policy?account=12"); p.status != http.StatusUnprocessableEntity {
				t.Errorf("a malformed account: %d", p.status)
			}

			_, _, auditor := e.apiTokens()
			r := e.api("GET", "/api/v1/policy?account="+memberA, auditor, "")
			if r.status != 200 || r.body["account_id"] != memberA || r.body["state"] != "present" {
				t.Fatalf("API member policy: %d %v", r.status, r.body)
			}
			if r := e.api("GET", "/api/v1/policy", auditor, ""); r.body["account_id"] != e.emu.AccountID() {
				t.Errorf("API hub policy: %v", r.body)
			}
			if r := e.api("GET", "/api/v1/policy/drift?account="+memberA, auditor, ""); r.status != 200 || r.body["account_id"] != memberA {
				t.Errorf("API member drift: %d %v", r.status, r.body)
			}
			if r := e.api("GET", "/api/v1/policy?account="+unreachableAcct, auditor, ""); r.status != http.StatusServiceUnavailable ||
				!strings.Contains(r.body["detail"].(string), "assume") {
				t.Errorf("API unreachable: %d %v", r.status, r.body)
			}
		})
	}
}

func policyEqual(t *testing.T, a, b string) bool {
	t.Helper()
	da, err := policy.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	db, err := policy.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return policy.Equal(da, db)
}
