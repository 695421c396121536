package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/notify/smtptest"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store/storetest"
)

// The posture page shows one account in full (?account=, the hub by
// default) and every account in an overview: a member account's console
// user without MFA is listed there and not in the hub's; an unreachable
// account is listed with why the sync skipped it. Links to user pages,
// remedy forms, exports and the API carry the account, and the remedies
// act in it.
func TestPosturePerAccount(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			e := newMemberEnvOn(t, engine, memberA)
			addUnreachable(t, e, unreachableAcct)
			admin, _ := e.setupAdmin()
			e.consoleUser(memberA, "mallory")
			// dana is managed in both accounts: her name alone is ambiguous.
			for _, acct := range []string{"", memberA} {
				if _, err := e.onb.Onboard(ctx, testActor, portal.NewUser{Account: acct, UserName: "dana", Email: "dana@example.com"}); err != nil {
					t.Fatal(err)
				}
			}
			if err := e.rootOf(memberA).CreateLoginProfile(ctx, "dana", "Corr3ct-Horse-Battery"); err != nil {
				t.Fatal(err)
			}
			if p := admin.post("/sync", nil); p.status != http.StatusSeeOther {
				t.Fatalf("sync: %d", p.status)
			}

			p := admin.get("/posture")
			if acct, _ := p.doc.Find(`[data-testid="posture-summary"]`).Attr("data-account"); acct != e.emu.AccountID() {
				t.Fatalf("shown by default: %q", acct)
			}
			if _, users := p.control("iam_user_mfa_enabled_console_access"); strings.Contains(strings.Join(users, ","), "mallory") {
				t.Errorf("the hub lists the member's user: %v", users)
			}
			if n := p.doc.Find(`[data-testid="posture-account"]`).Length(); n != 3 {
				t.Errorf("overview of %d accounts, want 3", n)
			}
			row := p.doc.Find(`[data-testid="posture-account"][data-account="` + unreachableAcct + `"]`)
			if st, _ := row.Attr("data-status"); st != "unreachable" || strings.TrimSpace(row.Find(`[data-testid="account-reason"]`).Text()) == "" {
				t.Errorf("unreachable account row: status %q, %q", st, row.Text())
			}

			p = admin.get("/posture?account=" + memberA)
			if acct, _ := p.doc.Find(`[data-testid="posture-summary"]`).Attr("data-account"); acct != memberA {
				t.Fatalf("shown: %q", acct)
			}
			res, users := p.control("iam_user_mfa_enabled_console_access")
			if res != "fail" || strings.Join(users, ",") != "dana,mallory" {
				t.Fatalf("member console MFA: %s %v", res, users)
			}
			mfa := p.doc.Find(`[data-testid="control"][data-control="iam_user_mfa_enabled_console_access"]`)
			if href, _ := mfa.Find(`[data-user="dana"] a`).Attr("href"); href != "/users/dana?account="+memberA {
				t.Errorf("dana's link %q does not name her account", href)
			}
			if v, _ := mfa.Find(`form input[name="account"]`).Attr("value"); v != memberA {
				t.Errorf("the remedy form does not carry the account: %q", v)
			}
			if href, _ := p.doc.Find(`[data-testid="export-csv"]`).Attr("href"); href != "/posture.csv?account="+memberA {
				t.Errorf("CSV link %q", href)
			}

			csv := admin.get("/posture.csv?account=" + memberA)
			lines := strings.Split(strings.TrimSpace(csv.body), "\n")
			if !strings.HasPrefix(lines[0], "account_id,check_id,") || !strings.Contains(csv.body, memberA+",iam_user_mfa_enabled_console_access,") ||
				!strings.Contains(csv.body, "mallory") {
				t.Errorf("member CSV: %.300s", csv.body)
			}
			if j := admin.get("/posture.json?account=" + memberA); !strings.Contains(j.body, `"account_id":"`+memberA+`"`) {
				t.Errorf("member JSON: %.200s", j.body)
			}

			// The remedies act in the account: mallory exists only in the
			// member account, where her password is not unused yet.
			p = admin.post("/posture/disable", url.Values{"account": {memberA}, "user": {"mallory"}, "reason": {"audit"}})
			if want := i18n.T(i18n.EN, "err.disable.nothing", "mallory"); !strings.Contains(p.body, want) {
				t.Errorf("disable in the member account: %d %q", p.status, p.formError())
			}
			if v, _ := p.doc.Find(`form[action="/posture/disable"] input[name="account"]`).Attr("value"); v != memberA && p.doc.Find(`form[action="/posture/disable"]`).Length() > 0 {
				t.Errorf("the disable form lost the account: %q", v)
			}
			// A notice looks the user up in the account: erin is managed in
			// the member account only.
			if _, err := e.onb.Onboard(ctx, testActor, portal.NewUser{Account: memberA, UserName: "erin", Email: "erin@example.com"}); err != nil {
				t.Fatal(err)
			}
			if p := admin.get("/posture/notice?user=erin"); p.doc.Find(`[data-testid="notice-unreachable"][data-user="erin"]`).Length() != 1 {
				t.Error("in the hub erin is not Gatehouse's")
			}
			if p := admin.get("/posture/notice?user=erin&account=" + memberA); p.doc.Find(`[data-testid="notice-unreachable"][data-user="erin"]`).Length() != 0 {
				t.Error("in the member account erin is not found")
			}

			p = admin.get("/posture?account=" + unreachableAcct)
			if reason := strings.TrimSpace(p.doc.Find(`[data-testid="account-unreachable"] [data-testid="account-reason"]`).Text()); p.status != 200 || reason == "" {
				t.Errorf("unreachable account page: %d, reason %q", p.status, reason)
			}

			_, _, auditor := e.apiTokens()
			r := e.api("GET", "/api/v1/posture?account="+memberA, auditor, "")
			if r.status != 200 || r.body["account_id"] != memberA || r.body["console_users"] != float64(2) {
				t.Fatalf("API member posture: %d %v", r.status, r.body)
			}
			if r := e.api("GET", "/api/v1/posture", auditor, ""); r.body["account_id"] != e.emu.AccountID() {
				t.Errorf("API hub posture: %v", r.body["account_id"])
			}
		})
	}
}

// An access-key notice goes to a user of the account the form names, about
// that account's keys, with that account's console sign-in address.
func TestKeyNoticeInAMemberAccount(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			mailSrv := smtptest.Start(t)
			e := newEnvWith(t, engine, storetest.DSN(t, engine), envOptions{smtp: mailSrv, members: []string{memberA}})
			admin := e.clientAs(e.mintOperator("admin", portal.RoleAdmin))
			ctx := context.Background()
			if _, err := e.onb.Onboard(ctx, testActor, portal.NewUser{Account: memberA, UserName: "keiko", Email: "keiko@example.com"}); err != nil {
				t.Fatal(err)
			}
			key, secret := e.emu.Account(memberA).RootCredentials()
			raw := (&iamemutest.Server{Emulator: e.emu, URL: e.emuURL}).SDK(t, key, secret)
			var ids []string
			for range 2 {
				out, err := raw.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("keiko")})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, aws.ToString(out.AccessKey.AccessKeyId))
			}
			p := admin.post("/posture/notice", url.Values{"account": {memberA}, "user": {"keiko"}, "reason": {"CIS 1.13 review"}})
			if got := p.testid("noticed"); p.status != http.StatusOK || !strings.Contains(got, "2 access key(s)") {
				t.Fatalf("notice in the member account: %d %q %q", p.status, got, p.formError())
			}
			if p := admin.post("/posture/notice", url.Values{"user": {"keiko"}, "reason": {"CIS 1.13 review"}}); !strings.Contains(p.formError(), "keiko is not managed by Gatehouse") {
				t.Errorf("in the hub keiko is not managed: %q", p.formError())
			}
			var body string
			eventually.True(t, 20*time.Second, 10*time.Millisecond, "keiko never got the notice", func() bool {
				for _, m := range mailSrv.Messages() {
					if _, b := mailBodyOf(t, m); strings.Contains(m.To, "keiko@example.com") && strings.Contains(b, ids[0]) {
						body = b
						return true
					}
				}
				return false
			})
			if !strings.Contains(body, ids[1]) || !strings.Contains(body, memberA+".signin.aws.amazon.com") {
				t.Errorf("not the member account's keys and sign-in address: %q", body)
			}
		})
	}
}

// The weekly report summarises every account when several are managed: a
// line for each reachable one with its own coverage, and the unreachable
// one with why the sync skipped it, in the recipient's language.
func TestWeeklyPostureReportPerAccount(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			mailSrv := smtptest.Start(t)
			e := newEnvWith(t, engine, storetest.DSN(t, engine), envOptions{smtp: mailSrv, members: []string{memberA},
				reportTo: []onboarding.ReportRecipient{{To: "audit@example.com", Lang: "en"}}})
			addUnreachable(t, e, unreachableAcct)
			admin := e.clientAs(e.mintOperator("admin", portal.RoleAdmin))
			ctx := context.Background()
			e.consoleUser(memberA, "mallory")
			if p := admin.post("/sync", nil); p.status != http.StatusSeeOther {
				t.Fatalf("sync: %d", p.status)
			}
			e.onb.QueueWeeklyReports(ctx)
			var body string
			eventually.True(t, 20*time.Second, 10*time.Millisecond, "the weekly report never arrived", func() bool {
				for _, m := range mailSrv.Messages() {
					if strings.Contains(m.To, "audit@example.com") {
						_, body = mailBodyOf(t, m)
						return true
					}
				}
				return false
			})
			for _, want := range []string{"Every account:", "- " + memberA + ": MFA coverage 0% (0 of 1)", "- " + unreachableAcct + ": skipped by the sync"} {
				if !strings.Contains(body, want) {
					t.Errorf("the report lacks %q:\n%s", want, body)
				}
			}
		})
	}
}
