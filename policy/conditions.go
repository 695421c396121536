package policy

import (
	"bytes"
	"encoding/base64"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// family groups operators that share a value type and comparison.
type family uint8

const (
	famString family = iota
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famArn
	famNull
)

// opSpec describes a base operator (no qualifier, no IfExists suffix).
// Negated operators are stored as their positive counterpart plus negated,
// which gives the documented NOR over values and "missing key → true"
// (docs/policy-evaluation.md#conditions).
type opSpec struct {
	fam      family
	positive string // the positive operator whose result is negated, or itself
	negated  bool
	// vars: policy variables are substituted in String and Arn values only
	// (docs/policy-evaluation.md#conditions). AWS's Bool page lists variables
	// but the variables page says no; we follow the variables page, so "${…}"
	// in a Bool value is text.
	vars bool
}

var baseOperators = func() map[string]opSpec {
	m := map[string]opSpec{
		"Bool":         {fam: famBool, positive: "Bool"},
		"BinaryEquals": {fam: famBinary, positive: "BinaryEquals"},
		"IpAddress":    {fam: famIP, positive: "IpAddress"},
		"NotIpAddress": {fam: famIP, positive: "IpAddress", negated: true},
		"Null":         {fam: famNull, positive: "Null"},
	}
	pairs := func(fam family, vars bool, prefix string, names ...string) {
		for _, n := range names {
			m[prefix+n] = opSpec{fam: fam, positive: prefix + n, vars: vars}
			if neg, ok := strings.CutPrefix(n, "Equals"); ok {
				m[prefix+"NotEquals"+neg] = opSpec{fam: fam, positive: prefix + n, negated: true, vars: vars}
			}
			if neg, ok := strings.CutPrefix(n, "Like"); ok {
				m[prefix+"NotLike"+neg] = opSpec{fam: fam, positive: prefix + n, negated: true, vars: vars}
			}
		}
	}
	pairs(famString, true, "String", "Equals", "EqualsIgnoreCase", "Like")
	pairs(famArn, true, "Arn", "Equals", "Like")
	pairs(famNumeric, false, "Numeric", "Equals", "LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals")
	pairs(famDate, false, "Date", "Equals", "LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals")
	return m
}()

// operator is a parsed Condition operator such as "ForAllValues:StringLikeIfExists".
type operator struct {
	qualifier string // "", "ForAnyValue" or "ForAllValues"
	spec      opSpec
	ifExists  bool
}

func parseOperator(name string) (operator, string) {
	var op operator
	rest := name
	if q, r, ok := strings.Cut(name, ":"); ok {
		if q != "ForAnyValue" && q != "ForAllValues" {
			return op, "unknown set qualifier " + strconv.Quote(q) + " (use ForAnyValue or ForAllValues)"
		}
		op.qualifier, rest = q, r
	}
	if base, ok := strings.CutSuffix(rest, "IfExists"); ok {
		op.ifExists, rest = true, base
	}
	spec, ok := baseOperators[rest]
	if !ok {
		return op, "unknown condition operator"
	}
	if spec.fam == famNull && op.ifExists {
		return op, "Null cannot take IfExists (Access Analyzer: \"Null with if exists\")"
	}
	op.spec = spec
	return op, ""
}

// checkOperator returns why name is not a valid operator, or "".
func checkOperator(name string) string {
	_, msg := parseOperator(name)
	return msg
}

// evalCondition evaluates one operator/key pair against the request.
func evalCondition(c Condition, ctx reqContext, vars bool) bool {
	op, msg := parseOperator(c.Operator)
	if msg != "" {
		return false
	}
	reqVals, present := ctx.get(c.Key)
	if op.spec.fam == famNull {
		// "true": the key must be absent; "false": present. Values OR.
		for _, v := range c.Values {
			if b, err := strconv.ParseBool(v); err == nil && b != present {
				return true
			}
		}
		return false
	}
	var pols [][]globTok
	for _, v := range c.Values {
		p, ok, _ := compileValue(v, ctx, vars && op.spec.vars)
		if ok { // an unresolved variable never matches (golden C24b)
			pols = append(pols, p)
		}
	}
	// one reports whether a single request value satisfies the operator:
	// any policy value for positive operators, none for negated ones.
	one := func(r string) bool {
		return compare(op.spec, r, pols...) != op.spec.negated
	}
	switch op.qualifier {
	case "ForAnyValue": // missing or empty key → false (golden C34)
		if !present {
			return op.ifExists
		}
		for _, r := range reqVals {
			if one(r) {
				return true
			}
		}
		return false
	case "ForAllValues": // missing or empty key → true, vacuously (golden C33)
		for _, r := range reqVals {
			if !one(r) {
				return false
			}
		}
		return true
	}
	if !present {
		// Missing key: IfExists and negated operators hold, others fail.
		return op.ifExists || op.spec.negated
	}
	// A single-valued operator given several request values: positive
	// operators need one match, negated ones need no value to match.
	hit := false
	for _, r := range reqVals {
		if compare(op.spec, r, pols...) {
			hit = true
			break
		}
	}
	return hit != op.spec.negated
}

// compare applies the positive form of spec (spec.negated is ignored) to one
// request value and reports whether any of the policy values matches.
func compare(spec opSpec, r string, pols ...[]globTok) bool {
	for _, p := range pols {
		if comparePositive(spec, r, p) {
			return true
		}
	}
	return false
}

func comparePositive(spec opSpec, r string, p []globTok) bool {
	switch spec.positive {
	case "StringEquals":
		return r == patternString(p)
	case "StringEqualsIgnoreCase":
		return strings.EqualFold(r, patternString(p))
	case "StringLike":
		return globMatch(p, r, false)
	case "ArnEquals", "ArnLike": // identical in AWS
		return arnMatch(p, r)
	case "Bool": // case-insensitive after parsing (golden M11)
		a, ok1 := parseBool(r)
		b, ok2 := parseBool(patternString(p))
		return ok1 && ok2 && a == b
	case "BinaryEquals":
		return binaryEqual(r, patternString(p))
	case "IpAddress":
		return ipMatch(r, patternString(p))
	}
	switch spec.fam {
	case famNumeric:
		a, ok1 := parseNumber(r)
		b, ok2 := parseNumber(patternString(p))
		return ok1 && ok2 && ordered(spec.positive, a.Cmp(b))
	case famDate:
		a, ok1 := parseDate(r)
		b, ok2 := parseDate(patternString(p))
		return ok1 && ok2 && ordered(spec.positive, a.Compare(b))
	}
	return false
}

// ordered interprets a three-way comparison for Numeric*/Date* operators.
func ordered(name string, cmp int) bool {
	switch {
	case strings.HasSuffix(name, "LessThanEquals"):
		return cmp <= 0
	case strings.HasSuffix(name, "LessThan"):
		return cmp < 0
	case strings.HasSuffix(name, "GreaterThanEquals"):
		return cmp >= 0
	case strings.HasSuffix(name, "GreaterThan"):
		return cmp > 0
	}
	return cmp == 0
}

// parseNumber reads an integer or decimal exactly. Exponent forms go
// through float64: big.Rat would expand "1e999999999" into a billion-digit
// number, a cheap denial of service through a policy or context value.
func parseNumber(s string) (*big.Rat, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 || strings.Contains(s, "/") {
		return nil, false
	}
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, false
		}
		r := new(big.Rat).SetFloat64(f)
		return r, r != nil
	}
	return new(big.Rat).SetString(s)
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// parseDate accepts W3C ISO-8601 forms and epoch seconds.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > -1e12 && f < 1e12 {
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), true
	}
	return time.Time{}, false
}

func binaryEqual(a, b string) bool {
	x, err1 := base64.StdEncoding.DecodeString(a)
	y, err2 := base64.StdEncoding.DecodeString(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	return bytes.Equal(x, y)
}

// ipMatch reports whether address r lies in CIDR p; a bare address in the
// policy means a single host (/32 or /128).
func ipMatch(r, p string) bool {
	addr, err := netip.ParseAddr(strings.TrimSpace(r))
	if err != nil {
		return false
	}
	pfx, err := netip.ParsePrefix(strings.TrimSpace(p))
	if err != nil {
		a, err := netip.ParseAddr(strings.TrimSpace(p))
		if err != nil {
			return false
		}
		pfx = netip.PrefixFrom(a, a.BitLen())
	}
	return pfx.Contains(addr.Unmap())
}
