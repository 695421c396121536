package browser_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	gh "github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
)

// overflow is what sticks out of the viewport on the current page: the
// document's scroll width against its client width, and the widest
// elements reaching past the right edge (to say what to fix).
type overflow struct {
	ScrollWidth int      `json:"scrollWidth"`
	ClientWidth int      `json:"clientWidth"`
	Culprits    []string `json:"culprits"`
}

const measureOverflow = `(() => {
	const d = document.documentElement, out = [];
	for (const e of document.querySelectorAll("body *")) {
		const r = e.getBoundingClientRect();
		if (r.right > d.clientWidth + 0.5 && r.width > 0) {
			out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") + " right=" + Math.round(r.right));
		}
	}
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n; (n = walk.nextNode());) {
		const rg = document.createRange();
		rg.selectNodeContents(n);
		const r = rg.getBoundingClientRect();
		if (r.right > d.clientWidth + 0.5 && r.width > 0) {
			out.push("text " + JSON.stringify(n.textContent.trim().slice(0, 40)) + " in " + n.parentElement.tagName.toLowerCase() + " right=" + Math.round(r.right));
		}
	}
	return {scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, culprits: out.slice(0, 8)};
})()`

// fits fails the test when the current page is wider than the viewport.
func (b *tab) fits(page string) {
	b.t.Helper()
	o := run(b, "measure "+page, chromedp.Evaluate[overflow](measureOverflow))
	if o.ScrollWidth > o.ClientWidth {
		b.t.Errorf("%s is %d px wide in a %d px viewport: %s", page, o.ScrollWidth, o.ClientWidth, strings.Join(o.Culprits, ", "))
	}
}

// TestEveryPageFitsAPhone visits every page at 360 px, signed in as an
// admin of a portal with data (long names, e-mail addresses and URLs, a
// bulk import with good and bad rows, every kind of audit event), in both
// languages, and fails on any page wider than the screen: nothing may
// scroll sideways on a phone.
func TestEveryPageFitsAPhone(t *testing.T) {
	chromium(t)
	p := startPortal(t)
	ctx := context.Background()
	for _, u := range []gh.NewUser{
		{UserName: "pending.person.with.a.long.name", DisplayName: "Alexandrina Konstantinopoulou-Vanderberg", Email: "alexandrina.konstantinopoulou@subdivision.example-company.co.jp"},
		{UserName: "sato", DisplayName: "佐藤 花子"},
	} {
		if _, err := p.onb.Onboard(ctx, onboarding.Actor{Name: "admin"}, u); err != nil {
			t.Fatal(err)
		}
	}
	enrolled, err := p.onb.Onboard(ctx, onboarding.Actor{Name: "admin"}, gh.NewUser{UserName: "enrolled", DisplayName: "Ken Enrolled"})
	if err != nil {
		t.Fatal(err)
	}

	// The invitee's pages, on a phone.
	inv := newTab(t, p.url, 360, true)
	inv.axe = false
	inv.open("/invite/" + enrolled.InviteToken)
	inv.fits("invite")
	inv.submitTo(testid("next"), testid("console-password"))
	inv.fits("password")
	inv.submitTo(testid("console-path"), testid("check-status"))
	inv.fits("console walkthrough")
	inv.submitTo(testid("check-status"), `[data-testid="status-notyet"]`)
	inv.fits("console walkthrough, not yet")
	inv.submitTo(testid("mfa-here"), testid("mfa-secret"))
	inv.fits("MFA")
	secret := inv.text(testid("mfa-secret"))
	now := time.Now()
	inv.fill("code1", totpCode(t, secret, now.Add(-30*time.Second)))
	inv.fill("code2", totpCode(t, secret, now))
	inv.submitTo(testid("next"), testid("mfa-serial"))
	inv.fits("done")

	b := newTab(t, p.url, 360, true)
	b.axe = false
	adminJourney(t, b, p, "en", false)
	b.fits("hand-off")
	for _, lang := range []string{"en", "ja"} {
		b.open("/dashboard?lang=" + lang)
		for _, path := range []string{"/welcome", "/dashboard", "/users", "/users/new", "/users/enrolled", "/users/newhire",
			"/users/pending.person.with.a.long.name", "/users/pending.person.with.a.long.name/offboard", "/users/bulk",
			"/audit", "/policy", "/policy?user=enrolled", "/operators", "/tokens", "/operators/tokens", "/account", "/devices", "/adopt", "/posture", "/webhooks"} {
			b.open(path)
			b.fits(lang + " " + path)
		}
		csv := filepath.Join(t.TempDir(), "users.csv")
		if err := os.WriteFile(csv, []byte("user_name,display_name,email,deadline\n"+
			lang+".bulk.one,Bulk One Person With A Long Display Name,bulk.one.with.a.long.address@subdivision.example-company.co.jp,\n"+
			lang+".bulk.two,Bulk Two,,\n"+
			"bad name,Bad,,\n"+
			"enrolled,Already There,,\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		b.open("/users/bulk")
		b.do("choose the CSV", chromedp.SetUploadFiles(testid("bulk-file"), []string{csv}))
		b.submitTo(testid("bulk-check"), testid("bulk-start"))
		b.fits(lang + " bulk preview")
		b.submitTo(testid("bulk-start"), testid("bulk-progress"))
		b.do("wait for the job", chromedp.WaitReady(testid("bulk-download")))
		b.fits(lang + " bulk result")
		b.open("/users/" + lang + ".bulk.one")
		b.fits(lang + " user from the bulk import")
		b.open("/audit")
		b.fits(lang + " audit log with the bulk import")
	}
}
