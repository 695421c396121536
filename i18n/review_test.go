package i18n

import (
	"strings"
	"testing"
)

// TestACountOfOneReadsInTheSingular: "Onboard 1 user", "1 device was
// deleted", no "1 rows" or "1 versions"; other counts keep the plural, and
// Japanese reads the same either way.
func TestACountOfOneReadsInTheSingular(t *testing.T) {
	for _, tc := range []struct {
		lang Lang
		key  string
		args []any
		want string
	}{
		{EN, "bulk.start", []any{1}, "Onboard 1 user"},
		{EN, "bulk.start", []any{2}, "Onboard 2 users"},
		{JA, "bulk.start", []any{1}, "1 人を登録する"},
		{EN, "flash.devices.deleted", []any{1}, "1 device was deleted."},
		{EN, "flash.devices.deleted", []any{3}, "3 devices were deleted."},
	} {
		if got := T(tc.lang, tc.key, tc.args...); got != tc.want {
			t.Errorf("%s %s %v: %q, want %q", tc.lang, tc.key, tc.args, got, tc.want)
		}
	}
	for _, s := range []string{T(EN, "bulk.preview.summary", 1, 1), T(EN, "policy.present.detail", "v1", 1)} {
		if strings.Contains(s, "1 rows") || strings.Contains(s, "1 versions") {
			t.Errorf("%q counts one in the plural", s)
		}
	}
	for _, k := range singularKeys {
		base := strings.TrimSuffix(k, ".one")
		if _, ok := catalogs[EN][base]; !ok || base == k {
			t.Errorf("singular %q has no plural message %q", k, base)
		}
	}
}
