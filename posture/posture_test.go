package posture

import (
	"reflect"
	"testing"
	"time"
)

var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func daysAgo(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour) }

const adminDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
const s3Doc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`

func TestEvaluate_EachControlNamesItsFailingUsers(t *testing.T) {
	own := "arn:aws:iam::123456789012:policy/forced-mfa"
	f := Facts{
		ReportAt: now.Add(-time.Hour),
		Users: []User{
			{Name: "nomfa", Created: daysAgo(10), PasswordEnabled: true, PasswordLastUsed: daysAgo(1), Attached: []string{own}},
			{Name: "good", Created: daysAgo(400), PasswordEnabled: true, PasswordLastUsed: daysAgo(1), MFAActive: true,
				Keys: []Key{{Active: true, LastRotated: daysAgo(30), LastUsed: daysAgo(1)}, {Active: false, LastRotated: daysAgo(300)}}, Groups: []string{"Devs"}},
			{Name: "stale", Created: daysAgo(200), Keys: []Key{{Active: true, LastRotated: daysAgo(100)}}},
			{Name: "twokeys", Created: daysAgo(20), Keys: []Key{{Active: true, LastRotated: daysAgo(20), LastUsed: daysAgo(1)}, {Active: true, LastRotated: daysAgo(5), LastUsed: daysAgo(1)}},
				Attached: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}},
			{Name: "idlepw", Created: daysAgo(100), PasswordEnabled: true, MFAActive: true, PasswordLastUsed: daysAgo(50), Inline: []string{"x"}},
			{Name: "newpw", Created: daysAgo(3), PasswordEnabled: true, MFAActive: true,
				Keys: []Key{{Active: true, LastRotated: daysAgo(3)}}, Groups: []string{"admins"}},
		},
		Root:           &Root{ActiveKeys: 1},
		PasswordPolicy: &PasswordPolicy{Custom: true, MinLength: 14, ReusePrevention: 5},
		PoliciesKnown:  true,
		Policies: []Policy{
			{ARN: "arn:aws:iam::aws:policy/AdministratorAccess", Name: "AdministratorAccess", AWSManaged: true, Document: adminDoc},
			{ARN: "arn:aws:iam::123456789012:policy/Everything", Name: "Everything", Document: adminDoc},
			{ARN: "arn:aws:iam::123456789012:policy/S3", Name: "S3", Document: s3Doc},
		},
		Groups:    []Group{{Name: "Admins", Attached: []string{"arn:aws:iam::123456789012:policy/Everything"}}, {Name: "Devs", Attached: []string{"arn:aws:iam::123456789012:policy/S3"}}},
		OwnPolicy: own,
	}
	r := Evaluate(f, now)
	want := map[string]struct {
		res   Result
		users []string
	}{
		ConsoleMFA:     {Fail, []string{"nomfa"}},
		RootAccessKey:  {Fail, nil},
		RootMFA:        {Fail, nil},
		PasswordLength: {Pass, nil},
		PasswordReuse:  {Fail, nil},
		UnusedConsole:  {Fail, []string{"idlepw"}},
		UnusedKey:      {Fail, []string{"stale"}},
		TwoKeys:        {Fail, []string{"twokeys"}},
		KeyRotation:    {Fail, []string{"stale"}},
		InitialKey:     {Fail, []string{"newpw"}},
		GroupsOnly:     {Fail, []string{"idlepw", "twokeys"}},
		AWSAdmin:       {Fail, []string{"twokeys"}},
		CustomerAdmin:  {Fail, []string{"newpw"}},
	}
	if len(r.Findings) != len(Controls) {
		t.Fatalf("%d findings for %d controls", len(r.Findings), len(Controls))
	}
	for id, w := range want {
		fd := r.Finding(id)
		if fd == nil {
			t.Fatalf("no finding for %s", id)
		}
		if fd.Result != w.res || !reflect.DeepEqual(fd.Users, w.users) {
			t.Errorf("%s = %s %v, want %s %v", id, fd.Result, fd.Users, w.res, w.users)
		}
	}
	if got := r.Finding(AWSAdmin).Policy; !reflect.DeepEqual(got, []string{"AdministratorAccess"}) {
		t.Errorf("AWS admin policies = %v", got)
	}
	if got := r.Finding(CustomerAdmin).Policy; !reflect.DeepEqual(got, []string{"Everything"}) {
		t.Errorf("customer admin policies = %v", got)
	}
	if r.ConsoleUsers != 4 || r.ConsoleMFA != 3 || r.Coverage() != 75 {
		t.Errorf("console %d, with MFA %d, coverage %v", r.ConsoleUsers, r.ConsoleMFA, r.Coverage())
	}
	// GroupsOnly is informational: 11 failing controls, not 12.
	if got := r.Failing(); got != 11 {
		t.Errorf("failing controls = %d, want 11", got)
	}
}

func TestEvaluate_MissingFactsAreUnknownNeverPass(t *testing.T) {
	r := Evaluate(Facts{Users: []User{{Name: "a", Created: daysAgo(1)}}}, now)
	for _, id := range []string{RootAccessKey, RootMFA, PasswordLength, PasswordReuse, GroupsOnly, AWSAdmin, CustomerAdmin} {
		if got := r.Finding(id).Result; got != Unknown {
			t.Errorf("%s = %s, want unknown", id, got)
		}
	}
	if got := r.Finding(ConsoleMFA).Result; got != Pass {
		t.Errorf("console MFA with no console user = %s", got)
	}
	if r.Coverage() != 100 {
		t.Errorf("coverage with no console user = %v", r.Coverage())
	}
}

func TestEvaluate_NoCustomPasswordPolicyFails(t *testing.T) {
	r := Evaluate(Facts{PasswordPolicy: &PasswordPolicy{MinLength: 8}, Root: &Root{MFAActive: true}}, now)
	for id, want := range map[string]Result{PasswordLength: Fail, PasswordReuse: Fail, RootMFA: Pass, RootAccessKey: Pass} {
		if got := r.Finding(id).Result; got != want {
			t.Errorf("%s = %s, want %s", id, got, want)
		}
	}
}

func TestEvaluate_Thresholds(t *testing.T) {
	// One day inside each limit passes; the limit itself fails.
	at := func(d time.Duration) []User {
		return []User{{Name: "u", Created: now.Add(-d), PasswordEnabled: true, MFAActive: true, Keys: []Key{{Active: true, LastRotated: now.Add(-d), LastUsed: now.Add(-time.Hour)}}}}
	}
	if r := Evaluate(Facts{Users: at(UnusedAfter - 24*time.Hour)}, now); r.Finding(UnusedConsole).Result != Pass {
		t.Error("a password 44 days old and never used fails")
	}
	if r := Evaluate(Facts{Users: at(UnusedAfter)}, now); r.Finding(UnusedConsole).Result != Fail {
		t.Error("a password 45 days old and never used passes")
	}
	if r := Evaluate(Facts{Users: at(RotateAfter - 24*time.Hour)}, now); r.Finding(KeyRotation).Result != Pass {
		t.Error("an 89-day key fails rotation")
	}
	if r := Evaluate(Facts{Users: at(RotateAfter)}, now); r.Finding(KeyRotation).Result != Fail || r.Finding(UnusedKey).Result != Pass {
		t.Error("a 90-day key used an hour ago: rotation must fail, unused must pass")
	}
	old := at(UnusedAfter + 24*time.Hour)
	old[0].PasswordChanged = now.Add(-24 * time.Hour)
	if r := Evaluate(Facts{Users: old}, now); r.Finding(UnusedConsole).Result != Pass {
		t.Error("a password set yesterday for an old user fails as unused")
	}
}

func TestFullAdmin(t *testing.T) {
	for doc, want := range map[string]bool{
		adminDoc: true,
		s3Doc:    false,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","*"],"Resource":["*"]}]}`: true,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`:                 false,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b"}]}`:   false,
		`not json`: false,
	} {
		if got := FullAdmin(doc); got != want {
			t.Errorf("FullAdmin(%s) = %v", doc, got)
		}
	}
}
