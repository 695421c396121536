package iamemu

import (
	"fmt"
	"sort"
	"strings"

	pol "github.com/gatehouse/portal/policy"
)

// MarkConsoleSignIn records a console sign-in for userName now, as AWS does
// when the user signs in with the password (PasswordLastUsed, credential
// report). The emulator has no console, so tests call this instead.
func (e *Emulator) MarkConsoleSignIn(userName string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.st.Users[strings.ToLower(userName)]
	if u == nil {
		return fmt.Errorf("iamemu: no user %q", userName)
	}
	if u.Login == nil {
		return fmt.Errorf("iamemu: user %q has no login profile", userName)
	}
	now := e.clock()
	u.PasswordUsed = &now
	return nil
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
