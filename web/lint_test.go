package web

import (
	"context"
	"strings"
	"testing"

	"github.com/gatehouse/portal/policy"
)

// Every lint finding is worded in both languages, uses all its params and
// leaves no verb unfilled.
func TestLintFindingsInBothLanguages(t *testing.T) {
	for _, lang := range []Lang{EN, JA} {
		ctx := WithLang(context.Background(), lang)
		for id, n := range policy.FindingIDs {
			params := make([]string, n)
			for i := range params {
				params[i] = "P" + string(rune('A'+i))
			}
			title, expl, fix := lintText(ctx, FindingRow{ID: id, Params: params})
			all := title + expl + fix
			if strings.Contains(all, "%[") || strings.Contains(all, "lint."+id) || title == "" || expl == "" || fix == "" {
				t.Errorf("%s %q: title %q, explanation %q, fix %q", lang, id, title, expl, fix)
			}
			for _, p := range params {
				if !strings.Contains(all, p) {
					t.Errorf("%s %q does not show param %s: %s", lang, id, p, all)
				}
			}
		}
	}
	title, _, _ := lintText(WithLang(context.Background(), JA), FindingRow{ID: "duplicate-sid", Params: []string{"S1"}})
	if title != "ステートメント ID が重複しています" {
		t.Errorf("Japanese title = %q", title)
	}
}
