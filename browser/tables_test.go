package browser_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	gh "github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
)

// columnRoom is how a table's Detail column fares on the current page.
type columnRoom struct {
	Found       bool    `json:"found"`
	TableWidth  float64 `json:"tableWidth"`
	DetailWidth float64 `json:"detailWidth"`
	Scrolls     bool    `json:"scrolls"` // a table's box scrolls sideways
}

const measureDetail = `(() => {
	const th = [...document.querySelectorAll("main th")].find(th => th.dataset.col === "detail");
	if (!th) return {found: false};
	const table = th.closest("table"), box = table.parentElement;
	return {found: true, tableWidth: table.getBoundingClientRect().width, detailWidth: th.getBoundingClientRect().width,
		scrolls: [...document.querySelectorAll("main table")].some(t => t.parentElement.scrollWidth > t.parentElement.clientWidth)};
})()`

// TestDetailColumnHasRoom opens the audit log and a user's timeline at
// 1280 px: the Detail column, the one people read, gets at least a third
// of a table that fits the page, with no box scrolling sideways.
func TestDetailColumnHasRoom(t *testing.T) {
	chromium(t)
	p := startPortal(t)
	b := newTab(t, p.url, 1280, true)
	adminJourney(t, b, p, "en", false)
	if _, err := p.onb.Onboard(context.Background(), onboarding.Actor{Name: "admin"}, gh.NewUser{UserName: "a.person.with.a.rather.long.user.name",
		DisplayName: "Alexandrina Konstantinopoulou-Vanderberg", Email: "alexandrina.konstantinopoulou@subdivision.example-company.co.jp"}); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "ja"} {
		for _, path := range []string{"/audit", "/users/a.person.with.a.rather.long.user.name"} {
			b.open(path + "?lang=" + lang)
			m := run(b, "measure "+path, chromedp.Evaluate[columnRoom](measureDetail))
			switch {
			case !m.Found:
				t.Errorf("%s %s: no Detail column", lang, path)
			case m.Scrolls:
				t.Errorf("%s %s: a table scrolls sideways at 1280 px", lang, path)
			case m.DetailWidth < m.TableWidth/3:
				t.Errorf("%s %s: the Detail column is %.0f px of a %.0f px table", lang, path, m.DetailWidth, m.TableWidth)
			}
		}
	}
}
