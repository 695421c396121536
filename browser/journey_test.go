package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestJourneys walks the product as people do, in a real browser: the first
// admin sets up Gatehouse and signs in again, onboards a user, the user
// claims the invite and enrolls MFA (codes computed from the secret on the
// page), and the admin sees the status list. Each language gets a desktop
// run, the invitee pages also run at a phone's 360 px, and one run has
// JavaScript disabled: every journey works without it.
func TestJourneys(t *testing.T) {
	chromium(t)
	for _, tc := range []struct {
		name  string
		lang  string
		width int64
		js    bool
		admin bool // screenshot and check the operator and admin pages too
		axe   bool // run axe-core on every page (the markup is the same in both languages)
		shots string
	}{
		{"english desktop", "en", 1280, true, true, true, "en-desktop"},
		{"japanese desktop", "ja", 1280, true, true, false, "ja-desktop"},
		{"japanese phone", "ja", 360, true, false, false, "ja-phone"},
		{"english without javascript", "en", 1024, false, true, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startPortal(t)
			op := newTab(t, p.url, tc.width, tc.js)
			op.shots, op.axe = tc.shots, tc.axe
			inviteURL := adminJourney(t, op, p, tc.lang, tc.admin)
			inv := newTab(t, p.url, tc.width, tc.js)
			inv.shots, inv.axe = tc.shots, tc.axe
			inviteeJourney(t, inv, inviteURL, tc.lang)
			if tc.admin {
				op.open("/users")
				if got, want := op.text(`[data-testid="user-row"][data-user="newhire"] [data-testid="user-status"]`), map[string]string{"en": "Enrolled", "ja": "MFA 登録済み"}[tc.lang]; got != want {
					t.Fatalf("status list shows %q for newhire, want %q", got, want)
				}
				op.page("20-users-enrolled", tc.lang)
				helpdeskPages(t, op, tc.lang)
			}
		})
	}
}

// adminJourney sets up the first admin (TOTP from the page's secret), signs
// out and in again, onboards "newhire" and returns the invite URL.
func adminJourney(t *testing.T, b *tab, p *portal, lang string, full bool) string {
	t.Helper()
	shot := func(name string) {
		if full {
			b.page(name, lang)
		}
	}
	b.open(p.setupURL(t) + "?lang=" + lang)
	shot("01-setup")
	secret := b.text(testid("totp-secret"))
	b.fill("username", "admin")
	b.fill("password", "correct horse battery")
	b.fill("code", totpCode(t, secret, time.Now()))
	// The new admin's recovery codes, shown once, then the welcome page.
	b.submitTo(`form.stack button[type="submit"]`, testid("recovery-codes"))
	b.fits("recovery codes")
	b.submitTo(testid("recovery-continue"), testid("welcome"))
	shot("02-welcome")

	if full {
		b.submitTo(`header form[action="/signout"] button[type="submit"]`, `#code`)
		shot("03-signin")
		b.fill("username", "admin")
		b.fill("password", "correct horse battery")
		b.fill("code", totpCode(t, secret, time.Now().Add(30*time.Second)))
		b.submitTo(`form.stack button[type="submit"]`, `form[role="search"]`)
	}

	b.submitTo(`main a[href="/users/new"]`, `#user_name`)
	if full && b.js {
		// htmx validates the name inline, before the form is sent.
		b.fill("user_name", "new hire")
		b.do("leave the field", chromedp.KeyEvent(kb.Tab), chromedp.WaitVisible(chromedp.CSS(`#user_name-err`)))
		if got := b.text(`#user_name-err`); !strings.Contains(got, map[string]string{"en": "no spaces", "ja": "スペース"}[lang]) {
			t.Errorf("inline validation of %q says %q", "new hire", got)
		}
		shot("04-onboard-invalid-name")
		b.clear("user_name")
	} else {
		shot("04-onboard")
	}
	b.fill("user_name", "newhire")
	b.fill("display_name", "Hana Sato")
	b.submitTo(`form.stack button[type="submit"]`, testid("invite-url"))
	shot("05-handoff")
	inviteURL := b.text(testid("invite-url"))
	if !strings.Contains(inviteURL, "/invite/") {
		t.Fatalf("hand-off page shows no invite URL: %q", inviteURL)
	}
	return inviteURL
}

// inviteeJourney claims the invite, reloads every one-time screen (a phone
// reloads the tab when the person switches to the password manager or the
// authenticator app), looks at the console walkthrough, and enrolls MFA:
// a same-code mistake (refused in the browser), wrong codes (explained by
// the server), then keyboard only with the right codes.
func inviteeJourney(t *testing.T, b *tab, inviteURL, lang string) {
	t.Helper()
	msg := func(en, ja string) string { return map[string]string{"en": en, "ja": ja}[lang] }
	b.open(inviteURL + "?lang=" + lang)
	if n := b.count(`[data-testid="steps"] li`); n != 3 {
		t.Errorf("the invite page shows %d steps, want the overview of 3", n)
	}
	b.page("10-invite", lang)
	b.submitTo(testid("next"), testid("console-password"))
	if got, want := b.text(`[data-testid="steps"] [aria-current="step"]`), msg("Console password", "コンソールパスワード"); !strings.Contains(got, want) {
		t.Errorf("current step %q, want %q", got, want)
	}
	password := b.text(testid("console-password"))
	if n := b.count(`[data-testid="console-password"]`); n != 1 || password == "" {
		t.Fatalf("credentials page shows no password")
	}
	b.page("11-credentials", lang)
	b.reload(testid("console-password"))
	if got := b.text(testid("console-password")); got != password {
		t.Fatalf("a reload of the password page shows %q, want the same password", got)
	}

	b.submitTo(testid("console-path"), testid("check-status"))
	b.page("12-console", lang)
	b.submitTo(testid("check-status"), `[data-testid="status-notyet"]`)
	b.page("13-console-not-yet", lang)

	b.submitTo(testid("mfa-here"), testid("mfa-secret"))
	if got := b.text(`[data-testid="steps"] [aria-current="step"]`); !strings.Contains(got, msg("MFA", "MFA")) {
		t.Errorf("current step on the MFA page is %q", got)
	}
	secret := b.text(testid("mfa-secret"))
	if len(secret) < 16 {
		t.Fatalf("MFA page shows secret %q", secret)
	}
	b.reload(testid("mfa-secret"))
	if got := b.text(testid("mfa-secret")); got != secret {
		t.Fatalf("a reload of the MFA page shows secret %q, want the same", got)
	}
	checkMFAPageLayout(t, b)
	if b.js {
		now := b.text(testid("virtual-code-now"))
		if now != totpCode(t, secret, time.Now()) && now != totpCode(t, secret, time.Now().Add(-30*time.Second)) {
			t.Errorf("virtual authenticator shows %q, not a current code of the secret on the page", now)
		}
	}
	b.page("14-mfa", lang)

	if b.js {
		same := totpCode(t, secret, time.Now())
		b.fill("code1", same)
		b.fill("code2", same)
		b.do("submit the same code twice", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`[data-same-code]`)))
		if loc := run(b, "location", chromedp.Location()); !strings.HasSuffix(loc, "/enroll/mfa") {
			t.Fatalf("same code twice left the page for %s", loc)
		}
		if got := b.text(`[data-same-code]`); !strings.Contains(got, msg("same", "同じ")) {
			t.Errorf("same-code message %q", got)
		}
		b.page("15-mfa-same-code", lang)
		b.clear("code1", "code2")
	}

	wrong1, wrong2 := "000000", "999999"
	b.fill("code1", wrong1)
	b.fill("code2", wrong2)
	b.submitTo(testid("next"), `[role="alert"][data-testid="form-error"]`)
	if got, want := b.text(testid("form-error")), msg("not consecutive", "連続"); !strings.Contains(got, want) {
		t.Errorf("after wrong codes the page says %q, want it to mention %q", got, want)
	}
	b.page("16-mfa-wrong-codes", lang)
	if b.js {
		// The page shows only the latest error: the server's about the
		// last try, then the browser's about the same code twice, then
		// none while the person types again.
		shown := func() []string {
			return run(b, "errors shown", chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="form-error"], [data-same-code], .field-error')]
				.filter(e => !e.hidden && e.getClientRects().length > 0).map(e => e.textContent.trim())`))
		}
		if got := shown(); len(got) != 1 {
			t.Errorf("after wrong codes the page shows %d errors: %q", len(got), got)
		}
		same := totpCode(t, secret, time.Now())
		b.fill("code1", same)
		b.fill("code2", same)
		b.do("submit the same code twice", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`[data-same-code]`)))
		if got := shown(); len(got) != 1 || !strings.Contains(got[0], msg("same", "同じ")) {
			t.Errorf("after the same code twice the page shows %q, want only that message", got)
		}
		b.clear("code1", "code2")
		b.fill("code2", "1")
		if got := shown(); len(got) != 0 {
			t.Errorf("while the person types again the page still shows %q", got)
		}
		b.clear("code1", "code2")
	}

	// Keyboard only: Tab to the first code, type, Tab, type, Enter.
	for i := 0; ; i++ {
		if i == 40 {
			t.Fatal("Tab never reached the first code field")
		}
		b.do("Tab", chromedp.KeyEvent(kb.Tab))
		if run(b, "focus", chromedp.Evaluate[string]("document.activeElement.id")) == "code1" {
			break
		}
	}
	now := time.Now()
	b.do("type the codes and press Enter",
		chromedp.KeyEvent(totpCode(t, secret, now.Add(-30*time.Second))),
		chromedp.KeyEvent(kb.Tab),
		chromedp.KeyEvent(totpCode(t, secret, now)),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitReady(testid("mfa-serial")))
	if got := b.text(`[data-testid="steps"] [aria-current="step"]`); !strings.Contains(got, msg("Done", "完了")) {
		t.Errorf("current step on the done page is %q", got)
	}
	b.page("17-done", lang)
	b.reload(testid("mfa-serial"))
	b.open("/enroll/console")
	if b.count(`[data-testid="mfa-serial"]`) != 1 {
		t.Error("the console walkthrough after MFA is not the done page")
	}
}

// checkMFAPageLayout checks what the MFA page looks like: the QR at its
// native size (crisp), the "open in my authenticator app" link only on a
// touch screen, the grouped secret's lines starting flush.
func checkMFAPageLayout(t *testing.T, b *tab) {
	t.Helper()
	if !b.js {
		return
	}
	q := `document.querySelector('[data-testid="mfa-qr"]')`
	if !run(b, "QR size", chromedp.Evaluate[bool](q+".complete && "+q+".naturalWidth === "+q+".getBoundingClientRect().width")) {
		t.Error("the QR code is scaled, not drawn at its native size")
	}
	if got := b.visible(`[data-testid="otpauth-link"]`); got != b.phone {
		t.Errorf("the authenticator-app link is visible: %v, want it only on a phone (phone: %v)", got, b.phone)
	}
	type lines struct {
		Lines     int     `json:"lines"`
		MaxOffset float64 `json:"maxOffset"`
	}
	wrap := run(b, "secret lines", chromedp.Evaluate[lines](`(() => {
		const spans = [...document.querySelectorAll('[data-testid="mfa-secret"] span')];
		const first = spans[0].getBoundingClientRect().left, starts = new Map();
		for (const s of spans) {
			const r = s.getBoundingClientRect(), top = Math.round(r.top);
			if (!starts.has(top) || r.left < starts.get(top)) starts.set(top, r.left);
		}
		const lefts = [...starts.values()];
		return {lines: lefts.length, maxOffset: Math.max(...lefts.map(l => Math.abs(l - first)))};
	})()`))
	if wrap.MaxOffset > 0.5 {
		t.Errorf("a line of the grouped secret starts %.1f px further in than the first (%d lines)", wrap.MaxOffset, wrap.Lines)
	}
	if b.phone && wrap.Lines < 2 {
		t.Errorf("the secret fits one line on a phone (%d): the wrap is not tested", wrap.Lines)
	}
}

// helpdeskPages visits the pages people keep users enrolled with: each must
// render in the page language and pass the accessibility check.
func helpdeskPages(t *testing.T, b *tab, lang string) {
	t.Helper()
	for _, pg := range []struct{ path, want, shot string }{
		{"/dashboard", `[data-testid="status-count"]`, "21-dashboard"},
		{"/users/newhire", `[data-testid="action-reset-mfa"]`, "22-user"},
		{"/policy", `[data-testid="policy-status"]`, "23-policy"},
		{"/policy?user=newhire", `[data-testid="matrix-row"]`, "24-policy-matrix"},
		{"/devices", `main h1`, "25-devices"},
		{"/audit", `main h1`, "26-audit"},
		{"/posture", `[data-testid="control"]`, "27-posture"},
		{"/operators", `main h1`, "27-operators"},
		{"/users/bulk", `main h1`, "28-bulk"},
	} {
		if pg.path == "/posture" {
			// The posture is recorded by a sync; the chart needs one point.
			b.open("/dashboard")
			b.submitTo(testid("action-sync"), testid("sync-detail"))
		}
		b.open(pg.path)
		if b.count(pg.want) == 0 {
			t.Errorf("%s shows no %s", pg.path, pg.want)
		}
		b.page(pg.shot, lang)
	}
}
