package iamemu

import (
	"fmt"
	"sort"
	"strings"
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
	SourceID string // policy ARN for managed policies, policy name for inline ones
	Type     string // "IAM Policy", as the simulator reports SourcePolicyType
	Document string // JSON, not URL-encoded
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
	var out []PolicyDoc
	add := func(attached []string, inline map[string]string) {
		for _, arn := range attached {
			if p := e.st.Policies[arn]; p != nil {
				if v := p.version(p.DefaultVersion); v != nil {
					out = append(out, PolicyDoc{SourceID: arn, Type: "IAM Policy", Document: v.Document})
				}
			}
		}
		names := make([]string, 0, len(inline))
		for n := range inline {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			out = append(out, PolicyDoc{SourceID: n, Type: "IAM Policy", Document: inline[n]})
		}
	}
	add(u.Attached, u.Inline)
	for _, gk := range u.Groups {
		if g := e.st.Groups[gk]; g != nil {
			add(g.Attached, g.Inline)
		}
	}
	return out, nil
}
