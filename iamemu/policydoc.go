package iamemu

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode"

	pol "github.com/gatehouse/portal/policy"
)

// Policy documents are validated once, when a managed policy version or an
// inline policy is created, with the grammar the portal itself lints with
// (package policy), and kept parsed: the policy engine never re-parses on a
// request. A state file keeps only the text; documents are parsed again
// when it is loaded.

// parsePolicyDocument checks doc as IAM does: the size quota (limit
// non-whitespace characters, named quota), policy.Parse, then what IAM
// refuses beyond the grammar — a Version older than 2012-10-17, an action
// with two colons, a resource of another partition — with IAM's
// MalformedPolicyDocument texts as AWS words them.
func (c *call) parsePolicyDocument(doc, quota string, limit int) (*pol.Document, *apiError) {
	if nonSpace(doc) > limit {
		return nil, errf("LimitExceeded", "Cannot exceed quota for %s: %d", quota, limit)
	}
	malformed := func(format string, args ...any) *apiError {
		return errf("MalformedPolicyDocument", format, args...)
	}
	d, err := pol.Parse(doc)
	var pe *pol.ParseError
	switch {
	case err == nil:
	case !errors.As(err, &pe):
		return nil, malformed("Syntax errors in policy.")
	case pe.Rule == pol.RuleActionFormat && !strings.Contains(pe.Value, ":"):
		return nil, malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
	case pe.Rule == pol.RuleActionFormat:
		vendor, _, _ := strings.Cut(pe.Value, ":")
		return nil, malformed("Vendor %s is not valid", vendor)
	case pe.Rule == pol.RuleResourceFormat:
		return nil, malformed(`Resource %s must be in ARN format or "*".`, pe.Value)
	case pe.Rule == pol.RuleNoResource:
		return nil, malformed("Policy statement must contain resources.")
	default:
		return nil, malformed("Syntax errors in policy.")
	}
	if d.Version != pol.Version2012 {
		return nil, malformed("Policy document must be version 2012-10-17 or greater.")
	}
	for _, s := range d.Statements {
		for _, a := range append(append([]string{}, s.Action...), s.NotAction...) {
			if strings.Count(a, ":") > 1 {
				return nil, malformed("Actions/Condition can contain only one colon.")
			}
		}
		for _, r := range append(append([]string{}, s.Resource...), s.NotResource...) {
			// A resource of another partition can never match.
			if p := arnPartition(r); r != "*" && p != c.st.Partition && !strings.ContainsAny(p, "*?") {
				return nil, malformed(`Partition "%s" is not valid for resource "%s".`, p, r)
			}
		}
	}
	return d, nil
}

// parseStored parses a document from a state file; nil when it no longer
// passes (the policy engine then refuses to evaluate it rather than ignore
// a Deny).
func parseStored(doc string) *pol.Document {
	d, err := pol.Parse(doc)
	if err != nil {
		return nil
	}
	return d
}

// inlinePolicy is an inline policy document with its parsed form. It is
// stored in state files as the bare document string, as before.
type inlinePolicy struct {
	Document string
	parsed   *pol.Document
}

// MarshalJSON implements json.Marshaler: the document text only.
func (p *inlinePolicy) MarshalJSON() ([]byte, error) { return json.Marshal(p.Document) }

// UnmarshalJSON implements json.Unmarshaler and parses the document.
func (p *inlinePolicy) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &p.Document); err != nil {
		return err
	}
	p.parsed = parseStored(p.Document)
	return nil
}

// UnmarshalJSON implements json.Unmarshaler and parses the document.
func (v *policyVersion) UnmarshalJSON(b []byte) error {
	type plain policyVersion
	if err := json.Unmarshal(b, (*plain)(v)); err != nil {
		return err
	}
	v.parsed = parseStored(v.Document)
	return nil
}

func nonSpace(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// urlEncodeRFC3986 percent-encodes everything but unreserved characters, as
// IAM does for policy documents in responses
// (docs/iam-notes.md#response-shapes). The SDK does not decode.
func urlEncodeRFC3986(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
