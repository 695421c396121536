package i18n

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/portal"
)

// Every message key must exist in both catalogs, so no page falls back to
// another language or shows a raw key.
func TestCatalogsHaveTheSameKeys(t *testing.T) {
	for _, pair := range [][2]Lang{{EN, JA}, {JA, EN}} {
		for _, k := range Keys(pair[0]) {
			if _, ok := catalogs[pair[1]][k]; !ok {
				t.Errorf("key %q is in %s but missing from %s", k, pair[0], pair[1])
			}
		}
	}
}

// Format verbs must match between languages, or a translation would print
// %!s(MISSING) or drop an argument. English may quote with %q where
// Japanese writes 「%s」: both take a string.
func TestCatalogsUseTheSameFormatVerbs(t *testing.T) {
	verbs := func(s string) []string {
		var out []string
		for i := 0; i < len(s)-1; i++ {
			if s[i] == '%' {
				out = append(out, strings.Replace(s[i:i+2], "%q", "%s", 1))
				i++
			}
		}
		slices.Sort(out)
		return out
	}
	for _, k := range Keys(EN) {
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
	if got := T(JA, "nav.signout"); got != "サインアウト" {
		t.Errorf("T(ja, nav.signout) = %q", got)
	}
	if got := T(JA, "no.such.key"); !strings.Contains(got, "no.such.key") {
		t.Errorf("missing key shows as %q, want the key itself", got)
	}
}

// Errors are shown by key in the reader's language, arguments that are
// messages themselves (a state) too; internal errors never show their text.
func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		en, ja string
	}{
		{"by key with an argument", portal.E(portal.ECONFLICT, "err.user.managed", "bob"),
			"Gatehouse already manages a user named bob.", "Gatehouse は既にユーザー bob を管理しています。"},
		{"wrapped keyed error", fmt.Errorf("create: %w", portal.E(portal.ECONFLICT, "err.user.managed", "bob")),
			"Gatehouse already manages a user named bob.", "Gatehouse は既にユーザー bob を管理しています。"},
		{"argument that is a message itself", portal.E(portal.ECONFLICT, "err.extend.state", "bob", portal.StateText(portal.StateEnrolled)),
			"bob is Enrolled: there is no enrollment deadline to extend.", "bob は「MFA 登録済み」のため、延長できる登録期限がありません。"},
		{"internal error hides its text", errors.New("pq: connection refused at 10.0.0.1"),
			"Something went wrong on our side. The problem was logged; please try again.", "サーバー側で問題が発生しました。記録済みです。もう一度お試しください。"},
		{"internal portal error hides its key", portal.E(portal.EINTERNAL, "err.user.managed", "x"),
			"Something went wrong on our side. The problem was logged; please try again.", "サーバー側で問題が発生しました。記録済みです。もう一度お試しください。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ErrorText(EN, tc.err); got != tc.en {
				t.Errorf("en: %q, want %q", got, tc.en)
			}
			if got := ErrorText(JA, tc.err); got != tc.ja {
				t.Errorf("ja: %q, want %q", got, tc.ja)
			}
		})
	}
	if got := ErrorText(EN, nil); got != "" {
		t.Errorf("nil error: %q", got)
	}
}
