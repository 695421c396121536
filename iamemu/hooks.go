package iamemu

import (
	"fmt"
	"sort"
	"strings"
	"time"

	pol "github.com/gatehouse/portal/policy"
)

// RecordConsoleSignIn records that userName signed in to the console with
// the password at at, as AWS does (PasswordLastUsed in GetUser and
// ListUsers, password_last_used in the credential report). The emulator
// has no console: this is the stand-in for a console sign-in, for tests.
func (e *Emulator) RecordConsoleSignIn(userName string, at time.Time) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.st.Users[strings.ToLower(userName)]
	if u == nil {
		return fmt.Errorf("iamemu: no user %q", userName)
	}
	if u.Login == nil {
		return fmt.Errorf("iamemu: user %q has no login profile", userName)
	}
	at = at.UTC().Truncate(time.Second)
	u.PasswordUsed = &at
	return nil
}

// MarkConsoleSignIn is RecordConsoleSignIn at the current IAM time.
func (e *Emulator) MarkConsoleSignIn(userName string) error {
	return e.RecordConsoleSignIn(userName, e.clock())
}

// RecordRootSignIn records a console sign-in of the root user at at (the
// root row's password_last_used).
func (e *Emulator) RecordRootSignIn(at time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	at = at.UTC().Truncate(time.Second)
	e.st.Root.PasswordUsed = &at
}

// SetRootMFA gives the root user an MFA device or takes it away (the root
// row's mfa_active). Root MFA devices are not otherwise emulated.
func (e *Emulator) SetRootMFA(enabled bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.st.Root.MFA = enabled
}

// AddRootAccessKey creates an access key for the root user, as the root
// user calling CreateAccessKey without UserName does: it shows in the
// credential report's root row and in ListAccessKeys, and signs as root.
func (e *Emulator) AddRootAccessKey() (accessKeyID, secretAccessKey string, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, aerr := e.st.newAccessKey("", e.clock())
	if aerr != nil {
		return "", "", aerr
	}
	return k.ID, k.Secret, nil
}

// PolicyDoc is one identity policy that applies to a user.
type PolicyDoc struct {
	SourceID string        // policy ARN for managed policies, policy name for inline ones
	Name     string        // the policy's name
	Type     string        // "IAM Policy", as the simulator reports SourcePolicyType
	Document string        // JSON, not URL-encoded
	Parsed   *pol.Document // parsed when the policy was created; nil if it no longer parses
}

// UserPolicies returns every identity policy of a user: the default version
// of each attached managed policy, inline policies, then the managed and
// inline policies of the user's groups. The Authorizer uses it.
func (e *Emulator) UserPolicies(userName string) ([]PolicyDoc, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.st.Users[strings.ToLower(userName)]
	if u == nil {
		return nil, fmt.Errorf("iamemu: no user %q", userName)
	}
	return e.st.userPolicies(u), nil
}

// userPolicies lists a user's identity policies, its groups' included.
func (s *state) userPolicies(u *user) []PolicyDoc {
	out := s.policiesOf(nil, u.Attached, u.Inline)
	for _, gk := range u.Groups {
		if g := s.Groups[gk]; g != nil {
			out = s.policiesOf(out, g.Attached, g.Inline)
		}
	}
	return out
}

// policiesOf appends the default versions of the attached managed policies,
// then the inline policies by name.
func (s *state) policiesOf(out []PolicyDoc, attached []string, inline map[string]*inlinePolicy) []PolicyDoc {
	for _, arn := range attached {
		if p := s.policy(arn); p != nil {
			if v := p.version(p.DefaultVersion); v != nil {
				out = append(out, PolicyDoc{SourceID: arn, Name: p.Name, Type: "IAM Policy", Document: v.Document, Parsed: v.parsed})
			}
		}
	}
	for _, n := range sortedKeys(inline) {
		out = append(out, PolicyDoc{SourceID: n, Name: n, Type: "IAM Policy", Document: inline[n].Document, Parsed: inline[n].parsed})
	}
	return out
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
