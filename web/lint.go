package web

import (
	"context"
	"strconv"
	"strings"
)

// lintText returns a policy lint finding's title, explanation and fix in
// ctx's language, from the catalog keys lint.<id>.title, .explanation and
// .fix (i18n/messages_lint.go) filled with the finding's params.
func lintText(ctx context.Context, f FindingRow) (title, explanation, fix string) {
	part := func(p string) string { return fill(T(ctx, "lint."+f.ID+"."+p), f.Params) }
	return part("title"), part("explanation"), part("fix")
}

// lintKeys returns the catalog keys of every finding policy can return.
func lintKeys(ids map[string]int) []string {
	var out []string
	for id := range ids {
		out = append(out, "lint."+id+".title", "lint."+id+".explanation", "lint."+id+".fix")
	}
	return out
}

// fill replaces %[n]s and %[n]q with the n-th param; unlike Sprintf it
// does not mind a text that uses only some of them (a title may name one
// param, the explanation another).
func fill(tmpl string, params []string) string {
	for i, p := range params {
		n := strconv.Itoa(i + 1)
		tmpl = strings.NewReplacer("%["+n+"]s", p, "%["+n+"]q", strconv.Quote(p)).Replace(tmpl)
	}
	return tmpl
}
