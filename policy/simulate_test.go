package policy

import (
	"errors"
	"slices"
	"testing"
)

func seedSource() Source {
	return Source{ID: SeedName, Type: "user-managed", Doc: MustParseSeed()}
}

func TestSimulate(t *testing.T) {
	const user = "arn:aws:iam::123456789012:user/test"
	t.Run("long-term key: results per action and resource, missing MFA key reported", func(t *testing.T) {
		res, err := Simulate(SimulateInput{
			Policies:     []Source{seedSource()},
			ActionNames:  []string{"iam:ChangePassword", "iam:GetUser"},
			ResourceArns: []string{user, "*"},
			CallerArn:    user,
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(res), 4; got != want {
			t.Fatalf("results = %d, want %d", got, want)
		}
		var got []string
		for _, r := range res {
			got = append(got, r.EvalActionName+" "+r.EvalResourceName+" "+r.EvalDecision.String())
		}
		want := []string{
			"iam:ChangePassword " + user + " explicitDeny",
			"iam:ChangePassword * explicitDeny",
			"iam:GetUser " + user + " allowed",
			"iam:GetUser * implicitDeny",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("results = %q, want %q", got, want)
		}
		first := res[0]
		if got, want := len(first.MissingContextValues), 0; got != want {
			t.Fatalf("explicit resource has %d top-level missing values, want %d", got, want)
		}
		if got, want := len(first.ResourceSpecificResults), 1; got != want {
			t.Fatalf("resource-specific results = %d, want %d", got, want)
		}
		rs := first.ResourceSpecificResults[0]
		if got, want := rs.MissingContextValues, []string{"aws:MultiFactorAuthPresent"}; !slices.Equal(got, want) {
			t.Fatalf("resource-specific missing = %q, want %q", got, want)
		}
		if got, want := rs.EvalResourceDecision, ExplicitDeny; got != want {
			t.Fatalf("resource-specific decision = %s, want %s", got, want)
		}
		if got, want := res[3].MissingContextValues, []string{"aws:MultiFactorAuthPresent"}; !slices.Equal(got, want) {
			t.Fatalf("star resource missing = %q, want %q", got, want)
		}
	})
	t.Run("matched deny statement names its policy and position", func(t *testing.T) {
		res, err := Simulate(SimulateInput{Policies: []Source{seedSource()}, ActionNames: []string{"s3:ListAllMyBuckets"}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(res[0].MatchedStatements), 1; got != want {
			t.Fatalf("matched = %d, want %d", got, want)
		}
		m := res[0].MatchedStatements[0]
		if got, want := m.SourcePolicyID+"/"+m.SourcePolicyType+"/"+m.Sid, SeedName+"/user-managed/DenyAllExceptListedIfNoMFA"; got != want {
			t.Fatalf("matched = %s, want %s", got, want)
		}
		if got, want := [2]Position{m.StartPosition, m.EndPosition}, [2]Position{{8, 2}, {8, 308}}; got != want {
			t.Fatalf("positions = %v, want %v (one past each brace)", got, want)
		}
	})
	t.Run("MFA session entries allow and leave nothing missing", func(t *testing.T) {
		res, err := Simulate(SimulateInput{
			Policies:     []Source{seedSource()},
			ActionNames:  []string{"iam:ChangePassword"},
			ResourceArns: []string{user},
			ContextEntries: []ContextEntry{
				{Key: "aws:MultiFactorAuthPresent", Type: "boolean", Values: []string{"true"}},
				{Key: "aws:MultiFactorAuthAge", Type: "numeric", Values: []string{"300"}},
				{Key: "aws:username", Type: "string", Values: []string{"test"}},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res[0].EvalDecision, Allowed; got != want {
			t.Fatalf("decision = %s, want %s", got, want)
		}
		if got := res[0].ResourceSpecificResults[0].MissingContextValues; len(got) != 0 {
			t.Fatalf("missing = %q, want none", got)
		}
	})
	t.Run("without caller or username the variable key is missing", func(t *testing.T) {
		res, err := Simulate(SimulateInput{Policies: []Source{seedSource()}, ActionNames: []string{"iam:GetUser"}, ResourceArns: []string{user}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res[0].ResourceSpecificResults[0].MissingContextValues, []string{"aws:MultiFactorAuthPresent", "aws:username"}; !slices.Equal(got, want) {
			t.Fatalf("missing = %q, want %q", got, want)
		}
		if got, want := res[0].EvalDecision, ImplicitDeny; got != want {
			t.Fatalf("decision = %s, want %s", got, want)
		}
	})
	t.Run("list types carry several values", func(t *testing.T) {
		doc, err := Parse(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:CalledVia":"athena.amazonaws.com"}}}}`)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Simulate(SimulateInput{
			Policies:       []Source{{ID: "PolicyInputList.1", Type: "none", Doc: doc}},
			ActionNames:    []string{"s3:GetObject"},
			ContextEntries: []ContextEntry{{Key: "aws:CalledVia", Type: "stringList", Values: []string{"cloudformation.amazonaws.com", "athena.amazonaws.com"}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res[0].EvalDecision, Allowed; got != want {
			t.Fatalf("decision = %s, want %s", got, want)
		}
	})
}

func TestSimulateRejects(t *testing.T) {
	entry := func(key, typ string, vals ...string) []ContextEntry {
		return []ContextEntry{{Key: key, Type: typ, Values: vals}}
	}
	cases := []struct {
		name string
		in   SimulateInput
	}{
		{"no actions", SimulateInput{}},
		{"wildcard action", SimulateInput{ActionNames: []string{"iam:*"}}},
		{"action without service", SimulateInput{ActionNames: []string{"GetUser"}}},
		{"unknown context type", SimulateInput{ActionNames: []string{"iam:GetUser"}, ContextEntries: entry("aws:username", "text", "a")}},
		{"several values for a scalar type", SimulateInput{ActionNames: []string{"iam:GetUser"}, ContextEntries: entry("aws:username", "string", "a", "b")}},
		{"boolean that is not one", SimulateInput{ActionNames: []string{"iam:GetUser"}, ContextEntries: entry("aws:MultiFactorAuthPresent", "boolean", "yes")}},
		{"numeric that is not one", SimulateInput{ActionNames: []string{"iam:GetUser"}, ContextEntries: entry("aws:MultiFactorAuthAge", "numeric", "5m")}},
		{"bad ip", SimulateInput{ActionNames: []string{"iam:GetUser"}, ContextEntries: entry("aws:SourceIp", "ip", "1.2.3")}},
		{"bad date", SimulateInput{ActionNames: []string{"iam:GetUser"}, ContextEntries: entry("aws:CurrentTime", "date", "tomorrow")}},
		{"key name too short", SimulateInput{ActionNames: []string{"iam:GetUser"}, ContextEntries: entry("a:b", "string", "x")}},
		{"caller that is a role session", SimulateInput{ActionNames: []string{"iam:GetUser"}, CallerArn: "arn:aws:sts::123456789012:assumed-role/r/s"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Simulate(c.in)
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("error = %v, want ErrInvalidInput", err)
			}
		})
	}
}

func TestResourceFor(t *testing.T) {
	const caller = "arn:aws:iam::123456789012:user/test"
	cases := []struct{ action, principal, account, want string }{
		{"iam:ChangePassword", caller, "", caller},
		{"IAM:createaccesskey", caller, "", caller},
		{"iam:CreateVirtualMFADevice", caller, "", "arn:aws:iam::123456789012:mfa/test"},
		{"iam:DeleteVirtualMFADevice", caller, "210987654321", "arn:aws:iam::210987654321:mfa/test"},
		{"iam:ListUsers", caller, "", "*"},
		{"iam:GetAccountPasswordPolicy", caller, "", "*"},
		{"sts:GetCallerIdentity", caller, "", "*"},
		{"iam:GetUser", "arn:aws:iam::123456789012:user/eng/test", "", "arn:aws:iam::123456789012:user/eng/test"},
		{"iam:CreateVirtualMFADevice", "arn:aws:iam::123456789012:user/eng/test", "", "arn:aws:iam::123456789012:mfa/test"},
		{"iam:GetUser", "arn:aws-cn:iam::123456789012:user/test", "", "arn:aws-cn:iam::123456789012:user/test"},
		// Simulating a principal is authorized on that principal.
		{"iam:SimulatePrincipalPolicy", caller, "", caller},
		{"iam:SimulateCustomPolicy", caller, "", "*"},
		{"iam:GetAccessKeyLastUsed", caller, "", caller},
	}
	for _, c := range cases {
		t.Run(c.action+" for "+c.principal, func(t *testing.T) {
			if got := ResourceFor(c.action, c.principal, c.account); got != c.want {
				t.Fatalf("ResourceFor = %q, want %q", got, c.want)
			}
		})
	}
	t.Run("Override covers exactly the two STS exemptions", func(t *testing.T) {
		for action, want := range map[string]bool{"sts:GetCallerIdentity": true, "STS:getsessiontoken": true, "sts:AssumeRole": false, "iam:GetUser": false} {
			if d, _, ok := Override(action); ok != want || ok && d != Allowed {
				t.Fatalf("Override(%s) = %s, %v; want ok=%v", action, d, ok, want)
			}
		}
	})
}
