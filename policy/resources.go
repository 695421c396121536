package policy

import "strings"

// resourceKind is the resource type AWS evaluates an IAM action against (the
// Service Authorization Reference,
// docs/policy-evaluation.md#resources-per-action).
type resourceKind int

const (
	resNone resourceKind = iota // no resource type: evaluated against "*"
	resUser                     // arn:P:iam::ACCOUNT:user/PATH/NAME
	resMFA                      // arn:P:iam::ACCOUNT:mfa/NAME
)

// iamResources maps lower-cased action names to their resource kind.
// Actions not listed (ListUsers, GetAccountSummary, every non-IAM action)
// are evaluated against "*".
var iamResources = func() map[string]resourceKind {
	m := map[string]resourceKind{
		"iam:createvirtualmfadevice": resMFA,
		"iam:deletevirtualmfadevice": resMFA,
	}
	for _, a := range []string{
		"ChangePassword", "GetUser", "UpdateUser", "DeleteUser",
		"CreateAccessKey", "DeleteAccessKey", "ListAccessKeys", "UpdateAccessKey",
		"CreateServiceSpecificCredential", "DeleteServiceSpecificCredential",
		"ListServiceSpecificCredentials", "ResetServiceSpecificCredential", "UpdateServiceSpecificCredential",
		"EnableMFADevice", "DeactivateMFADevice", "ListMFADevices", "ResyncMFADevice",
		"CreateLoginProfile", "GetLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile",
		"UploadSSHPublicKey", "GetSSHPublicKey", "ListSSHPublicKeys", "UpdateSSHPublicKey", "DeleteSSHPublicKey",
		"ListUserTags", "TagUser", "UntagUser", "ListGroupsForUser",
		"ListAttachedUserPolicies", "ListUserPolicies", "AttachUserPolicy", "DetachUserPolicy",
		"GetAccessKeyLastUsed", "SimulatePrincipalPolicy", "GetContextKeysForPrincipalPolicy",
	} {
		m["iam:"+strings.ToLower(a)] = resUser
	}
	return m
}()

// ResourceFor returns the resource ARN AWS evaluates when the IAM user
// principalArn calls action on itself
// (docs/policy-evaluation.md#resources-per-action):
//
//   - user-scoped actions (ChangePassword, GetUser, the access-key,
//     service-specific-credential and MFA-device actions, …) → the caller's
//     user ARN, path included, because IAM acts on the caller when UserName
//     is omitted;
//   - CreateVirtualMFADevice and DeleteVirtualMFADevice →
//     arn:aws:iam::ACCOUNT:mfa/NAME, the device name the portal uses being
//     the user name;
//   - everything else (GetAccountPasswordPolicy, ListVirtualMFADevices,
//     ListUsers, sts:*, non-IAM actions) → "*".
//
// accountID overrides the account of principalArn when non-empty.
func ResourceFor(action, principalArn, accountID string) string {
	partition, account, path, name := splitUserARN(principalArn)
	if accountID != "" {
		account = accountID
	}
	switch iamResources[strings.ToLower(action)] {
	case resUser:
		return UserARN(partition, account, path, name)
	case resMFA:
		return MFADeviceARN(partition, account, "/", name)
	}
	return "*"
}

// UserARN builds arn:PARTITION:iam::ACCOUNT:user/PATH/NAME. An empty
// partition means "aws"; an empty path means "/".
func UserARN(partition, accountID, path, name string) string {
	return iamARN(partition, accountID, "user", path, name)
}

// MFADeviceARN builds the ARN of a virtual MFA device,
// arn:PARTITION:iam::ACCOUNT:mfa/PATH/NAME.
func MFADeviceARN(partition, accountID, path, name string) string {
	return iamARN(partition, accountID, "mfa", path, name)
}

func iamARN(partition, accountID, kind, path, name string) string {
	if partition == "" {
		partition = "aws"
	}
	if path == "" {
		path = "/"
	}
	return "arn:" + partition + ":iam::" + accountID + ":" + kind + path + name
}

// splitUserARN takes apart arn:P:iam::ACCOUNT:user/PATH/NAME. For anything
// else it returns the partition and account it can find and an empty name.
func splitUserARN(arn string) (partition, account, path, name string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return "aws", "", "/", ""
	}
	partition, account = parts[1], parts[4]
	rest, ok := strings.CutPrefix(parts[5], "user/")
	if parts[2] != "iam" || !ok {
		return partition, account, "/", ""
	}
	i := strings.LastIndexByte(rest, '/')
	return partition, account, "/" + rest[:i+1], rest[i+1:]
}

// Override reports whether AWS decides action without consulting identity
// policies (docs/policy-evaluation.md#operations-outside-policy), and if so
// the effective decision and why. Evaluate and Simulate stay literal, as the
// IAM policy simulator is (golden G21/G22); the emulator applies Override
// when enforcing real calls and the portal when showing the matrix.
//
//   - sts:GetCallerIdentity is always allowed, even under an explicit deny.
//   - sts:GetSessionToken needs no permission: policies cannot control
//     authentication. (Session credentials cannot call it at all; that is
//     a credential rule, not a policy one, and the emulator enforces it.)
func Override(action string) (d Decision, reason string, ok bool) {
	switch strings.ToLower(action) {
	case "sts:getcalleridentity":
		return Allowed, "sts:GetCallerIdentity needs no permission and works even under an explicit deny", true
	case "sts:getsessiontoken":
		return Allowed, "sts:GetSessionToken is authentication: it needs no permission and policies cannot restrict it", true
	}
	return ImplicitDeny, "", false
}
