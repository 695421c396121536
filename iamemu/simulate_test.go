package iamemu

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	pol "github.com/gatehouse/portal/policy"
)

const testUserArn = "arn:aws:iam::123456789012:user/test"

// mfaEntries are the ContextEntries of the three credential kinds
// (docs/policy-evaluation.md#mfa-context).
var mfaEntries = map[string][]types.ContextEntry{
	"long-term key":       nil,
	"session without MFA": {{ContextKeyName: aws.String("aws:MultiFactorAuthPresent"), ContextKeyType: types.ContextKeyTypeEnumBoolean, ContextKeyValues: []string{"false"}}},
	"MFA session": {
		{ContextKeyName: aws.String("aws:MultiFactorAuthPresent"), ContextKeyType: types.ContextKeyTypeEnumBoolean, ContextKeyValues: []string{"true"}},
		{ContextKeyName: aws.String("aws:MultiFactorAuthAge"), ContextKeyType: types.ContextKeyTypeEnumNumeric, ContextKeyValues: []string{"300"}},
	},
}

func TestSimulatePrincipalPolicy_SeedBeforeAndAfterMFA(t *testing.T) {
	env := newEnv(t, Options{})
	env.onboardSeedUser(t, "test", "Initial-Passw0rd!")
	cases := []struct {
		kind, action, resource string
		want                   types.PolicyEvaluationDecisionType
		wantLine               int32 // line of the deciding statement in seed.json; 0 = none
	}{
		{"long-term key", "iam:ChangePassword", testUserArn, types.PolicyEvaluationDecisionTypeExplicitDeny, 8},
		{"long-term key", "iam:EnableMFADevice", testUserArn, types.PolicyEvaluationDecisionTypeAllowed, 7},
		{"long-term key", "s3:ListAllMyBuckets", "*", types.PolicyEvaluationDecisionTypeExplicitDeny, 8},
		{"session without MFA", "iam:CreateAccessKey", testUserArn, types.PolicyEvaluationDecisionTypeExplicitDeny, 8},
		{"MFA session", "iam:ChangePassword", testUserArn, types.PolicyEvaluationDecisionTypeAllowed, 3},
		{"MFA session", "iam:ListUsers", "*", types.PolicyEvaluationDecisionTypeImplicitDeny, 0},
		{"MFA session", "sts:GetSessionToken", "*", types.PolicyEvaluationDecisionTypeImplicitDeny, 0},
	}
	for _, tc := range cases {
		t.Run(tc.kind+": "+tc.action+" is "+string(tc.want), func(t *testing.T) {
			out := must[*iam.SimulatePrincipalPolicyOutput](t)(env.iam.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
				PolicySourceArn: aws.String(testUserArn), ActionNames: []string{tc.action},
				ResourceArns: []string{tc.resource}, ContextEntries: mfaEntries[tc.kind],
			}))
			if got, want := len(out.EvaluationResults), 1; got != want {
				t.Fatalf("results = %d, want %d", got, want)
			}
			r := out.EvaluationResults[0]
			if got := r.EvalDecision; got != tc.want {
				t.Fatalf("EvalDecision = %q, want %q", got, tc.want)
			}
			if got, want := aws.ToString(r.EvalResourceName), tc.resource; got != want {
				t.Fatalf("EvalResourceName = %q, want %q", got, want)
			}
			if tc.wantLine == 0 {
				if len(r.MatchedStatements) != 0 {
					t.Fatalf("MatchedStatements = %+v, want none", r.MatchedStatements)
				}
				return
			}
			if got, want := len(r.MatchedStatements), 1; got != want {
				t.Fatalf("MatchedStatements = %d, want %d", got, want)
			}
			m := r.MatchedStatements[0]
			if aws.ToString(m.SourcePolicyId) != pol.SeedName || string(m.SourcePolicyType) != "IAM Policy" || m.StartPosition.Line != tc.wantLine || m.EndPosition.Line != tc.wantLine {
				t.Fatalf("matched = %s %s %d-%d, want %s IAM Policy on line %d", aws.ToString(m.SourcePolicyId), m.SourcePolicyType, m.StartPosition.Line, m.EndPosition.Line, pol.SeedName, tc.wantLine)
			}
			if got, want := len(r.ResourceSpecificResults) > 0, tc.resource != "*"; got != want {
				t.Fatalf("has ResourceSpecificResults = %v, want %v", got, want)
			}
		})
	}
	t.Run("missing MFA key is reported for the long-term key", func(t *testing.T) {
		out := must[*iam.SimulatePrincipalPolicyOutput](t)(env.iam.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(testUserArn), ActionNames: []string{"s3:ListAllMyBuckets"}}))
		if got, want := strings.Join(out.EvaluationResults[0].MissingContextValues, ","), "aws:MultiFactorAuthPresent"; got != want {
			t.Fatalf("MissingContextValues = %q, want %q", got, want)
		}
	})
}

func TestSimulatePrincipalPolicy_Paginator(t *testing.T) {
	env := newEnv(t, Options{})
	env.onboardSeedUser(t, "test", "Initial-Passw0rd!")
	in := &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String(testUserArn), MaxItems: aws.Int32(2),
		ActionNames:  []string{"iam:GetUser", "iam:ChangePassword", "iam:ListMFADevices"},
		ResourceArns: []string{testUserArn, "arn:aws:iam::123456789012:user/other"},
	}
	var got []string
	pages := 0
	for p := iam.NewSimulatePrincipalPolicyPaginator(env.iam, in); p.HasMorePages(); pages++ {
		out := must[*iam.SimulatePrincipalPolicyOutput](t)(p.NextPage(ctx))
		for _, r := range out.EvaluationResults {
			got = append(got, aws.ToString(r.EvalActionName)+"@"+aws.ToString(r.EvalResourceName)[len("arn:aws:iam::123456789012:user/"):])
		}
	}
	want := "iam:GetUser@test iam:GetUser@other iam:ChangePassword@test iam:ChangePassword@other iam:ListMFADevices@test iam:ListMFADevices@other"
	if g := strings.Join(got, " "); g != want {
		t.Fatalf("results = %s, want %s (action-major)", g, want)
	}
	if got, want := pages, 3; got != want {
		t.Fatalf("pages = %d, want %d", got, want)
	}
}

func TestSimulateCustomPolicy_OneStatementPerEntryNamesTheSid(t *testing.T) {
	env := newEnv(t, Options{})
	allowGetUser := `{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"iam:GetUser","Resource":"*"}}`
	denyAll := `{"Version":"2012-10-17","Statement":{"Sid":"D","Effect":"Deny","NotAction":"iam:GetUser","Resource":"*"}}`
	out := must[*iam.SimulateCustomPolicyOutput](t)(env.iam.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{allowGetUser, denyAll}, ActionNames: []string{"iam:GetUser", "iam:ListUsers"},
	}))
	for i, want := range []struct{ decision, source string }{{"allowed", "PolicyInputList.1"}, {"explicitDeny", "PolicyInputList.2"}} {
		r := out.EvaluationResults[i]
		if string(r.EvalDecision) != want.decision || len(r.MatchedStatements) != 1 || aws.ToString(r.MatchedStatements[0].SourcePolicyId) != want.source {
			t.Fatalf("result %d = %s %+v, want %s by %s", i, r.EvalDecision, r.MatchedStatements, want.decision, want.source)
		}
	}
}

func TestSimulate_Errors(t *testing.T) {
	env := newEnv(t, Options{})
	keyID, secret := env.onboardSeedUser(t, "test", "Initial-Passw0rd!")
	userIAM, _ := env.clients(keyID, secret, "")
	simulate := func(c *iam.Client, in *iam.SimulatePrincipalPolicyInput) error {
		_, err := c.SimulatePrincipalPolicy(ctx, in)
		return err
	}
	get := []string{"iam:GetUser"}
	cases := []struct {
		name   string
		client *iam.Client
		in     *iam.SimulatePrincipalPolicyInput
		want   string
	}{
		{"unknown user is NoSuchEntity", env.iam, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/nobody"), ActionNames: get}, "NoSuchEntity"},
		{"assumed-role ARN is InvalidInput", env.iam, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:sts::123456789012:assumed-role/r/s"), ActionNames: get}, "InvalidInput"},
		{"wildcard action is InvalidInput", env.iam, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(testUserArn), ActionNames: []string{"iam:*"}}, "InvalidInput"},
		{"unknown context type is InvalidInput", env.iam, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(testUserArn), ActionNames: get,
			ContextEntries: []types.ContextEntry{{ContextKeyName: aws.String("aws:username"), ContextKeyType: "colour", ContextKeyValues: []string{"x"}}}}, "InvalidInput"},
		{"malformed input policy is InvalidInput", env.iam, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(testUserArn), ActionNames: get, PolicyInputList: []string{`{"Statement":`}}, "InvalidInput"},
		{"permissions boundaries are refused, not ignored", env.iam, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(testUserArn), ActionNames: get, PermissionsBoundaryPolicyInputList: []string{pol.Seed}}, "InvalidInput"},
		{"the seed denies the user simulating itself before MFA", userIAM, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(testUserArn), ActionNames: get}, "AccessDenied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantCode(t, simulate(tc.client, tc.in), tc.want) })
	}
	t.Run("a stored policy the strict parser refuses is PolicyEvaluation", func(t *testing.T) {
		// The API refuses such a document; only a state file saved by an
		// emulator with a looser grammar can hold one.
		loose := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Action":"iam:ListUsers","Resource":"*"}]}`
		env.createUser(t, "loose")
		_, err := env.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("loose"), PolicyName: aws.String("dup"), PolicyDocument: aws.String(loose)})
		wantErr(t, err, "MalformedPolicyDocument", 400)
		valid := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`
		must[*iam.PutUserPolicyOutput](t)(env.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("loose"), PolicyName: aws.String("dup"), PolicyDocument: aws.String(valid)}))
		path := filepath.Join(t.TempDir(), "state.json")
		if err := env.e.SaveState(path); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		quote := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		data = []byte(strings.Replace(string(data), quote(valid), quote(loose), 1))
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := env.e.LoadState(path); err != nil {
			t.Fatal(err)
		}
		err = simulate(env.iam, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/loose"), ActionNames: get})
		wantCode(t, err, "PolicyEvaluation")
	})
}
