package handlers_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
)

// noOperatorLinks fails when a page of the invite flow links to the
// operators' pages (the start page / is the operator sign-in).
func noOperatorLinks(t *testing.T, p *page) {
	t.Helper()
	if n := p.doc.Find(`a[href="/"], a[href^="/signin"], a[href^="/users"]`).Length(); n > 0 {
		t.Fatalf("the page links to the operators' pages (%d links)", n)
	}
}

// tokenOf returns the token of an invite URL.
func tokenOf(inviteURL string) string { return inviteURL[strings.LastIndex(inviteURL, "/")+1:] }

// Reloading, Back and a re-sent form on the password step never dead-end
// within the claim session, and the password is never stored (issue 13,
// point 1).
func TestPasswordStepSurvivesReloadAndBack(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	inv := admin.onboard("reload")
	u, first := e.claim(inv)
	pw := first.testid("console-password")

	t.Run("a reload shows the same password again", func(t *testing.T) {
		p := u.get("/enroll/password")
		if p.status != http.StatusOK || p.testid("console-password") != pw {
			t.Fatalf("status %d, password %q, want the one shown", p.status, p.testid("console-password"))
		}
		if got := p.header.Get("Cache-Control"); got != "no-store" {
			t.Fatalf("Cache-Control %q on a page with a password", got)
		}
		noOperatorLinks(t, p)
	})
	t.Run("the invite link again offers to continue", func(t *testing.T) {
		p := u.get(inv)
		href, _ := p.doc.Find(`[data-testid="continue-setup"]`).Attr("href")
		if p.status != http.StatusOK || href != "/enroll/password" {
			t.Fatalf("status %d, continue link %q: %s", p.status, href, p.formError())
		}
	})
	t.Run("re-sending the claim form continues instead of refusing", func(t *testing.T) {
		p := u.post(inv, nil)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/enroll/password" {
			t.Fatalf("status %d, location %q: %s", p.status, p.header.Get("Location"), p.formError())
		}
		if got := u.follow(p).testid("console-password"); got != pw {
			t.Fatalf("the password changed on a re-sent form: %q", got)
		}
	})
	t.Run("once the browser no longer holds it, one click sets a fresh one", func(t *testing.T) {
		e.offset = 21 * time.Minute // the held password has expired; the session lasts
		defer func() { e.offset = 0 }()
		p := u.get("/enroll/password")
		if p.status != http.StatusOK || p.testid("console-password") != "" || p.doc.Find(`[data-testid="password-gone"]`).Length() != 1 {
			t.Fatalf("status %d, password %q: the page does not say the password is gone", p.status, p.testid("console-password"))
		}
		if p.doc.Find(`form[action="/enroll/password"] [data-testid="set-password"]`).Length() != 1 {
			t.Fatal("no button sets a new password")
		}
		noOperatorLinks(t, p)
		fresh := u.follow(u.post("/enroll/password", nil))
		if got := fresh.testid("console-password"); got == "" || got == pw {
			t.Fatalf("new password %q, want a fresh one", got)
		}
		if fresh.testid("console-username") != "reload" {
			t.Fatalf("the new password is not for the same user: %q", fresh.testid("console-username"))
		}
		if got := e.auditKeys("reload", "invite.password"); !slices.Contains(got, "audit.invite.password.again") {
			t.Fatalf("the new password is not audited: %v", got)
		}
	})
	t.Run("the person confirms saving it before the MFA step", func(t *testing.T) {
		if p := u.get("/enroll/mfa"); p.status != http.StatusSeeOther || p.header.Get("Location") != "/enroll/password" {
			t.Fatalf("MFA step before the confirmation: status %d, location %q", p.status, p.header.Get("Location"))
		}
		mfa := u.follow(u.post("/enroll/password/saved", url.Values{"next": {"mfa"}}))
		if mfa.testid("mfa-secret") == "" {
			t.Fatalf("no MFA step after the confirmation: %s", mfa.formError())
		}
		back := u.get("/enroll/password")
		if back.testid("console-password") != "" || back.doc.Find(`[data-testid="password-saved"]`).Length() != 1 {
			t.Fatal("Back after the confirmation shows the password again, or not where the person stands")
		}
		if href, _ := back.doc.Find(`[data-testid="next"]`).Attr("href"); href != "/enroll/mfa" {
			t.Fatalf("Back after the confirmation offers %q, want the MFA step", href)
		}
	})
	t.Run("another browser with the used link is told what to do next", func(t *testing.T) {
		for _, p := range []*page{e.newClient().get(inv), e.newClient().post(inv, nil)} {
			if p.status != http.StatusGone || !strings.Contains(p.formError(), "already used") {
				t.Fatalf("status %d: %s", p.status, p.formError())
			}
			if p.doc.Find(`[data-testid="next-steps"] li`).Length() < 2 {
				t.Fatal("no next steps")
			}
			noOperatorLinks(t, p)
		}
	})
	t.Run("no setup session is explained, not sent to an operator page", func(t *testing.T) {
		p := e.newClient().get("/enroll/password")
		if p.status != http.StatusUnauthorized || !strings.Contains(p.formError(), "invite link") {
			t.Fatalf("status %d: %s", p.status, p.formError())
		}
		noOperatorLinks(t, p)
	})
}

// auditKeys returns the message keys of a user's audit events of action.
func (e *env) auditKeys(target, action string) []string {
	e.t.Helper()
	evs, err := e.store.FindAuditEvents(context.Background(), portal.AuditFilter{Target: target, Action: action})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Text.Key)
	}
	return out
}

// unassignedDevices counts the user's virtual MFA devices waiting in IAM.
func (e *env) unassignedDevices(user string) int {
	e.t.Helper()
	devs, err := e.iam.ListVirtualMFADevices(context.Background(), false)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, d := range devs {
		if strings.HasSuffix(d.Serial, ":mfa/"+user) || strings.Contains(d.Serial, ":mfa/"+user+"-") {
			n++
		}
	}
	return n
}

// A GET of the MFA step changes nothing: the device is created by a POST
// and its secret shown again on reload (issue 12, finding 10).
func TestMFAStepGETIsSafe(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	u, mfa := e.claimAndOpenMFA(admin.onboard("safe"))
	secret := mfa.testid("mfa-secret")
	serial := "arn:aws:iam::123456789012:mfa/safe"

	for i := range 3 {
		p := u.get("/enroll/mfa")
		if p.status != http.StatusOK || p.testid("mfa-secret") != secret {
			t.Fatalf("reload %d: status %d, secret %q, want the same secret", i+1, p.status, p.testid("mfa-secret"))
		}
	}
	if got := e.unassignedDevices("safe"); got != 1 {
		t.Fatalf("IAM has %d waiting devices for the user after reloads, want 1", got)
	}
	t.Run("once the seed is no longer held, the app's entry still works", func(t *testing.T) {
		e.offset = 21 * time.Minute
		defer func() { e.offset = 0 }()
		p := u.get("/enroll/mfa")
		if p.testid("mfa-secret") != "" || p.doc.Find(`[data-testid="mfa-seed-gone"]`).Length() != 1 ||
			p.doc.Find(`form[action="/enroll/mfa/start"] [data-testid="restart-mfa"]`).Length() != 1 || p.doc.Find(`#code1`).Length() != 1 {
			t.Fatal("without the held seed the page offers neither the codes nor a restart")
		}
		if got := e.unassignedDevices("safe"); got != 1 {
			t.Fatalf("IAM has %d waiting devices, want 1", got)
		}
	})
	t.Run("starting over is a POST that replaces the device", func(t *testing.T) {
		if p := u.post("/enroll/mfa/start", nil); p.header.Get("Location") != "/enroll/mfa" || e.unassignedDevices("safe") != 1 {
			t.Fatal("a start without restart replaced the waiting device")
		}
		if got := u.get("/enroll/mfa").testid("mfa-secret"); got != secret {
			t.Fatalf("after a start without restart the page shows %q, want the same secret", got)
		}
		p := u.follow(u.post("/enroll/mfa/start", url.Values{"restart": {"1"}}))
		fresh := p.testid("mfa-secret")
		if fresh == "" || fresh == secret {
			t.Fatalf("new secret %q, want a fresh one", fresh)
		}
		if got := e.unassignedDevices("safe"); got != 1 {
			t.Fatalf("IAM has %d waiting devices after starting over, want 1 (the old one deleted)", got)
		}
		now := time.Now()
		// The device under the same name is a new one: the old seed's codes
		// no longer enable it.
		if err := e.iam.EnableMFADevice(context.Background(), "safe", serial, code(t, secret, now.Add(-30*time.Second)), code(t, secret, now)); portal.ErrorCode(err) != portal.EINVALID {
			t.Fatalf("the old seed still works: %v", err)
		}
		done := u.follow(u.post("/enroll/mfa", url.Values{"code1": {code(t, fresh, now.Add(-30*time.Second))}, "code2": {code(t, fresh, now)}}))
		if done.testid("mfa-serial") == "" {
			t.Fatalf("the new device was not enabled: %s", done.formError())
		}
	})
}

// Every enrollment step is idempotent against IAM: a device that IAM has
// active (the portal stopped right after EnableMFADevice, before recording
// it) means the user is enrolled, whatever page the person reloads or form
// they re-send (issue 19, finding 1).
func TestEnrollmentStepsAreIdempotentAgainstIAM(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	for i, tc := range []struct {
		name string
		next func(u *client, c1, c2 string) *page
	}{
		{"the done page", func(u *client, _, _ string) *page { return u.get("/enroll/done") }},
		{"a reload of the MFA page", func(u *client, _, _ string) *page { return u.follow(u.get("/enroll/mfa")) }},
		{"the codes sent again", func(u *client, c1, c2 string) *page {
			return u.follow(u.post("/enroll/mfa", url.Values{"code1": {c1}, "code2": {c2}}))
		}},
		{"starting over", func(u *client, _, _ string) *page {
			return u.follow(u.post("/enroll/mfa/start", url.Values{"restart": {"1"}}))
		}},
		{"the console walkthrough's check", func(u *client, _, _ string) *page { return u.follow(u.post("/enroll/status", nil)) }},
	} {
		t.Run(tc.name+" finds the enrollment", func(t *testing.T) {
			name := "idem" + strconv.Itoa(i)
			u, mfa := e.claimAndOpenMFA(admin.onboard(name))
			secret := mfa.testid("mfa-secret")
			serial := "arn:aws:iam::123456789012:mfa/" + name
			now := time.Now()
			c1, c2 := code(t, secret, now.Add(-30*time.Second)), code(t, secret, now)
			// What the lost request did: IAM enabled the device; the store
			// never heard of it.
			if err := e.iam.EnableMFADevice(context.Background(), name, serial, c1, c2); err != nil {
				t.Fatal(err)
			}
			p := tc.next(u, c1, c2)
			if got := p.testid("mfa-serial"); p.status != http.StatusOK || got != serial {
				t.Fatalf("status %d, serial %q, want the done page for %s: %s", p.status, got, serial, p.formError())
			}
			if got := admin.statusOf(name); got != "enrolled" {
				t.Fatalf("status list says %q", got)
			}
			if got := e.unassignedDevices(name); got != 0 {
				t.Fatalf("%d unassigned devices left", got)
			}
		})
	}
}

// A claim that the portal committed but never finished (it stopped before
// setting the console password) can be finished by the same browser, is
// listed for the helpdesk and can be re-issued (issue 19, finding 2). The
// real crash is cmd/portal's TestInviteeSurvivesKill9; here the claim is
// committed the way the crashed request left it.
func TestInterruptedClaimIsFinishableAndVisible(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	inv := admin.onboard("halfway")
	u := e.newClient()
	u.get(inv) // the landing page gives the browser its claim cookie
	var claimToken string
	for _, c := range u.http.Jar.Cookies(mustURL(t, e.srv.URL)) {
		if c.Name == "gh_claim" {
			claimToken = c.Value
		}
	}
	if claimToken == "" {
		t.Fatal("the landing page set no claim cookie")
	}
	invite, _, err := e.store.FindInviteByHash(ctx, portal.HashToken(tokenOf(inv)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := e.store.ClaimInvite(ctx, invite, &portal.ClaimSession{IDHash: portal.HashToken(claimToken), UserID: invite.UserID,
		InviteID: invite.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}

	t.Run("the helpdesk sees it on the dashboard and the user page", func(t *testing.T) {
		d := admin.get("/dashboard")
		if d.doc.Find(`[data-testid="interrupted-row"][data-user="halfway"]`).Length() != 1 {
			t.Fatal("the dashboard does not list the interrupted claim")
		}
		if p := admin.get("/users/halfway"); p.doc.Find(`[data-testid="claim-interrupted"]`).Length() != 1 {
			t.Fatal("the user page does not say the claim was interrupted")
		}
	})
	t.Run("the same browser finishes it", func(t *testing.T) {
		landing := u.get(inv)
		if href, _ := landing.doc.Find(`[data-testid="continue-setup"]`).Attr("href"); href != "/enroll/password" {
			t.Fatalf("continue link %q: %s", href, landing.formError())
		}
		p := u.get("/enroll/password")
		if p.doc.Find(`[data-testid="password-not-set"]`).Length() != 1 {
			t.Fatal("the password step does not say the password is not set")
		}
		p = u.follow(u.post("/enroll/password", nil))
		if p.testid("console-password") == "" {
			t.Fatalf("no password after finishing the claim: %s", p.formError())
		}
		if ok, err := e.iam.HasLoginProfile(ctx, "halfway"); err != nil || !ok {
			t.Fatalf("IAM has no login profile: %v", err)
		}
		if got := admin.statusOf("halfway"); got != "claimed" {
			t.Fatalf("status %q, want claimed", got)
		}
		if admin.get("/dashboard").doc.Find(`[data-testid="interrupted-row"]`).Length() != 0 {
			t.Fatal("a finished claim is still listed as interrupted")
		}
	})
	t.Run("a new link for an interrupted claim ends the old setup", func(t *testing.T) {
		other := admin.onboard("stuck")
		o := e.newClient()
		o.get(other)
		for _, c := range o.http.Jar.Cookies(mustURL(t, e.srv.URL)) {
			if c.Name == "gh_claim" {
				claimToken = c.Value
			}
		}
		invite, _, _ := e.store.FindInviteByHash(ctx, portal.HashToken(tokenOf(other)))
		e.store.ClaimInvite(ctx, invite, &portal.ClaimSession{IDHash: portal.HashToken(claimToken), UserID: invite.UserID,
			InviteID: invite.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
		p := admin.post("/users/stuck/resend-invite", nil)
		fresh := p.testid("invite-url")
		if p.status != http.StatusOK || !strings.Contains(fresh, "/invite/") {
			t.Fatalf("resend: status %d: %s", p.status, p.formError())
		}
		if p := o.get("/enroll/password"); p.status != http.StatusUnauthorized {
			t.Fatalf("the old setup session still works: status %d", p.status)
		}
		if _, pw := e.claim(fresh); pw.testid("console-username") != "stuck" {
			t.Fatal("the new link does not work")
		}
	})
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The invitee's pages show where the person is: the landing page the three
// steps ahead, the console walkthrough only while MFA is the step (issue
// 13, point 3); the done page says once what needs an admin, the MFA page
// draws its QR crisp and offers the app link on phones only (point 11).
func TestInviteePagesShowWhereThePersonIs(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	inv := admin.onboard("where")
	landing := e.newClient().get(inv)
	if n := landing.doc.Find(`[data-testid="steps"] li`).Length(); n != 3 {
		t.Fatalf("the landing page shows %d steps, want an overview of 3", n)
	}
	if landing.doc.Find(`[data-testid="steps"] [aria-current]`).Length() != 0 {
		t.Fatal("the landing page marks a step as current before anything started")
	}
	noOperatorLinks(t, landing)

	u, mfa := e.claimAndOpenMFA(inv)
	t.Run("the QR is drawn at its native size", func(t *testing.T) {
		img := mfa.doc.Find(`[data-testid="mfa-qr"]`)
		src, _ := img.Attr("src")
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(src, "data:image/png;base64,"))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := img.Attr("width")
		if w != strconv.Itoa(cfg.Width) || cfg.Width != cfg.Height {
			t.Fatalf("QR drawn %s px wide, native %dx%d", w, cfg.Width, cfg.Height)
		}
	})
	t.Run("the app link is for phones only", func(t *testing.T) {
		if mfa.doc.Find(`.phone-only [data-testid="otpauth-link"]`).Length() != 1 {
			t.Fatal("the otpauth link is not marked phone-only")
		}
	})
	t.Run("the secret is grouped for reading, plain for copying", func(t *testing.T) {
		secret := mfa.doc.Find(`[data-testid="mfa-secret"]`)
		if secret.HasClass("grouped") == false || secret.Find("span").Length() < 2 || strings.Contains(secret.Text(), " ") {
			t.Fatalf("secret markup: %q", secret.Text())
		}
	})
	secret := mfa.testid("mfa-secret")
	now := time.Now()
	done := u.follow(u.post("/enroll/mfa", url.Values{"code1": {code(t, secret, now.Add(-30*time.Second))}, "code2": {code(t, secret, now)}}))
	t.Run("the done page says once what needs an admin", func(t *testing.T) {
		if strings.Contains(done.body, "Generate credentials") || strings.Contains(done.body, "AWS CodeCommit credentials") {
			t.Fatal("the done page teaches creating Git credentials")
		}
		if got := done.testid("needs-admin"); !strings.Contains(got, "CodeCommit") || !strings.Contains(got, "administrator") {
			t.Fatalf("the done page does not say Git needs an admin: %q", got)
		}
		if got := done.testid("steps"); !strings.Contains(done.doc.Find(`[data-testid="steps"] [aria-current="step"]`).Text(), "Done") {
			t.Fatalf("current step on the done page: %q", got)
		}
	})
	t.Run("the console walkthrough after MFA is the done page", func(t *testing.T) {
		p := u.get("/enroll/console")
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/enroll/done" {
			t.Fatalf("status %d, location %q: the walkthrough still shows step 2", p.status, p.header.Get("Location"))
		}
	})
}

// When IAM fails during a step, the person sees what happened and a way to
// try again on the same page; nothing is half-done.
func TestInviteeIAMFailuresOfferATryAgain(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	fail := func(action string) { e.emu.FailNext(action, "ServiceFailure", 3) } // the SDK tries 3 times

	t.Run("the claim gives the link back and offers to try again", func(t *testing.T) {
		inv := admin.onboard("failclaim")
		u := e.newClient()
		u.get(inv)
		fail("CreateLoginProfile")
		p := u.post(inv, nil)
		href, _ := p.doc.Find(`[data-testid="retry"]`).Attr("href")
		if p.status < 500 || href != "/invite/"+tokenOf(inv) {
			t.Fatalf("status %d, retry %q: %s", p.status, href, p.formError())
		}
		noOperatorLinks(t, p)
		if got := u.follow(u.post(inv, nil)).testid("console-password"); got == "" {
			t.Fatal("trying again gives no password")
		}
	})
	t.Run("a new password that IAM refuses keeps the page and the button", func(t *testing.T) {
		u, _ := e.claim(admin.onboard("failpw"))
		e.offset = 21 * time.Minute // the password shown is no longer held
		defer func() { e.offset = 0 }()
		fail("UpdateLoginProfile")
		p := u.post("/enroll/password", nil)
		if p.status < 500 || p.formError() == "" || p.doc.Find(`[data-testid="set-password"]`).Length() != 1 {
			t.Fatalf("status %d: %s", p.status, p.formError())
		}
		if got := u.follow(u.post("/enroll/password", nil)).testid("console-password"); got == "" {
			t.Fatal("the button does not set a password once IAM answers")
		}
	})
	t.Run("a device IAM cannot create leaves the start button", func(t *testing.T) {
		u, _ := e.claim(admin.onboard("faildev"))
		fail("CreateVirtualMFADevice")
		p := u.post("/enroll/password/saved", url.Values{"next": {"mfa"}})
		if p.status < 500 || p.formError() == "" || p.doc.Find(`[data-testid="start-mfa"]`).Length() != 1 {
			t.Fatalf("status %d: %s", p.status, p.formError())
		}
		if got := u.follow(u.post("/enroll/mfa/start", nil)).testid("mfa-secret"); got == "" {
			t.Fatal("the start button does not create the device once IAM answers")
		}
	})
	t.Run("the done page that cannot ask IAM offers to ask again", func(t *testing.T) {
		u, _ := e.claimAndOpenMFA(admin.onboard("faildone"))
		fail("ListMFADevices")
		p := u.get("/enroll/done")
		href, _ := p.doc.Find(`[data-testid="retry"]`).Attr("href")
		if p.status < 500 || href != "/enroll/done" || strings.Contains(p.testid("form-error"), "invite link") {
			t.Fatalf("status %d, retry %q: %s", p.status, href, p.formError())
		}
		if h := p.doc.Find("h1").Text(); strings.Contains(h, "invite link") {
			t.Fatalf("heading %q blames the invite link", h)
		}
	})
}
