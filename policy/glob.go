package policy

import "strings"

// Wildcards are matched by a small rune matcher rather than a regexp
// translation: PMapper's translation escaped only ".", "$" and "^", so a user
// called "dev+ops" turned into a regex quantifier (golden G49). Here
// every rune is literal unless it is a wildcard token.

// tokKind tells a literal rune from the two wildcards.
type tokKind uint8

const (
	tokLit  tokKind = iota
	tokStar         // '*': any sequence, including '/' (and ':' in the last ARN part)
	tokOne          // '?': exactly one rune
)

// globTok is one element of a compiled pattern. Values substituted from
// policy variables and the escapes ${*} ${?} ${$} become tokLit, so a '*' in
// them can never act as a wildcard
// (docs/policy-evaluation.md#policy-variables).
type globTok struct {
	r    rune
	kind tokKind
}

// literalPattern compiles s treating '*' and '?' as wildcards.
func literalPattern(s string) []globTok {
	out := make([]globTok, 0, len(s))
	for _, r := range s {
		out = append(out, wildTok(r))
	}
	return out
}

func wildTok(r rune) globTok {
	switch r {
	case '*':
		return globTok{kind: tokStar}
	case '?':
		return globTok{kind: tokOne}
	}
	return globTok{r: r}
}

// patternString renders tokens back to text, wildcards as '*' and '?'. It is
// what the Equals operators compare: there '*' has no special meaning.
func patternString(p []globTok) string {
	var b strings.Builder
	for _, t := range p {
		switch t.kind {
		case tokStar:
			b.WriteByte('*')
		case tokOne:
			b.WriteByte('?')
		default:
			b.WriteRune(t.r)
		}
	}
	return b.String()
}

// globMatch reports whether s matches p. With fold, letters compare
// case-insensitively (Action/NotAction). The algorithm is the classic
// linear backtracking over the last star, so hostile patterns stay O(n*m).
func globMatch(p []globTok, s string, fold bool) bool {
	rs := []rune(s)
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(rs) {
		if pi < len(p) {
			t := p[pi]
			switch {
			case t.kind == tokStar:
				starP, starS = pi, si
				pi++
				continue
			case t.kind == tokOne || runeEq(t.r, rs[si], fold):
				pi++
				si++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		pi = starP + 1
		starS++
		si = starS
	}
	for pi < len(p) && p[pi].kind == tokStar {
		pi++
	}
	return pi == len(p)
}

func runeEq(a, b rune, fold bool) bool {
	if a == b {
		return true
	}
	return fold && strings.EqualFold(string(a), string(b))
}

// splitARN splits compiled tokens at literal ':' into at most six parts, the
// way an ARN's partition, service, region, account and resource are
// separated; colons inside the sixth part stay part of the resource.
func splitARN(p []globTok) [][]globTok {
	var parts [][]globTok
	start := 0
	for i, t := range p {
		if len(parts) == 5 {
			break
		}
		if t.kind == tokLit && t.r == ':' {
			parts = append(parts, p[start:i])
			start = i + 1
		}
	}
	return append(parts, p[start:])
}

// arnMatch matches an ARN pattern component by component
// (docs/policy-evaluation.md#statement-matching): wildcards inside a
// component do not cross into the next, except that a pattern with fewer than
// six components whose last one ends in '*' lets that '*' run past the
// remaining colons, as AWS documents for Resource. Non-ARN strings (such as a
// request resource "*") fall back to a whole-string match.
func arnMatch(p []globTok, s string) bool {
	if len(p) == 1 && p[0].kind == tokStar {
		return true
	}
	pp := splitARN(p)
	sp := strings.SplitN(s, ":", 6)
	if len(pp) < 2 || len(sp) < 6 {
		return globMatch(p, s, false)
	}
	for i, part := range pp {
		last := i == len(pp)-1
		if last && len(pp) < 6 {
			n := len(part)
			if n == 0 || part[n-1].kind != tokStar {
				return false
			}
			return globMatch(part, strings.Join(sp[i:], ":"), false)
		}
		if !globMatch(part, sp[i], false) {
			return false
		}
	}
	return true
}
