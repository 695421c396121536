package web

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// Every message key must exist in both catalogs, so no page falls back to
// another language or shows a raw key.
func TestCatalogsHaveTheSameKeys(t *testing.T) {
	for _, pair := range [][2]Lang{{EN, JA}, {JA, EN}} {
		for _, k := range CatalogKeys(pair[0]) {
			if _, ok := catalogs[pair[1]][k]; !ok {
				t.Errorf("key %q is in %s but missing from %s", k, pair[0], pair[1])
			}
		}
	}
}

// Format verbs must match between languages, or a translation would print
// %!s(MISSING) or drop an argument.
func TestCatalogsUseTheSameFormatVerbs(t *testing.T) {
	verbs := func(s string) []string {
		var out []string
		for i := 0; i < len(s)-1; i++ {
			if s[i] == '%' {
				out = append(out, s[i:i+2])
				i++
			}
		}
		slices.Sort(out)
		return out
	}
	for _, k := range CatalogKeys(EN) {
		en, ja := catalogs[EN][k], catalogs[JA][k]
		if !slices.Equal(verbs(en), verbs(ja)) {
			t.Errorf("key %q: en verbs %v, ja verbs %v", k, verbs(en), verbs(ja))
		}
	}
}

func TestLanguageSelection(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   Lang
	}{
		{"ja,en-US;q=0.9", JA},
		{"en-GB,en;q=0.9,ja;q=0.8", EN},
		{"fr-FR,ja;q=0.5", JA},
		{"", EN},
		{"de", EN},
	} {
		if got := MatchAcceptLanguage(tc.header); got != tc.want {
			t.Errorf("Accept-Language %q → %s, want %s", tc.header, got, tc.want)
		}
	}
	ctx := WithLang(context.Background(), JA)
	if got := T(ctx, "nav.signout"); got != "サインアウト" {
		t.Errorf("T(ja, nav.signout) = %q", got)
	}
	if got := T(ctx, "no.such.key"); !strings.Contains(got, "no.such.key") {
		t.Errorf("missing key shows as %q, want the key itself", got)
	}
}
