package awsiam

import (
	"strings"
	"testing"
)

// FuzzParseCredentialReport: a report of any shape — columns missing,
// reordered or added, odd timestamps, ragged rows — parses or fails without
// a panic, never yields the root account as a user, and never more than the
// two access-key slots a user has.
func FuzzParseCredentialReport(f *testing.F) {
	header := "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active," +
		"access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service," +
		"access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service," +
		"cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n"
	f.Add(header +
		"<root_account>,arn:aws:iam::123456789012:root,2026-01-01T00:00:00+00:00,not_supported,2026-11-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n" +
		"alice,arn:aws:iam::123456789012:user/alice,2026-11-01T10:00:00+00:00,true,no_information,2026-11-01T10:00:00+00:00,N/A,false,true,2026-11-02T00:00:00+00:00,2026-11-03T00:00:00+00:00,us-east-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n")
	f.Add("mfa_active,user\ntrue,bob\nfalse\n")
	f.Add("user\n\"unterminated\n")
	f.Add("access_key_1_last_rotated,user,access_key_1_last_used_service\n2026-11-02T00:00:00Z,carol,N/A\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, content string) {
		rep, err := ParseCredentialReport([]byte(content))
		if err != nil {
			return
		}
		if len(rep.Rows) > strings.Count(content, "\n")+strings.Count(content, "\r")+1 {
			t.Fatalf("%d rows from %d lines", len(rep.Rows), strings.Count(content, "\n")+1)
		}
		for _, r := range rep.Rows {
			if r.User == "<root_account>" {
				t.Fatal("the root account came back as a user")
			}
			if len(r.Keys) > 2 {
				t.Fatalf("%s has %d access keys", r.User, len(r.Keys))
			}
			for _, k := range r.Keys {
				if k.LastRotated.IsZero() {
					t.Fatalf("%s: a key slot without a rotation time", r.User)
				}
			}
		}
	})
}
