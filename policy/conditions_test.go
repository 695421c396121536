package policy

import (
	"fmt"
	"testing"
)

// TestConditionOperators runs the operator-level golden cases of
// docs/policy-evaluation.md#golden-tests through the documented template
// statement.
func TestConditionOperators(t *testing.T) {
	const (
		mfa   = "aws:MultiFactorAuthPresent"
		age   = "aws:MultiFactorAuthAge"
		team  = "aws:PrincipalTag/team"
		arn   = "aws:PrincipalArn"
		via   = "aws:CalledVia"
		ip    = "aws:SourceIp"
		owner = "aws:PrincipalTag/owner"
	)
	one := func(kv ...string) map[string][]string {
		m := map[string][]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = append(m[kv[i]], kv[i+1])
		}
		return m
	}
	cases := []struct {
		id, cond string
		ctx      map[string][]string
		holds    bool
	}{
		{"C01", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, one(mfa, "true"), true},
		{"C02", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, one(mfa, "false"), false},
		{"C03", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, nil, false},
		{"C04", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}`, nil, true},
		{"C05", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, nil, true},
		{"C06", `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, nil, false},
		{"C06b", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, one(mfa, "true"), false},
		{"C07", `{"Null":{"aws:MultiFactorAuthPresent":"true"}}`, nil, true},
		{"C08", `{"Null":{"aws:MultiFactorAuthPresent":"true"}}`, one(mfa, "false"), false},
		{"C09", `{"Null":{"aws:MultiFactorAuthPresent":"false"}}`, one(mfa, "false"), true},
		{"C10", `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, one(age, "300"), true},
		{"C11", `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, one(age, "7200"), false},
		{"C12", `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, nil, false},
		{"C13", `{"NumericLessThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}`, nil, true},
		{"C14", `{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}}`, nil, false},
		{"C15", `{"StringEquals":{"aws:PrincipalTag/team":"dev"}}`, one(team, "dev"), true},
		{"C16", `{"StringEquals":{"aws:PrincipalTag/team":"dev"}}`, one(team, "Dev"), false},
		{"C17", `{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"dev"}}`, one(team, "Dev"), true},
		{"C18", `{"StringEquals":{"aws:PrincipalTag/team":["dev","ops"]}}`, one(team, "ops"), true},
		{"C19", `{"StringNotEquals":{"aws:PrincipalTag/team":["dev","ops"]}}`, one(team, "qa"), true},
		{"C20", `{"StringNotEquals":{"aws:PrincipalTag/team":["dev","ops"]}}`, one(team, "ops"), false},
		{"C21", `{"StringNotEquals":{"aws:PrincipalTag/team":"dev"}}`, nil, true},
		{"C22", `{"StringLike":{"aws:PrincipalTag/team":"d?v*"}}`, one(team, "devops"), true},
		{"C23", `{"StringLike":{"aws:PrincipalTag/team":"dev"}}`, one(team, "devops"), false},
		{"C24", `{"StringEquals":{"aws:PrincipalTag/owner":"${aws:username}"}}`, one(owner, "test", "aws:username", "test"), true},
		{"C24b", `{"StringEquals":{"aws:PrincipalTag/owner":"${aws:username}"}}`, one(owner, "test"), false},
		{"C25", `{"StringEquals":{"aws:PrincipalTag/team":"dev","aws:PrincipalTag/env":"prod"}}`, one(team, "dev"), false},
		{"C26a", `{"Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, one(mfa, "true", age, "300"), true},
		{"C26b", `{"Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, one(mfa, "true", age, "7200"), false},
		{"C27", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/te*"}}`, one(arn, "arn:aws:iam::123456789012:user/test"), true},
		{"C28", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/*"}}`, one(arn, "arn:aws:iam::123456789012:role/x"), false},
		{"C28b", `{"StringLike":{"aws:PrincipalArn":"arn:aws:*:finance/*"}}`, one(arn, "arn:aws:iam::123456789012:user/a:finance/doc"), true},
		{"C28c", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:*:finance/*"}}`, one(arn, "arn:aws:iam::123456789012:user/a:finance/doc"), false},
		{"C29", `{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, one("aws:CurrentTime", "2021-06-01T00:00:00Z"), true},
		{"C30", `{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, nil, false},
		{"C31", `{"ForAnyValue:StringEquals":{"aws:CalledVia":["athena.amazonaws.com"]}}`, one(via, "athena.amazonaws.com", via, "cloudformation.amazonaws.com"), true},
		{"C32", `{"ForAllValues:StringEquals":{"aws:CalledVia":["athena.amazonaws.com"]}}`, one(via, "athena.amazonaws.com", via, "cloudformation.amazonaws.com"), false},
		{"C33", `{"ForAllValues:StringEquals":{"aws:CalledVia":["athena.amazonaws.com"]}}`, nil, true},
		{"C34", `{"ForAnyValue:StringEquals":{"aws:CalledVia":["athena.amazonaws.com"]}}`, nil, false},
		{"C35", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, one(ip, "203.0.113.7"), true},
		{"C36", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, one(ip, "198.51.100.1"), false},
		{"C37", `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, nil, true},
		{"C38", `{"StringNotLike":{"aws:PrincipalTag/team":"dev*"}}`, nil, true},
		{"C39", `{"StringNotEqualsIfExists":{"aws:PrincipalTag/team":"dev"}}`, nil, true},
		// Beyond the golden cases: behaviour AWS's operator table documents.
		{"empty ForAnyValue set is false", `{"ForAnyValue:StringEquals":{"aws:TagKeys":"a"}}`, map[string][]string{"aws:TagKeys": {}}, false},
		{"ForAnyValue negated needs one outsider", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, one("aws:TagKeys", "a", "aws:TagKeys", "c"), true},
		{"ForAllValues StringLike every value", `{"ForAllValues:StringLike":{"aws:TagKeys":"env*"}}`, one("aws:TagKeys", "env", "aws:TagKeys", "env2"), true},
		{"numeric decimals compare by value", `{"NumericEquals":{"s3:max-keys":"10.0"}}`, one("s3:max-keys", "10"), true},
		{"numeric JSON number value", `{"NumericGreaterThanEquals":{"s3:max-keys":10}}`, one("s3:max-keys", "11"), true},
		{"numeric garbage does not match", `{"NumericEquals":{"s3:max-keys":"10"}}`, one("s3:max-keys", "ten"), false},
		{"date epoch seconds", `{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, one("aws:CurrentTime", "1500000000"), true},
		{"date equals other zone", `{"DateEquals":{"aws:CurrentTime":"2020-01-01T09:00:00+09:00"}}`, one("aws:CurrentTime", "2020-01-01T00:00:00Z"), true},
		{"ipv6 cidr", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, one(ip, "2001:db8::1"), true},
		{"bare ip is a single host", `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, one(ip, "203.0.113.8"), false},
		{"binary equals base64", `{"BinaryEquals":{"k:bin":"QmluYXJ5VmFsdWU="}}`, one("k:bin", "QmluYXJ5VmFsdWU="), true},
		{"binary differs", `{"BinaryEquals":{"k:bin":"QmluYXJ5VmFsdWU="}}`, one("k:bin", "b3RoZXI="), false},
		{"ArnNotLike missing key holds", `{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/*"}}`, nil, true},
		{"ArnEquals matches like ArnLike", `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::*:user/*"}}`, one(arn, "arn:aws:iam::1:user/x"), true},
		{"StringEquals star is literal", `{"StringEquals":{"aws:PrincipalTag/team":"d*"}}`, one(team, "dev"), false},
		{"variable default in condition", `{"StringEquals":{"aws:PrincipalTag/team":"${aws:PrincipalTag/dept, 'dev'}"}}`, one(team, "dev"), true},
		{"StringLike substituted star is literal", `{"StringLike":{"aws:PrincipalTag/team":"${aws:PrincipalTag/x}"}}`, one(team, "dev", "aws:PrincipalTag/x", "*"), false},
		{"negated with unresolved variable holds", `{"StringNotEquals":{"aws:PrincipalTag/team":"${aws:username}"}}`, one(team, "dev"), true},
		{"Bool JSON false literal", `{"Bool":{"aws:SecureTransport":false}}`, one("aws:SecureTransport", "false"), true},
		{"M11 Bool context TRUE", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, one(mfa, "TRUE"), true},
		{"M10 key names are case-insensitive", `{"Bool":{"AWS:multifactorauthpresent":"true"}}`, one(mfa, "true"), true},
		{"Null false on missing key", `{"Null":{"aws:MultiFactorAuthPresent":"false"}}`, nil, false},
		{"multivalued key cannot be a variable", `{"StringEquals":{"aws:PrincipalTag/team":"${aws:CalledVia}"}}`, one(team, "a", via, "a", via, "b"), false},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			doc, err := Parse(fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*","Condition":%s}}`, c.cond))
			if err != nil {
				t.Fatal(err)
			}
			want := ImplicitDeny
			if c.holds {
				want = Allowed
			}
			r := Evaluate(Request{Action: "s3:ListAllMyBuckets", Resource: "*", Context: c.ctx}, Source{ID: "p", Doc: doc})
			if got := r.Decision; got != want {
				t.Fatalf("decision = %s, want %s", got, want)
			}
		})
	}
}
