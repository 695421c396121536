package onboarding

import (
	"testing"

	"github.com/gatehouse/portal/awsiam"
)

func TestGeneratedPasswordsMeetThePolicy(t *testing.T) {
	for _, pol := range []awsiam.PasswordPolicy{
		awsiam.DefaultPasswordPolicy,
		{MinLength: 32, RequireUpper: true, RequireLower: true, RequireDigit: true, RequireSymbol: true},
		{MinLength: 6},
	} {
		for i := 0; i < 200; i++ {
			p := GeneratePassword(pol)
			if !meetsPolicy(p, pol) || !meetsPolicy(p, awsiam.DefaultPasswordPolicy) {
				t.Fatalf("password %q does not meet %+v", p, pol)
			}
		}
	}
	if a, b := GeneratePassword(awsiam.DefaultPasswordPolicy), GeneratePassword(awsiam.DefaultPasswordPolicy); a == b {
		t.Fatalf("two generated passwords are equal: %q", a)
	}
}
