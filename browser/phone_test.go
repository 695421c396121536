package browser_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

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

// headerBox is the operator header as a phone shows it: its height, and
// the header links that are displayed.
type headerBox struct {
	Height  float64  `json:"height"`
	Shown   []string `json:"shown"`
	Current []string `json:"current"`
}

const measureHeader = `(() => {
	const h = document.querySelector("header.top");
	const shown = [...h.querySelectorAll("nav a")].filter(a => a.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})).map(a => a.getAttribute("href"));
	const current = [...h.querySelectorAll("nav a[aria-current=page]")].map(a => a.getAttribute("href"));
	return {height: h.getBoundingClientRect().height, shown, current};
})()`

// TestPhoneHeaderIsShort: at 390 px the operator header is one short row
// (the Menu button) until the menu is opened, in both languages; opening
// it by keyboard shows every link of the admin's header, the current
// page's link marked aria-current; at a desktop width there is no Menu
// button and the links show as before.
func TestPhoneHeaderIsShort(t *testing.T) {
	chromium(t)
	p := startPortal(t)
	b := newTab(t, p.url, 390, true)
	b.axe = false
	b.open(p.setupURL(t))
	secret := b.text(testid("totp-secret"))
	b.fill("username", "admin")
	b.fill("password", "correct horse battery")
	b.fill("code", totpCode(t, secret, time.Now()))
	b.submitTo(`form.stack button[type="submit"]`, testid("recovery-codes"))
	b.submitTo(testid("recovery-continue"), testid("welcome"))

	for _, lang := range []string{"en", "ja"} {
		b.open("/users?lang=" + lang)
		closed := run(b, "measure the header", chromedp.Evaluate[headerBox](measureHeader))
		if closed.Height > 120 {
			t.Errorf("%s: the header is %.0f px tall at 390 px before the menu is opened, want at most 120", lang, closed.Height)
		}
		if len(closed.Shown) > 0 {
			t.Errorf("%s: the closed menu shows the links %v", lang, closed.Shown)
		}
		if !b.visible(`[data-testid="nav-menu-button"]`) {
			t.Fatalf("%s: no Menu button at 390 px", lang)
		}
		want := map[string]string{"en": "Menu", "ja": "メニュー"}[lang]
		if got := b.text(testid("nav-menu-button")); got != want {
			t.Errorf("%s: the menu button says %q, want %q", lang, got, want)
		}
		// Open it by keyboard: focus the button, Enter, Tab to the first link.
		run(b, "focus the menu button", chromedp.Evaluate[bool](`document.querySelector("[data-testid=nav-menu-button]").focus(); true`))
		b.do("Enter", chromedp.KeyEvent(kb.Enter))
		open := run(b, "measure the open header", chromedp.Evaluate[headerBox](measureHeader))
		for _, href := range []string{"/dashboard", "/users", "/users/new", "/devices", "/policy", "/posture",
			"/users/bulk", "/adopt", "/operators", "/accounts", "/audit", "/tokens", "/operators/tokens", "/webhooks"} {
			if !slices.Contains(open.Shown, href) {
				t.Errorf("%s: the open menu does not show the link to %s (shows %v)", lang, href, open.Shown)
			}
		}
		if !slices.Equal(open.Current, []string{"/users"}) {
			t.Errorf("%s: the links marked aria-current are %v, want [/users]", lang, open.Current)
		}
		b.do("Tab", chromedp.KeyEvent(kb.Tab))
		if got := run(b, "focus", chromedp.Evaluate[string](`document.activeElement.getAttribute("href") || document.activeElement.outerHTML.slice(0, 60)`)); got != "/dashboard" {
			t.Errorf("%s: Tab after opening the menu reaches %q, want the link to /dashboard", lang, got)
		}
		b.do("Esc", chromedp.KeyEvent(kb.Escape))
		if run(b, "menu open", chromedp.Evaluate[bool](`document.querySelector("details.navmenu").open`)) {
			t.Errorf("%s: Esc leaves the menu open", lang)
		}
	}

	// A desktop's width: no Menu button, every link shown without a click.
	b.do("widen", chromedp.EmulateViewport(1280, 800))
	b.open("/users?lang=en")
	if b.visible(`[data-testid="nav-menu-button"]`) {
		t.Error("the Menu button shows at 1280 px")
	}
	wide := run(b, "measure the header", chromedp.Evaluate[headerBox](measureHeader))
	if len(wide.Shown) < 16 {
		t.Errorf("at 1280 px the header shows only the links %v", wide.Shown)
	}
}
