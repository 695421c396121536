package iamemu

import (
	"encoding/json"
	"strings"
	"unicode"
)

// checkPolicyDocument applies the size quota and a grammar check with AWS's
// MalformedPolicyDocument texts (§5.3). limit is the size quota in
// non-whitespace characters with its quota name.
func (c *call) checkPolicyDocument(doc string, quota string, limit int) *apiError {
	size := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			size++
		}
	}
	if size > limit {
		return errf("LimitExceeded", "Cannot exceed quota for %s: %d", quota, limit)
	}
	malformed := func(msg string) *apiError { return &apiError{Code: "MalformedPolicyDocument", Message: msg} }
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &top); err != nil {
		return malformed("Syntax errors in policy.")
	}
	for k := range top {
		if k != "Version" && k != "Statement" && k != "Id" {
			return malformed("Syntax errors in policy.")
		}
	}
	var version string
	if raw, ok := top["Version"]; !ok || json.Unmarshal(raw, &version) != nil || version != "2012-10-17" {
		return malformed("Policy document must be version 2012-10-17 or greater.")
	}
	raw, ok := top["Statement"]
	if !ok {
		return malformed("Syntax errors in policy.")
	}
	var stmts []map[string]json.RawMessage
	if json.Unmarshal(raw, &stmts) != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(raw, &one) != nil {
			return malformed("Syntax errors in policy.")
		}
		stmts = []map[string]json.RawMessage{one}
	}
	for _, s := range stmts {
		if err := checkStatement(s, c.st.Partition); err != nil {
			return malformed(err.Error())
		}
	}
	return nil
}

type docError string

func (e docError) Error() string { return string(e) }

func checkStatement(s map[string]json.RawMessage, partition string) error {
	var effect string
	if json.Unmarshal(s["Effect"], &effect) != nil || (effect != "Allow" && effect != "Deny") {
		return docError("Syntax errors in policy.")
	}
	actions, hasAction := stringsOf(s, "Action")
	notActions, hasNotAction := stringsOf(s, "NotAction")
	if hasAction == hasNotAction {
		return docError("Syntax errors in policy.")
	}
	for _, a := range append(actions, notActions...) {
		if a == "*" {
			continue
		}
		switch strings.Count(a, ":") {
		case 0:
			return docError("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
		case 1:
		default:
			return docError("Actions/Condition can contain only one colon.")
		}
	}
	resources, hasRes := stringsOf(s, "Resource")
	notResources, hasNotRes := stringsOf(s, "NotResource")
	if !hasRes && !hasNotRes {
		return docError("Policy statement must contain resources.")
	}
	for _, r := range append(resources, notResources...) {
		if r != "*" && !strings.HasPrefix(r, "arn:") {
			return docError(`Resource ` + r + ` must be in ARN format or "*".`)
		}
		// A resource of another partition can never match (§3 ARN formats).
		if p := arnPartition(r); r != "*" && p != partition && !strings.ContainsAny(p, "*?") {
			return docError(`Partition "` + p + `" is not valid for resource "` + r + `".`)
		}
	}
	return nil
}

// stringsOf reads a string-or-list element.
func stringsOf(s map[string]json.RawMessage, key string) ([]string, bool) {
	raw, ok := s[key]
	if !ok {
		return nil, false
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, true
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many, true
	}
	return []string{""}, true
}

// urlEncodeRFC3986 percent-encodes everything but unreserved characters, as
// IAM does for policy documents in responses (§4). The SDK does not decode.
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
