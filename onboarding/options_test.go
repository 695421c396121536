package onboarding_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/policy"
)

func TestAdvancedOptions(t *testing.T) {
	ctx := context.Background()
	t.Run("path and forced reset reach IAM", func(t *testing.T) {
		e := newEnv(t)
		h, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "carol", Path: "/eng/", PasswordResetRequired: true})
		if err != nil {
			t.Fatal(err)
		}
		u, err := e.iam.GetUser(ctx, "carol")
		if err != nil || u.Path != "/eng/" {
			t.Fatalf("IAM user path %q (%v), want /eng/", u.Path, err)
		}
		if got, want := h.User.ARN, "arn:aws:iam::"+e.emu.AccountID()+":user/eng/carol"; got != want {
			t.Fatalf("recorded ARN %q, want %q", got, want)
		}
		if _, err := e.svc.ClaimInvite(ctx, h.InviteToken, "", "req"); err != nil {
			t.Fatal(err)
		}
		if reset, err := e.iam.LoginProfileResetRequired(ctx, "carol"); err != nil || !reset {
			t.Fatalf("PasswordResetRequired = %v (%v), want true", reset, err)
		}
	})
	t.Run("defaults stay: path / and no forced reset", func(t *testing.T) {
		e := newEnv(t)
		h, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "dave"})
		if err != nil {
			t.Fatal(err)
		}
		if u, _ := e.iam.GetUser(ctx, "dave"); u.Path != "/" {
			t.Fatalf("path %q, want /", u.Path)
		}
		if _, err := e.svc.ClaimInvite(ctx, h.InviteToken, "", "req"); err != nil {
			t.Fatal(err)
		}
		if reset, err := e.iam.LoginProfileResetRequired(ctx, "dave"); err != nil || reset {
			t.Fatalf("PasswordResetRequired = %v (%v), want false", reset, err)
		}
	})
	t.Run("a resumed saga keeps the path", func(t *testing.T) {
		e := newEnv(t)
		e.emu.FailNext("CreateUser", "ServiceFailure", 3) // the SDK retries twice
		if _, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "erin", Path: "/ops/"}); err == nil {
			t.Fatal("onboarding survived a failed CreateUser")
		}
		if _, err := e.svc.Resume(ctx, admin, "erin"); err != nil {
			t.Fatal(err)
		}
		if u, err := e.iam.GetUser(ctx, "erin"); err != nil || u.Path != "/ops/" {
			t.Fatalf("path %q (%v), want /ops/", u.Path, err)
		}
	})
	t.Run("an invalid path is a field error", func(t *testing.T) {
		e := newEnv(t)
		_, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "frank", Path: "eng"})
		var pe *portal.Error
		if got, want := portal.ErrorCode(err), portal.EINVALID; got != want {
			t.Fatalf("code %q (%v), want %q", got, err, want)
		}
		if ok := errors.As(err, &pe); !ok || pe.Field != "path" {
			t.Fatalf("error %v, want a path field error", err)
		}
	})
}

func TestOptionWarnings(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	for _, tc := range []struct {
		name  string
		path  string
		reset bool
		want  []string
	}{
		{"defaults warn about nothing", "/", false, nil},
		{"a path loses the user statements", "/eng/", false, []string{"user-path-not-covered"}},
		{"a forced reset deadlocks", "/", true, []string{"password-reset-deadlock"}},
		{"both warn twice", "/eng/", true, []string{"user-path-not-covered", "password-reset-deadlock"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := e.svc.OptionWarnings(ctx, tc.path, tc.reset)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, f.ID)
			}
			if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) || (len(got) > 1 && got[1] != tc.want[1]) {
				t.Fatalf("findings %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("a live policy that covers paths does not warn", func(t *testing.T) {
		fixed := strings.ReplaceAll(policy.Seed, `"arn:aws:iam::*:user/${aws:username}"`, `["arn:aws:iam::*:user/${aws:username}","arn:aws:iam::*:user/*/${aws:username}"]`)
		if _, err := e.iam.CreatePolicy(ctx, policy.SeedName, fixed, "paths"); err != nil {
			t.Fatal(err)
		}
		fs, err := e.svc.OptionWarnings(ctx, "/eng/", false)
		if err != nil || len(fs) != 0 {
			t.Fatalf("findings %+v (%v), want none", fs, err)
		}
	})
}
