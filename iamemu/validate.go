package iamemu

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// rule is a string constraint from the IAM model: length bounds and a
// pattern. shown is the pattern as AWS prints it in ValidationError messages;
// re is the Go equivalent, anchored.
type rule struct {
	min, max int // max 0 = unbounded
	shown    string
	re       *regexp.Regexp
}

func mkRule(min, max int, shown, goPattern string) rule {
	r := rule{min: min, max: max, shown: shown}
	if goPattern != "" {
		r.re = regexp.MustCompile(`^(?:` + goPattern + `)$`)
	}
	return r
}

var (
	ruleUserName     = mkRule(1, 64, `[\w+=,.@-]+`, `[\w+=,.@-]+`)
	ruleUserRef      = mkRule(1, 128, `[\w+=,.@-]+`, `[\w+=,.@-]+`) // existingUserNameType
	ruleGroupName    = mkRule(1, 128, `[\w+=,.@-]+`, `[\w+=,.@-]+`)
	rulePolicyName   = mkRule(1, 128, `[\w+=,.@-]+`, `[\w+=,.@-]+`)
	ruleDeviceName   = mkRule(1, 0, `[\w+=,.@-]+`, `[\w+=,.@-]+`)
	ruleSerial       = mkRule(9, 256, `[\w+=/:,.@-]+`, `[\w+=/:,.@-]+`)
	ruleAuthCode     = mkRule(6, 6, `[\d]+`, `[0-9]+`)
	rulePassword     = mkRule(1, 128, `[\u0009\u000A\u000D\u0020-\u00FF]+`, `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+`)
	rulePolicyDoc    = mkRule(1, 131072, `[\u0009\u000A\u000D\u0020-\u00FF]+`, `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+`)
	rulePath         = mkRule(1, 512, `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, `/|/[\x{21}-\x{7E}]+/`)
	rulePolicyPath   = mkRule(1, 512, `((/[A-Za-z0-9\.,\+@=_-]+)*)/`, `((/[A-Za-z0-9\.,\+@=_-]+)*)/`)
	rulePathPrefix   = mkRule(1, 512, `\u002F[\u0021-\u007F]*`, `/[\x{21}-\x{7F}]*`)
	rulePolicyArn    = mkRule(20, 2048, "", "")
	ruleVersionID    = mkRule(0, 0, `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`, `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`)
	ruleAccessKeyID  = mkRule(16, 128, `[\w]+`, `\w+`)
	ruleCredentialID = mkRule(20, 128, `[\w]+`, `\w+`)
	ruleTagKey       = mkRule(1, 128, `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`, `[\pL\pZ\pN_.:/=+\-@]+`)
	ruleTagValue     = mkRule(0, 256, `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, `[\pL\pZ\pN_.:/=+\-@]*`)
	ruleDescription  = mkRule(0, 1000, "", "")
	ruleServiceName  = mkRule(1, 0, "", "")
)

// checker collects ValidationError messages so several violations are
// reported together, as AWS does ("2 validation errors detected: …").
type checker struct{ msgs []string }

// str checks an optional parameter; required adds the null check.
func (v *checker) str(p params, key string, r rule, required bool) string {
	val, present := p[key]
	member := lowerFirst(key)
	if !present {
		if required {
			v.msgs = append(v.msgs, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", member))
		}
		return ""
	}
	v.check(member, val[0], r)
	return val[0]
}

func (v *checker) check(member, s string, r rule) {
	n := utf8.RuneCountInString(s)
	switch {
	case n < r.min:
		v.msgs = append(v.msgs, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", member, r.min))
	case r.max > 0 && n > r.max:
		v.msgs = append(v.msgs, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", member, r.max))
	case r.re != nil && !r.re.MatchString(s):
		v.msgs = append(v.msgs, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", member, r.shown))
	}
}

// enum checks an optional enum parameter.
func (v *checker) enum(p params, key string, required bool, allowed ...string) string {
	val, present := p[key]
	if !present {
		if required {
			v.msgs = append(v.msgs, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(key)))
		}
		return ""
	}
	for _, a := range allowed {
		if val[0] == a {
			return a
		}
	}
	v.msgs = append(v.msgs, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", val[0], lowerFirst(key), strings.Join(allowed, ", ")))
	return val[0]
}

func (v *checker) err() *apiError {
	if len(v.msgs) == 0 {
		return nil
	}
	return validationErr(v.msgs...)
}

// checkTags validates a tag list as CreateUser/TagUser do
// (docs/iam-notes.md#names-limits-and-quotas). foldCase is true for users,
// whose tag keys IAM compares without regard to case (Department and
// department are one key); policy and MFA device tag keys are case-sensitive.
// Keys may not start with the reserved "aws:" in any case.
func checkTags(tags []tag, foldCase bool) *apiError {
	var v checker
	if len(tags) > 50 {
		v.msgs = append(v.msgs, "Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	for i, t := range tags {
		v.check(fmt.Sprintf("tags.%d.member.key", i+1), t.Key, ruleTagKey)
		v.check(fmt.Sprintf("tags.%d.member.value", i+1), t.Value, ruleTagValue)
	}
	if err := v.err(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if reservedTagKey(t.Key) {
			return errf("InvalidInput", "Tag keys starting with 'aws:' are reserved for internal use.")
		}
		k := t.Key
		if foldCase {
			k = strings.ToLower(k)
		}
		if seen[k] {
			return errf("InvalidInput", "Duplicate tag keys found.")
		}
		seen[k] = true
	}
	return nil
}

// reservedTagKey reports whether key has AWS's reserved prefix.
func reservedTagKey(key string) bool { return len(key) >= 4 && strings.EqualFold(key[:4], "aws:") }

// checkPath validates a user/device Path with AWS's dedicated message
// (docs/iam-notes.md#names-limits-and-quotas).
func checkPath(p params, key string) (string, *apiError) {
	path, ok := p[key]
	if !ok {
		return "/", nil
	}
	n := utf8.RuneCountInString(path[0])
	if n > 512 || n < 1 {
		var v checker
		v.check(lowerFirst(key), path[0], rulePath)
		return "", v.err()
	}
	if !rulePath.re.MatchString(path[0]) {
		return "", errf("ValidationError", "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
	}
	return path[0], nil
}

// newEntity finishes the checks every Create* of a pathed, taggable entity
// makes after its own parameters: the parameter errors v gathered, the
// Path, the Tags (keys compared ignoring case where IAM does, foldCase) and
// — for users and roles, boundary — a PermissionsBoundary, which this
// emulator refuses.
func (c *call) newEntity(v *checker, foldCase, boundary bool) (path string, tags []tag, _ *apiError) {
	if err := v.err(); err != nil {
		return "", nil, err
	}
	path, err := checkPath(c.p, "Path")
	if err != nil {
		return "", nil, err
	}
	tags = c.p.tags()
	if err := checkTags(tags, foldCase); err != nil {
		return "", nil, err
	}
	if boundary && c.p.get("PermissionsBoundary") != "" {
		return "", nil, errf("InvalidInput", "Permissions boundaries are not supported by this emulator.")
	}
	return path, tags, nil
}
