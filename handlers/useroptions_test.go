package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
)

func TestOnboardingFormWarnings(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	form := func(name string, extra url.Values) url.Values {
		v := url.Values{"user_name": {name}}
		for k, vs := range extra {
			v[k] = vs
		}
		return v
	}
	nothingCreated := func(t *testing.T, name string) {
		t.Helper()
		if _, err := e.store.FindUserByName(ctx, name); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("a user record exists for %s (%v)", name, err)
		}
		if _, err := e.iam.GetUser(ctx, name); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("an IAM user exists for %s (%v)", name, err)
		}
	}
	t.Run("the form offers the advanced options with safe defaults", func(t *testing.T) {
		p := admin.get("/users/new")
		if v, _ := p.doc.Find(`input[name="path"]`).Attr("value"); v != "/" {
			t.Fatalf("path default %q, want /", v)
		}
		if _, checked := p.doc.Find(`input[name="password_reset_required"]`).Attr("checked"); checked {
			t.Fatal("forced reset is on by default")
		}
	})
	for _, tc := range []struct {
		name    string
		user    string
		options url.Values
		finding string
	}{
		{"a path warns that the user statements do not match", "pathuser", url.Values{"path": {"/eng/"}}, "user-path-not-covered"},
		{"a forced reset warns about the lock-out", "resetuser", url.Values{"password_reset_required": {"true"}}, "password-reset-deadlock"},
	} {
		t.Run(tc.name+"; nothing is created without confirmation", func(t *testing.T) {
			p := admin.post("/users", form(tc.user, tc.options))
			if got, want := p.status, http.StatusUnprocessableEntity; got != want {
				t.Fatalf("status %d, want %d", got, want)
			}
			if p.testid("form-warning") == "" {
				t.Fatal("no warning shown")
			}
			f := p.doc.Find(`[data-testid="lint-finding"][data-id="` + tc.finding + `"]`)
			if f.Length() != 1 || !strings.Contains(f.Text(), "Fix:") {
				t.Fatalf("finding %s shown %d times: %q", tc.finding, f.Length(), f.Text())
			}
			if p.doc.Find(`input[name="confirm_warnings"]`).Length() != 1 {
				t.Fatal("no confirmation checkbox")
			}
			nothingCreated(t, tc.user)
		})
	}
	t.Run("confirmed options create the user with them", func(t *testing.T) {
		p := admin.post("/users", form("confirmed", url.Values{"path": {"/eng/"}, "password_reset_required": {"true"}, "confirm_warnings": {"true"}}))
		if p.status != http.StatusCreated {
			t.Fatalf("status %d: %s", p.status, p.formError())
		}
		if u, err := e.iam.GetUser(ctx, "confirmed"); err != nil || u.Path != "/eng/" {
			t.Fatalf("IAM path %q (%v), want /eng/", u.Path, err)
		}
		invitee := e.newClient()
		if c := invitee.post(p.testid("invite-url"), nil); c.status != http.StatusSeeOther {
			t.Fatalf("claim: status %d: %s", c.status, c.formError())
		}
		if reset, err := e.iam.LoginProfileResetRequired(ctx, "confirmed"); err != nil || !reset {
			t.Fatalf("PasswordResetRequired %v (%v), want true", reset, err)
		}
		events, _ := e.store.FindAuditEvents(ctx, portal.AuditFilter{Target: "confirmed", Action: "user.options"})
		if len(events) != 1 || !strings.Contains(i18n.Stored(i18n.EN, events[0].Text, events[0].Detail), "path=/eng/") {
			t.Fatalf("options not audited: %+v", events)
		}
	})
	t.Run("an invalid path is a field error, not a warning", func(t *testing.T) {
		p := admin.post("/users", form("badpath", url.Values{"path": {"eng"}, "confirm_warnings": {"true"}}))
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "starts and ends with") {
			t.Fatalf("status %d, error %q", p.status, p.formError())
		}
		nothingCreated(t, "badpath")
	})
	t.Run("default options need no confirmation", func(t *testing.T) {
		p := admin.post("/users", form("plain", url.Values{"path": {"/"}}))
		if p.status != http.StatusCreated || p.testid("form-warning") != "" {
			t.Fatalf("status %d, warning %q", p.status, p.testid("form-warning"))
		}
	})
}
