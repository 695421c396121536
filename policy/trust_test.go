package policy

import (
	"errors"
	"testing"
)

func TestParseTrust(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		rule      Rule
		ok        bool
	}{
		{"account principal with external id", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}]}`, 0, true},
		{"star principal and sts wildcard", `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"sts:*"}}`, 0, true},
		{"service principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`, 0, true},
		{"no principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`, RuleNoPrincipal, false},
		{"a resource", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]}`, RuleProhibitedResource, false},
		{"an IAM action", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"iam:GetUser"}]}`, RuleTrustAction, false},
		{"a principal that is no ARN", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"sts:AssumeRole"}]}`, RuleInvalidPrincipal, false},
		{"a string principal other than star", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"111111111111","Action":"sts:AssumeRole"}]}`, RuleInvalidPrincipal, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTrust(tc.doc)
			if tc.ok {
				if err != nil {
					t.Fatalf("ParseTrust: %v", err)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Rule != tc.rule {
				t.Fatalf("err = %v, want rule %d", err, tc.rule)
			}
		})
	}
	t.Run("identity policies still refuse principals", func(t *testing.T) {
		if _, err := Parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`); err == nil {
			t.Fatal("Parse accepted a Principal")
		}
	})
}

func TestEvaluateTrust(t *testing.T) {
	const user = "arn:aws:iam::111111111111:user/hub"
	req := func(ext string) TrustRequest {
		ctx := map[string][]string{}
		if ext != "" {
			ctx["sts:ExternalId"] = []string{ext}
		}
		return TrustRequest{Action: "sts:AssumeRole", PrincipalArns: []string{user}, Account: "111111111111", Partition: "aws", Context: ctx}
	}
	doc := func(s string) *Document {
		d, err := ParseTrust(`{"Version":"2012-10-17","Statement":[` + s + `]}`)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		name, stmt, ext string
		want            Decision
		byArn           bool
	}{
		{"the account's root ARN names every principal", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}`, "", Allowed, false},
		{"a bare account id too", `{"Effect":"Allow","Principal":{"AWS":["222222222222","111111111111"]},"Action":"sts:AssumeRole"}`, "", Allowed, false},
		{"the user's ARN names it by ARN", `{"Effect":"Allow","Principal":{"AWS":"` + user + `"},"Action":"sts:AssumeRole"}`, "", Allowed, true},
		{"another account", `{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole"}`, "", ImplicitDeny, false},
		{"another user of the account", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/other"},"Action":"sts:AssumeRole"}`, "", ImplicitDeny, false},
		{"the right external id", `{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"e1"}}}`, "e1", Allowed, false},
		{"a wrong external id", `{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"e1"}}}`, "e2", ImplicitDeny, false},
		{"no external id", `{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"e1"}}}`, "", ImplicitDeny, false},
		{"a deny wins", `{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"` + user + `"},"Action":"sts:*"}`, "", ExplicitDeny, false},
		{"NotPrincipal excludes", `{"Effect":"Allow","NotPrincipal":{"AWS":"` + user + `"},"Action":"sts:AssumeRole"}`, "", ImplicitDeny, false},
		{"a service principal does not name a user", `{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`, "", ImplicitDeny, false},
		{"another action", `{"Effect":"Allow","Principal":"*","Action":"sts:TagSession"}`, "", ImplicitDeny, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := EvaluateTrust(req(tc.ext), doc(tc.stmt))
			if got.Decision != tc.want || got.Decision == Allowed && got.ByArn != tc.byArn {
				t.Fatalf("EvaluateTrust = %+v, want %v (by ARN %v)", got, tc.want, tc.byArn)
			}
		})
	}
}
