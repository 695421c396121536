package policy

// Credential is the kind of credentials a request is signed with, which
// decides the MFA keys AWS puts in the request context
// (docs/policy-evaluation.md#mfa-context).
type Credential int

// The three states of aws:MultiFactorAuthPresent
// (docs/policy-evaluation.md#mfa-context).
const (
	// LongTermKey is an access key (AKIA…), a CodeCommit Git credential or
	// an SSH key: aws:MultiFactorAuthPresent is absent.
	LongTermKey Credential = iota
	// SessionWithoutMFA is a console password-only sign-in or a
	// GetSessionToken session without a code: the key is "false".
	SessionWithoutMFA
	// SessionWithMFA is a session obtained with an MFA code: the key is
	// "true" and aws:MultiFactorAuthAge is present.
	SessionWithMFA
)

// String names the credential kind as the golden file's contextKind does.
func (c Credential) String() string {
	return [...]string{"LT", "NOMFA", "MFA"}[c]
}

// MFAAgeSeconds is the aws:MultiFactorAuthAge used for SessionWithMFA, the
// value of the documented call plan (docs/policy-evaluation.md#simulator).
const MFAAgeSeconds = "300"

// UserContext builds the request context AWS gives an IAM user at path "/"
// signing with cred: aws:username, aws:userid, aws:PrincipalType,
// aws:PrincipalArn, aws:PrincipalAccount and the MFA keys
// (docs/policy-evaluation.md#mfa-context).
func UserContext(cred Credential, userName, userID, accountID string) map[string][]string {
	ctx := map[string][]string{
		"aws:username":         {userName},
		"aws:userid":           {userID},
		"aws:PrincipalType":    {"User"},
		"aws:PrincipalArn":     {UserARN("aws", accountID, "/", userName)},
		"aws:PrincipalAccount": {accountID},
	}
	switch cred {
	case SessionWithoutMFA:
		ctx["aws:MultiFactorAuthPresent"] = []string{"false"}
	case SessionWithMFA:
		ctx["aws:MultiFactorAuthPresent"] = []string{"true"}
		ctx["aws:MultiFactorAuthAge"] = []string{MFAAgeSeconds}
	}
	return ctx
}

// SeedGrantedActions are the 18 actions the seed policy grants on the
// caller's own user (or on "*" / mfa/* where the Service Authorization
// Reference says so) once MFA is on.
var SeedGrantedActions = []string{
	"iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices",
	"iam:ChangePassword", "iam:GetUser",
	"iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey",
	"iam:CreateServiceSpecificCredential", "iam:DeleteServiceSpecificCredential",
	"iam:ListServiceSpecificCredentials", "iam:ResetServiceSpecificCredential",
	"iam:UpdateServiceSpecificCredential",
	"iam:CreateVirtualMFADevice",
	"iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice",
}

// MatrixActions is the portal's default before/after-MFA table: the seed's
// granted actions followed by representative ones it never grants, and the
// two STS operations that AWS decides without policies
// (docs/policy-evaluation.md#operations-outside-policy).
var MatrixActions = append(append([]string{}, SeedGrantedActions...),
	"iam:DeleteVirtualMFADevice", "iam:GetLoginProfile", "iam:UpdateLoginProfile", "iam:ListUsers",
	"sts:GetSessionToken", "sts:GetCallerIdentity",
	"s3:ListAllMyBuckets", "ec2:DescribeInstances", "codecommit:GitPull",
)

// MatrixRow is one action's decisions under the three credential kinds.
type MatrixRow struct {
	Action   string
	Resource string
	LongTerm Result
	NoMFA    Result
	MFA      Result
	// Override, when non-empty, explains why AWS answers this action
	// without the policy; the Results stay literal.
	Override string
}

// Matrix evaluates each action for the user at path "/" under a long-term
// key, a session without MFA and a session with MFA: the call plan of
// docs/policy-evaluation.md#simulator done locally. The resource is
// ResourceFor(action, …). A nil actions means MatrixActions.
func Matrix(policies []Source, userName, userID, accountID string, actions []string) []MatrixRow {
	if actions == nil {
		actions = MatrixActions
	}
	principal := UserARN("aws", accountID, "/", userName)
	ctxs := [3]map[string][]string{}
	for c := range ctxs {
		ctxs[c] = UserContext(Credential(c), userName, userID, accountID)
	}
	rows := make([]MatrixRow, 0, len(actions))
	for _, a := range actions {
		row := MatrixRow{Action: a, Resource: ResourceFor(a, principal, accountID)}
		eval := func(c Credential) Result {
			return Evaluate(Request{Action: a, Resource: row.Resource, Context: ctxs[c]}, policies...)
		}
		row.LongTerm, row.NoMFA, row.MFA = eval(LongTermKey), eval(SessionWithoutMFA), eval(SessionWithMFA)
		if _, why, ok := Override(a); ok {
			row.Override = why
		}
		rows = append(rows, row)
	}
	return rows
}
