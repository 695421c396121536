package policy

import (
	"strconv"
	"strings"
)

// variablesNeedVersion: without Version 2012-10-17, ${aws:username} is a
// literal and every user statement matches nothing (golden M1/M2).
func (l *linter) variablesNeedVersion() *Finding {
	if l.doc.Version == Version2012 {
		return nil
	}
	for _, s := range l.doc.Statements {
		texts := append(append([]string{}, s.Resource...), s.NotResource...)
		for _, c := range s.Conditions {
			texts = append(texts, c.Values...)
		}
		for _, t := range texts {
			if strings.Contains(t, "${") {
				return &Finding{
					ID: "variables-need-version", Severity: SeverityError,
					Params: []string{t, l.doc.Version},
				}
			}
		}
	}
	return nil
}

// duplicateSids: IAM accepts them, but Access Analyzer recommends unique Sids
// and the portal maps MatchedStatements to Sids
// (docs/policy-evaluation.md#simulator).
func (l *linter) duplicateSids() *Finding {
	seen := map[string]bool{}
	var dups []string
	for _, s := range l.doc.Statements {
		if s.Sid != "" && seen[s.Sid] {
			dups = append(dups, s.Sid)
		}
		seen[s.Sid] = true
	}
	if len(dups) == 0 {
		return nil
	}
	return &Finding{
		ID: "duplicate-sid", Severity: SeverityWarning,
		Params: []string{strings.Join(dups, ", ")},
	}
}

// boolMFADeny: Deny + Bool aws:MultiFactorAuthPresent "false" leaves
// long-term keys untouched, because the key is absent for them (golden C06).
func (l *linter) boolMFADeny() *Finding {
	for _, s := range l.doc.Statements {
		if s.Effect != Deny {
			continue
		}
		for _, c := range s.Conditions {
			if c.Operator == "Bool" && strings.EqualFold(c.Key, "aws:MultiFactorAuthPresent") {
				return &Finding{
					ID: "bool-mfa-deny", Severity: SeverityWarning,
					Params: []string{s.Sid},
				}
			}
		}
	}
	return nil
}

// CheckUserName returns error findings when name breaks IAM's user-name
// rules (1 to 64 of A-Z a-z 0-9 + = , . @ _ -), so the onboarding form can
// refuse it before CreateUser does.
func CheckUserName(name string) []Finding {
	var out []Finding
	if n := len(name); n < 1 || n > 64 {
		out = append(out, Finding{
			ID: "user-name-length", Severity: SeverityError,
			Params: []string{name, strconv.Itoa(n)},
		})
	}
	var bad []string
	for _, r := range name {
		if !validUserNameRune(r) && !strings.Contains(strings.Join(bad, ""), string(r)) {
			bad = append(bad, string(r))
		}
	}
	if len(bad) > 0 {
		out = append(out, Finding{
			ID: "user-name-characters", Severity: SeverityError,
			Params: []string{name, strings.Join(bad, "")},
		})
	}
	return out
}

func validUserNameRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("+=,.@_-", r)
}

// CheckPath returns findings for an IAM path: an error when IAM would refuse
// it (it must start and end with "/", be at most 512 characters of ASCII ! to
// ~), and, when doc is not nil, the user-path-not-covered error if doc grants
// users at that path less than users at "/"
// (docs/policy-evaluation.md#policy-traps).
func CheckPath(doc *Document, path string) []Finding {
	valid := len(path) >= 1 && len(path) <= 512 && strings.HasPrefix(path, "/") && strings.HasSuffix(path, "/")
	for _, r := range path {
		if r < '!' || r > '~' {
			valid = false
		}
	}
	if !valid {
		return []Finding{{
			ID: "path-invalid", Severity: SeverityError,
			Params: []string{path},
		}}
	}
	if doc == nil {
		return nil
	}
	if f := newLinter(doc, LintOptions{UserPath: path}).userPath(); f != nil {
		return []Finding{*f}
	}
	return nil
}
