package iamemu

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Account is one account the emulator hosts, for code that sets accounts up
// without going through the API (tests, the portal's test mode). Its
// methods run the same actions an API call of the account's root user
// would, so names, documents and quotas are checked as AWS checks them.
type Account struct {
	e  *Emulator
	id string
}

// Account returns the hosted account id, or nil when the emulator does not
// host it.
func (e *Emulator) Account(id string) *Account {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stateOf(id) == nil {
		return nil
	}
	return &Account{e: e, id: id}
}

// ID returns the account id.
func (a *Account) ID() string { return a.id }

// Arn returns the account's root ARN, arn:PARTITION:iam::ID:root: what a
// trust policy names to trust every principal of the account.
func (a *Account) Arn() string { return "arn:" + a.e.part.name + ":iam::" + a.id + ":root" }

// SetName sets the account's name and root e-mail address as Organizations
// ListAccounts shows them (the name 1–128 characters, the address 6–64
// with an @); empty values restore AccountName and AccountEmail.
func (a *Account) SetName(name, email string) error {
	if len(name) > 128 || email != "" && (len(email) < 6 || len(email) > 64 || !strings.Contains(email, "@")) {
		return fmt.Errorf("iamemu: account name %q or e-mail %q out of Organizations' bounds", name, email)
	}
	a.e.mu.Lock()
	defer a.e.mu.Unlock()
	st := a.e.stateOf(a.id)
	st.OrgName, st.OrgEmail = name, email
	return nil
}

// RootCredentials returns the account root user's access key pair.
func (a *Account) RootCredentials() (accessKeyID, secretAccessKey string) {
	a.e.mu.Lock()
	defer a.e.mu.Unlock()
	st := a.e.stateOf(a.id)
	return st.Root.AccessKeyID, st.Root.Secret
}

// do runs action with params as the account's root user.
func (a *Account) do(action string, p params) (any, error) {
	p["Action"] = []string{action}
	e := a.e
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.stateOf(a.id)
	c := &call{ctx: context.Background(), e: e, st: st, p: p, action: action,
		caller: rootPrincipal(st, st.Root.AccessKeyID), now: e.clock(), region: e.part.iamRegion}
	out, aerr := actions[action].run(c)
	if aerr != nil {
		return nil, fmt.Errorf("iamemu: %s in %s: %w", action, a.id, aerr)
	}
	return out, nil
}

// CreateRole creates a role at path "/" with the trust policy trustPolicy
// (JSON) and attaches the managed policies policyArns (for instance
// "arn:aws:iam::aws:policy/AdministratorAccess"). It returns the role's
// ARN. Errors are the API's: EntityAlreadyExists, MalformedPolicyDocument,
// NoSuchEntity for an unknown policy, … (test with errors.As on nothing
// finer than error; the text names the code).
func (a *Account) CreateRole(name, trustPolicy string, policyArns ...string) (string, error) {
	out, err := a.do("CreateRole", params{"RoleName": {name}, "AssumeRolePolicyDocument": {trustPolicy}})
	if err != nil {
		return "", err
	}
	for _, arn := range policyArns {
		if _, err := a.do("AttachRolePolicy", params{"RoleName": {name}, "PolicyArn": {arn}}); err != nil {
			return "", err
		}
	}
	return out.(roleResult).Role.Arn, nil
}

// PutRolePolicy adds or replaces the inline policy policyName of a role.
func (a *Account) PutRolePolicy(roleName, policyName, document string) error {
	_, err := a.do("PutRolePolicy", params{"RoleName": {roleName}, "PolicyName": {policyName}, "PolicyDocument": {document}})
	return err
}

// CreateUserWithKey creates an IAM user with an inline policy (policyName
// "access", skipped when policyDocument is empty) and an access key, and
// returns the key. Roles cannot be assumed with root credentials, so a
// hub that assumes roles in other accounts signs as such a user.
func (a *Account) CreateUserWithKey(userName, policyDocument string) (accessKeyID, secretAccessKey string, err error) {
	if _, err := a.do("CreateUser", params{"UserName": {userName}}); err != nil {
		return "", "", err
	}
	if policyDocument != "" {
		if _, err := a.do("PutUserPolicy", params{"UserName": {userName}, "PolicyName": {"access"}, "PolicyDocument": {policyDocument}}); err != nil {
			return "", "", err
		}
	}
	out, err := a.do("CreateAccessKey", params{"UserName": {userName}})
	if err != nil {
		return "", "", err
	}
	k := out.(createAccessKeyResult).AccessKey
	return k.AccessKeyId, k.SecretAccessKey, nil
}

// TrustAccountPolicy returns a trust policy letting principals of account
// trustedAccount assume the role with sts:AssumeRole, and, when externalID
// is not empty, only with that sts:ExternalId. Principals of the trusted
// account still need an identity policy allowing sts:AssumeRole on the role.
func TrustAccountPolicy(partition, trustedAccount, externalID string) string {
	cond := ""
	if externalID != "" {
		cond = `,"Condition":{"StringEquals":{"sts:ExternalId":` + strconv.Quote(externalID) + `}}`
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:` + partition + `:iam::` +
		trustedAccount + `:root"},"Action":"sts:AssumeRole"` + cond + `}]}`
}
