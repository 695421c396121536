package web

import (
	"context"
	"strings"
	"testing"

	"github.com/gatehouse/portal/policy"
)

// Every lint finding has a Japanese wording that uses all its params and
// formats cleanly.
func TestLintFindingsInJapanese(t *testing.T) {
	ctx := WithLang(context.Background(), JA)
	for id, n := range policy.FindingIDs {
		if _, ok := lintJA[id]; !ok {
			t.Errorf("finding %q has no Japanese wording", id)
			continue
		}
		params := make([]string, n)
		for i := range params {
			params[i] = "P" + string(rune('A'+i))
		}
		title, expl, fix := lintText(ctx, FindingRow{ID: id, Params: params})
		all := title + expl + fix
		if strings.Contains(all, "%[") {
			t.Errorf("finding %q: bad format: %s", id, all)
		}
		for _, p := range params {
			if !strings.Contains(all, p) {
				t.Errorf("finding %q does not show param %s: %s", id, p, all)
			}
		}
	}
	en := WithLang(context.Background(), EN)
	if title, _, _ := lintText(en, FindingRow{ID: "duplicate-sid", Title: "English title"}); title != "English title" {
		t.Errorf("English page shows %q", title)
	}
}
