package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// A user may follow the seed's console walkthrough instead of the portal's
// MFA page; "Check my status" then asks IAM.
func TestConsolePathCheckStatus(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	inv := admin.onboard("console")
	u := e.newClient()
	u.follow(u.post(inv, nil))
	walk := u.follow(u.post("/enroll/password/saved", url.Values{"next": {"console"}}))
	link := "/enroll/console"
	if walk.status != http.StatusOK || !strings.Contains(walk.body, "Assign MFA device") {
		t.Fatalf("walkthrough: status %d", walk.status)
	}
	if post, _ := walk.doc.Find("#enroll-status").Attr("hx-post"); post != "/enroll/status" {
		t.Fatalf("the walkthrough does not poll the status (hx-post %q)", post)
	}
	ja := u.get(link + "?lang=ja")
	if lang, _ := ja.doc.Find("html").Attr("lang"); lang != "ja" || !strings.Contains(ja.body, "MFAを割り当てる") {
		t.Fatalf("Japanese walkthrough: lang %q", lang)
	}

	t.Run("before the console step it says not yet", func(t *testing.T) {
		p := u.post("/enroll/status", nil)
		if p.status != http.StatusOK || !strings.Contains(p.body, "does not show an MFA device") && !strings.Contains(p.body, "MFA デバイスがありません") {
			t.Fatalf("status %d", p.status)
		}
	})
	poll := func() *page {
		t.Helper()
		req, _ := http.NewRequest("POST", u.url("/enroll/status"), nil)
		req.Header.Set("HX-Request", "true") // what htmx sends every 10 s
		return u.do(req)
	}
	t.Run("the page's background poll answers a fragment that keeps polling", func(t *testing.T) {
		p := poll()
		if p.status != http.StatusOK || p.header.Get("HX-Redirect") != "" {
			t.Fatalf("status %d, HX-Redirect %q", p.status, p.header.Get("HX-Redirect"))
		}
		if p.doc.Find("header.top").Length() > 0 {
			t.Fatal("the poll answered a whole page, not a fragment")
		}
		if trig, _ := p.doc.Find("#enroll-status").Attr("hx-trigger"); !strings.Contains(trig, "every") {
			t.Fatalf("the fragment stops polling (hx-trigger %q)", trig)
		}
	})
	t.Run("after enrolling in the console the portal notices", func(t *testing.T) {
		// What the console does on the user's behalf.
		dev, err := e.iam.CreateVirtualMFADevice(ctx, "console-phone")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		if err := e.iam.EnableMFADevice(ctx, "console", dev.Serial, code(t, dev.Secret, now.Add(-30*time.Second)), code(t, dev.Secret, now)); err != nil {
			t.Fatal(err)
		}
		if p := poll(); p.header.Get("HX-Redirect") != "/enroll/done" {
			t.Fatalf("the background poll did not send the browser to the done page (HX-Redirect %q)", p.header.Get("HX-Redirect"))
		}
		p := u.post("/enroll/status?lang=en", nil)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/enroll/done" {
			t.Fatalf("status %d, location %q", p.status, p.header.Get("Location"))
		}
		if got := u.get("/enroll/done").testid("mfa-serial"); got != dev.Serial {
			t.Fatalf("done page serial %q, want %q", got, dev.Serial)
		}
		if got := admin.statusOf("console"); got != "enrolled" {
			t.Fatalf("status list says %q", got)
		}
	})
}
