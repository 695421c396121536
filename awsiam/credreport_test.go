package awsiam

import (
	"testing"
	"time"
)

func TestParseCredentialReport(t *testing.T) {
	csv := "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active," +
		"access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service," +
		"access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service," +
		"cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n" +
		"<root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,false,true,2020-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n" +
		"alice,arn:aws:iam::1:user/alice,2024-05-01T10:00:00+00:00,true,2024-05-02T08:30:00+00:00,2024-05-01T10:00:00+00:00,N/A,true,false,2024-05-03T00:00:00+00:00,2024-05-04T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n" +
		"bob,arn:aws:iam::1:user/bob,2024-05-01T10:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
	rep, err := ParseCredentialReport([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rep.Rows), 2; got != want {
		t.Fatalf("rows = %d, want %d (root row skipped)", got, want)
	}
	a, b := rep.Rows[0], rep.Rows[1]
	t.Run("a user with a password, MFA and a key", func(t *testing.T) {
		if !a.PasswordEnabled || !a.MFAActive || !a.PasswordLastUsed.Equal(time.Date(2024, 5, 2, 8, 30, 0, 0, time.UTC)) {
			t.Fatalf("alice = %+v", a)
		}
		if len(a.Keys) != 1 || a.Keys[0].Active || a.Keys[0].LastService != "s3" || a.Keys[0].LastUsed.IsZero() {
			t.Fatalf("alice's keys = %+v", a.Keys)
		}
	})
	t.Run("the root row is kept apart", func(t *testing.T) {
		r := rep.Root
		if r == nil || r.User != RootUser || r.ARN != "arn:aws:iam::1:root" || r.MFAActive || r.PasswordEnabled {
			t.Fatalf("root = %+v", r)
		}
		if len(r.Keys) != 1 || !r.Keys[0].Active {
			t.Fatalf("root keys = %+v, want one active", r.Keys)
		}
	})
	t.Run("N/A becomes zero values", func(t *testing.T) {
		if b.PasswordEnabled || !b.PasswordLastUsed.IsZero() || len(b.Keys) != 0 {
			t.Fatalf("bob = %+v", b)
		}
	})
}
