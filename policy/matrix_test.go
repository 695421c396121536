package policy

import "testing"

func TestMatrixOnSeed(t *testing.T) {
	rows := Matrix([]Source{seedSource()}, "test", "AIDAEXAMPLETEST", "123456789012", nil)
	if got, want := len(rows), len(MatrixActions); got != want {
		t.Fatalf("rows = %d, want %d", got, want)
	}
	if got, want := len(SeedGrantedActions), 18; got != want {
		t.Fatalf("granted actions = %d, want %d", got, want)
	}
	byAction := map[string]MatrixRow{}
	for _, r := range rows {
		byAction[r.Action] = r
	}
	beforeMFA := map[string]bool{
		"iam:GetUser": true, "iam:EnableMFADevice": true, "iam:ListMFADevices": true, "iam:ResyncMFADevice": true,
		"iam:ListVirtualMFADevices": true, "iam:CreateVirtualMFADevice": true,
	}
	for _, a := range SeedGrantedActions {
		t.Run(a+" is allowed after MFA", func(t *testing.T) {
			r := byAction[a]
			if got, want := r.MFA.Decision, Allowed; got != want {
				t.Fatalf("MFA = %s, want %s (resource %s)", got, want, r.Resource)
			}
			want := ExplicitDeny
			if beforeMFA[a] {
				want = Allowed
			}
			if got := r.LongTerm.Decision; got != want {
				t.Fatalf("long-term = %s, want %s", got, want)
			}
			if got := r.NoMFA.Decision; got != want {
				t.Fatalf("no-MFA = %s, want %s", got, want)
			}
		})
	}
	cases := []struct {
		action       string
		lt, nomfa, m Decision
		override     bool
	}{
		{"iam:ChangePassword", ExplicitDeny, ExplicitDeny, Allowed, false},
		{"iam:DeleteVirtualMFADevice", ExplicitDeny, ExplicitDeny, ImplicitDeny, false},
		{"iam:ListUsers", ExplicitDeny, ExplicitDeny, ImplicitDeny, false},
		{"codecommit:GitPull", ExplicitDeny, ExplicitDeny, ImplicitDeny, false},
		{"sts:GetSessionToken", ImplicitDeny, ImplicitDeny, ImplicitDeny, true},
		{"sts:GetCallerIdentity", ExplicitDeny, ExplicitDeny, ImplicitDeny, true},
	}
	for _, c := range cases {
		t.Run(c.action+" row", func(t *testing.T) {
			r := byAction[c.action]
			got := [3]Decision{r.LongTerm.Decision, r.NoMFA.Decision, r.MFA.Decision}
			if want := [3]Decision{c.lt, c.nomfa, c.m}; got != want {
				t.Fatalf("LT/NOMFA/MFA = %v, want %v", got, want)
			}
			if got, want := r.Override != "", c.override; got != want {
				t.Fatalf("override = %q, want present=%v", r.Override, want)
			}
		})
	}
	t.Run("ChangePassword is denied by the MFA statement and allowed by OwnPwd", func(t *testing.T) {
		r := byAction["iam:ChangePassword"]
		if got, want := r.LongTerm.Matched[0].Sid, "DenyAllExceptListedIfNoMFA"; got != want {
			t.Fatalf("LT matched %q, want %q", got, want)
		}
		if got, want := r.MFA.Matched[0].Sid, "AllowManageOwnPasswords"; got != want {
			t.Fatalf("MFA matched %q, want %q", got, want)
		}
		if got, want := r.Resource, "arn:aws:iam::123456789012:user/test"; got != want {
			t.Fatalf("resource = %q, want %q", got, want)
		}
	})
}
