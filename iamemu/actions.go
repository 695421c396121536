package iamemu

// actions is the dispatch table: every Query action the emulator answers,
// with the resource the Authorizer is asked about.
var actions map[string]actionSpec

func init() {
	user := userResource
	actions = map[string]actionSpec{
		// Users (docs/iam-notes.md#users)
		"CreateUser": {run: createUser, resource: user},
		"GetUser":    {run: getUser, resource: user},
		"ListUsers":  {run: listUsers},
		"DeleteUser": {run: deleteUser, resource: user},
		"UpdateUser": {run: updateUser, resource: user, alsoResource: updateUserTarget},

		// Login profiles and password policy
		// (docs/iam-notes.md#login-profiles-and-password-policy)
		"CreateLoginProfile":          {run: createLoginProfile, resource: user},
		"GetLoginProfile":             {run: getLoginProfile, resource: user},
		"UpdateLoginProfile":          {run: updateLoginProfile, resource: user},
		"DeleteLoginProfile":          {run: deleteLoginProfile, resource: user},
		"ChangePassword":              {run: changePassword, resource: callerResource},
		"GetAccountPasswordPolicy":    {run: getAccountPasswordPolicy},
		"UpdateAccountPasswordPolicy": {run: updateAccountPasswordPolicy},
		"DeleteAccountPasswordPolicy": {run: deleteAccountPasswordPolicy},

		// Managed policies (docs/iam-notes.md#managed-policies)
		"CreatePolicy":             {run: createPolicy, resource: policyResourceForCreate},
		"GetPolicy":                {run: getPolicy, resource: policyResource},
		"DeletePolicy":             {run: deletePolicy, resource: policyResource},
		"ListPolicies":             {run: listPolicies},
		"GetPolicyVersion":         {run: getPolicyVersion, resource: policyResource},
		"CreatePolicyVersion":      {run: createPolicyVersion, resource: policyResource},
		"ListPolicyVersions":       {run: listPolicyVersions, resource: policyResource},
		"DeletePolicyVersion":      {run: deletePolicyVersion, resource: policyResource},
		"SetDefaultPolicyVersion":  {run: setDefaultPolicyVersion, resource: policyResource},
		"AttachUserPolicy":         {run: attachUserPolicy, resource: user},
		"DetachUserPolicy":         {run: detachUserPolicy, resource: user},
		"ListAttachedUserPolicies": {run: listAttachedUserPolicies, resource: user},

		// MFA (docs/iam-notes.md#mfa-devices)
		"CreateVirtualMFADevice": {run: createVirtualMFADevice, resource: deviceResource},
		"DeleteVirtualMFADevice": {run: deleteVirtualMFADevice, resource: deviceResource},
		"ListVirtualMFADevices":  {run: listVirtualMFADevices},
		"EnableMFADevice":        {run: enableMFADevice, resource: user},
		"DeactivateMFADevice":    {run: deactivateMFADevice, resource: user},
		"ResyncMFADevice":        {run: resyncMFADevice, resource: user},
		"ListMFADevices":         {run: listMFADevices, resource: user},

		// Access keys (docs/iam-notes.md#access-keys)
		"CreateAccessKey":      {run: createAccessKey, resource: user},
		"ListAccessKeys":       {run: listAccessKeys, resource: user},
		"UpdateAccessKey":      {run: updateAccessKey, resource: user},
		"DeleteAccessKey":      {run: deleteAccessKey, resource: user},
		"GetAccessKeyLastUsed": {run: getAccessKeyLastUsed, resource: keyOwnerResource},

		// Groups and inline policies (for DeleteUser and UserPolicies)
		"CreateGroup":               {run: createGroup, resource: groupResource},
		"DeleteGroup":               {run: deleteGroup, resource: groupResource},
		"AddUserToGroup":            {run: addUserToGroup, resource: groupResource},
		"RemoveUserFromGroup":       {run: removeUserFromGroup, resource: groupResource},
		"ListGroupsForUser":         {run: listGroupsForUser, resource: user},
		"GetGroup":                  {run: getGroup, resource: groupResource},
		"ListGroups":                {run: listGroups},
		"AttachGroupPolicy":         {run: attachGroupPolicy, resource: groupResource},
		"DetachGroupPolicy":         {run: detachGroupPolicy, resource: groupResource},
		"ListAttachedGroupPolicies": {run: listAttachedGroupPolicies, resource: groupResource},
		"PutGroupPolicy":            {run: putGroupPolicy, resource: groupResource},
		"GetGroupPolicy":            {run: getGroupPolicy, resource: groupResource},
		"DeleteGroupPolicy":         {run: deleteGroupPolicy, resource: groupResource},
		"ListGroupPolicies":         {run: listGroupPolicies, resource: groupResource},
		"PutUserPolicy":             {run: putUserPolicy, resource: user},
		"GetUserPolicy":             {run: getUserPolicy, resource: user},
		"ListUserPolicies":          {run: listUserPolicies, resource: user},
		"DeleteUserPolicy":          {run: deleteUserPolicy, resource: user},

		// Service-specific credentials
		// (docs/iam-notes.md#service-specific-credentials)
		"CreateServiceSpecificCredential": {run: createServiceSpecificCredential, resource: user},
		"ListServiceSpecificCredentials":  {run: listServiceSpecificCredentials, resource: user},
		"ResetServiceSpecificCredential":  {run: resetServiceSpecificCredential, resource: user},
		"UpdateServiceSpecificCredential": {run: updateServiceSpecificCredential, resource: user},
		"DeleteServiceSpecificCredential": {run: deleteServiceSpecificCredential, resource: user},

		// SSH public keys and signing certificates (CodeCommit, SOAP signing)
		"UploadSSHPublicKey":       {run: uploadSSHPublicKey, resource: user},
		"ListSSHPublicKeys":        {run: listSSHPublicKeys, resource: user},
		"GetSSHPublicKey":          {run: getSSHPublicKey, resource: user},
		"UpdateSSHPublicKey":       {run: updateSSHPublicKey, resource: user},
		"DeleteSSHPublicKey":       {run: deleteSSHPublicKey, resource: user},
		"UploadSigningCertificate": {run: uploadSigningCertificate, resource: user},
		"ListSigningCertificates":  {run: listSigningCertificates, resource: user},
		"UpdateSigningCertificate": {run: updateSigningCertificate, resource: user},
		"DeleteSigningCertificate": {run: deleteSigningCertificate, resource: user},

		// Account alias (one per account)
		"ListAccountAliases": {run: listAccountAliases},
		"CreateAccountAlias": {run: createAccountAlias},
		"DeleteAccountAlias": {run: deleteAccountAlias},

		// The account's authorization picture
		"ListEntitiesForPolicy":          {run: listEntitiesForPolicy, resource: policyResource},
		"GetAccountAuthorizationDetails": {run: getAccountAuthorizationDetails},

		// Credential report and tags
		"GenerateCredentialReport": {run: generateCredentialReport},
		"GetCredentialReport":      {run: getCredentialReport},
		"TagUser":                  {run: tagUser, resource: user},
		"UntagUser":                {run: untagUser, resource: user},
		"ListUserTags":             {run: listUserTags, resource: user},

		// Policy simulation (docs/policy-evaluation.md#simulator)
		"SimulatePrincipalPolicy": {run: simulatePrincipalPolicy, resource: policySourceResource},
		"SimulateCustomPolicy":    {run: simulateCustomPolicy},

		// Roles (docs/iam-notes.md#roles)
		"CreateRole":               {run: createRole, resource: roleResource},
		"GetRole":                  {run: getRole, resource: roleResource},
		"ListRoles":                {run: listRoles},
		"DeleteRole":               {run: deleteRole, resource: roleResource},
		"UpdateAssumeRolePolicy":   {run: updateAssumeRolePolicy, resource: roleResource},
		"AttachRolePolicy":         {run: attachRolePolicy, resource: roleResource},
		"DetachRolePolicy":         {run: detachRolePolicy, resource: roleResource},
		"ListAttachedRolePolicies": {run: listAttachedRolePolicies, resource: roleResource},
		"PutRolePolicy":            {run: putRolePolicy, resource: roleResource},
		"GetRolePolicy":            {run: getRolePolicy, resource: roleResource},
		"DeleteRolePolicy":         {run: deleteRolePolicy, resource: roleResource},
		"ListRolePolicies":         {run: listRolePolicies, resource: roleResource},
		"UpdateRole":               {run: updateRole, resource: roleResource},
		"UpdateRoleDescription":    {run: updateRoleDescription, resource: roleResource},
		"TagRole":                  {run: tagRole, resource: roleResource},
		"UntagRole":                {run: untagRole, resource: roleResource},
		"ListRoleTags":             {run: listRoleTags, resource: roleResource},

		// STS
		"GetCallerIdentity": {sts: true, run: getCallerIdentity, noAuthz: true},
		"GetSessionToken":   {sts: true, run: getSessionToken, noAuthz: true},
		"AssumeRole":        {sts: true, run: assumeRole, authorize: (*Emulator).authorizeAssumeRole},
	}
}

// policyResourceForCreate is the ARN the new policy will have.
func policyResourceForCreate(c *call) string {
	path := c.p.get("Path")
	if path == "" {
		path = "/"
	}
	return c.st.arn("policy" + path + c.p.get("PolicyName"))
}
