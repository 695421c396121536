package policy

import "strings"

// reqContext holds request context values under lower-cased key names:
// condition keys and variable names are case-insensitive
// (docs/policy-evaluation.md#policy-variables).
type reqContext map[string][]string

func newReqContext(ctx map[string][]string) reqContext {
	out := make(reqContext, len(ctx))
	for k, v := range ctx {
		lk := strings.ToLower(k)
		out[lk] = append(out[lk], v...)
	}
	return out
}

// get returns the values of key and whether the key is present with at
// least one value; an empty list counts as absent.
func (c reqContext) get(key string) ([]string, bool) {
	v := c[strings.ToLower(key)]
	return v, len(v) > 0
}

// compileValue turns a policy string (a Resource pattern or a condition
// value) into glob tokens, substituting policy variables when vars is true,
// i.e. only under Version 2012-10-17
// (docs/policy-evaluation.md#statement-matching: older or missing versions
// treat "${aws:username}" as literal text, golden M1/M2).
//
// Substituted values and the escapes ${*} ${?} ${$} become literal runes. ok
// is false when a variable has no value and no default; the caller then
// treats the pattern as matching nothing
// (docs/policy-evaluation.md#policy-variables). unresolved names those keys.
func compileValue(s string, ctx reqContext, vars bool) (p []globTok, ok bool, unresolved []string) {
	if !vars || !strings.Contains(s, "${") {
		return literalPattern(s), true, nil
	}
	ok = true
	for s != "" {
		i := strings.Index(s, "${")
		if i < 0 {
			p = append(p, literalPattern(s)...)
			break
		}
		p = append(p, literalPattern(s[:i])...)
		end := strings.IndexByte(s[i:], '}')
		if end < 0 { // unterminated: the rest is plain text
			p = append(p, literalPattern(s[i:])...)
			break
		}
		inner := s[i+2 : i+end]
		s = s[i+end+1:]
		v, found, isVar := resolveVariable(inner, ctx)
		switch {
		case !isVar:
			p = append(p, literalPattern("${"+inner+"}")...)
		case found:
			for _, r := range v {
				p = append(p, globTok{r: r})
			}
		default:
			ok = false
			unresolved = append(unresolved, variableKey(inner))
		}
	}
	return p, ok, unresolved
}

// resolveVariable resolves the text between "${" and "}". isVar is false
// when the text is not a well-formed variable (it then stays literal).
func resolveVariable(inner string, ctx reqContext) (val string, found, isVar bool) {
	switch inner {
	case "*", "?", "$":
		return inner, true, true
	}
	key, def, hasDef, wellFormed := splitDefault(inner)
	if !wellFormed {
		return "", false, false
	}
	// Only single-valued keys can be variables; a multivalued one is
	// as unusable as a missing one.
	if vals, present := ctx.get(key); present && len(vals) == 1 {
		return vals[0], true, true
	}
	if hasDef {
		return def, true, true
	}
	return "", false, true
}

// splitDefault parses "key" or "key, 'default'". AWS documents only the basic
// form; whitespace around the key and a doubled single quote inside the
// default (a literal quote) follow Huawei's copy of the design
// (docs/policy-evaluation.md#policy-variables, unverified for AWS).
func splitDefault(inner string) (key, def string, hasDef, ok bool) {
	k, rest, hasComma := strings.Cut(inner, ",")
	key = strings.TrimSpace(k)
	if key == "" || strings.ContainsAny(key, " \t${'") {
		return "", "", false, false
	}
	if !hasComma {
		return key, "", false, true
	}
	rest = strings.TrimSpace(rest)
	if len(rest) < 2 || rest[0] != '\'' || rest[len(rest)-1] != '\'' {
		return "", "", false, false
	}
	body := rest[1 : len(rest)-1]
	if strings.Contains(strings.ReplaceAll(body, "''", ""), "'") {
		return "", "", false, false
	}
	return key, strings.ReplaceAll(body, "''", "'"), true, true
}

// variableKey names the key of a variable expression, for reports.
func variableKey(inner string) string {
	k, _, _ := strings.Cut(inner, ",")
	return strings.TrimSpace(k)
}

// variableRefs lists the keys referenced by variables without a default in
// s, for MissingContextValues. It returns nothing when vars is false.
func variableRefs(s string, vars bool) []string {
	if !vars {
		return nil
	}
	var keys []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return keys
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return keys
		}
		inner := s[i+2 : i+end]
		s = s[i+end+1:]
		if key, _, hasDef, ok := splitDefault(inner); ok && !hasDef && inner != "*" && inner != "?" && inner != "$" {
			keys = append(keys, key)
		}
	}
}
