package browser_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	gh "github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
)

// TestInviteeByKeyboardThroughReloads completes the invitee's journey with
// the keyboard only (Tab to a control, Enter), and on the way meets every
// state a one-time screen can be in after a reload or Back: the password
// shown, the password no longer held (a new one set with one key), the
// step already passed, the MFA secret shown, and no longer held (the app's
// entry still works). Each state is checked with axe-core.
func TestInviteeByKeyboardThroughReloads(t *testing.T) {
	chromium(t)
	p := startPortal(t)
	h, err := p.onb.Onboard(context.Background(), onboarding.Actor{Name: "admin"}, gh.NewUser{UserName: "keys", DisplayName: "Kei Sato"})
	if err != nil {
		t.Fatal(err)
	}
	b := newTab(t, p.url, 1024, true)
	b.open("/invite/" + h.InviteToken)
	b.page("invite", "en")
	b.keyboard(testid("next"), testid("console-password"))
	first := b.text(testid("console-password"))
	b.page("password shown", "en")

	// The browser no longer holds the password (its cookie expired).
	b.forgetCookie("gh_pw")
	b.reload(testid("password-gone"))
	b.page("password no longer shown", "en")
	b.keyboard(testid("set-password"), testid("console-password"))
	if got := b.text(testid("console-password")); got == "" || got == first {
		t.Fatalf("a new password %q, want a fresh one", got)
	}
	b.keyboard(testid("next"), testid("mfa-secret"))
	secret := b.text(testid("mfa-secret"))
	b.page("MFA secret shown", "en")

	b.back(testid("password-saved"))
	b.page("password step passed", "en")
	b.keyboard(testid("next"), testid("mfa-secret"))
	if got := b.text(testid("mfa-secret")); got != secret {
		t.Fatalf("the MFA step shows %q after Back and Next, want the same secret", got)
	}

	// The browser no longer holds the seed; the app has the entry.
	b.forgetCookie("gh_seed")
	b.reload(testid("mfa-seed-gone"))
	b.page("MFA secret no longer shown", "en")
	for i := 0; run(b, "focus", chromedp.Evaluate[string]("document.activeElement.id")) != "code1"; i++ {
		if i == 60 {
			t.Fatal("Tab never reached the first code field")
		}
		b.do("Tab", chromedp.KeyEvent(kb.Tab))
	}
	now := time.Now()
	b.do("type the codes and press Enter",
		chromedp.KeyEvent(totpCode(t, secret, now.Add(-30*time.Second))),
		chromedp.KeyEvent(kb.Tab),
		chromedp.KeyEvent(totpCode(t, secret, now)),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitReady(testid("mfa-serial")))
	b.page("done", "en")
	b.reload(testid("mfa-serial"))
	b.back(testid("mfa-serial")) // Back from done lands on done: the MFA step is over
}
