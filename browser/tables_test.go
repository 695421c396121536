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

// brokenWords lists the audit actions and target kinds the page breaks
// across lines (mfa.device.creat|e, オペレー|ター), and the audit filter's
// text and date fields that take a whole line of the form each.
const brokenWords = `(() => {
	const lines = e => { const r = document.createRange(); r.selectNodeContents(e);
		return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; };
	const out = [...document.querySelectorAll("main td[data-col=action], main td[data-col=kind]")]
		.filter(e => lines(e) > 1).map(e => e.textContent.trim());
	const form = document.querySelector('form[action="/audit"]');
	if (form) for (const i of form.querySelectorAll("input[type=text], input[type=date]"))
		if (i.getBoundingClientRect().width > form.getBoundingClientRect().width / 2) out.push("field #" + i.id);
	return out;
})()`

// looseSpacing lists what is spaced wider than its container says: a
// stack's children further apart than its gap (a heading's margin on top
// of it), the dashboard's rows of tiles further apart than the grid's gap,
// a card's content further in than its padding, and a list in a card whose
// bullets sit on the card's edge.
const looseSpacing = `(() => {
	const out = [], box = e => e.getBoundingClientRect();
	for (const s of document.querySelectorAll("main form.stack, main div.stack, main ul.tiles")) {
		const gap = parseFloat(getComputedStyle(s).rowGap) || 0;
		const rows = [...new Set([...s.children].filter(k => k.getClientRects().length).map(k => box(k).top))].sort((a, b) => a - b);
		for (let i = 1; i < rows.length; i++) {
			const above = Math.max(...[...s.children].filter(k => k.getClientRects().length && box(k).top === rows[i - 1]).map(k => box(k).bottom));
			if (rows[i] - above > gap + 1) out.push((s.id || s.className) + ": " + Math.round(rows[i] - above) + "px where the gap is " + gap + "px");
		}
	}
	for (const c of document.querySelectorAll("main .card")) {
		const first = [...c.children].find(k => k.getClientRects().length), s = getComputedStyle(c);
		const room = first && box(first).top - box(c).top - parseFloat(s.borderTopWidth) - parseFloat(s.paddingTop);
		if (room > 1) out.push("card " + (c.dataset.testid || c.className) + ": " + Math.round(room) + "px above its content on top of its padding");
	}
	for (const u of document.querySelectorAll("main ul.card"))
		for (const li of u.children) if (box(li).left - box(u).left < 24) out.push("bullet on the card's edge: " + li.textContent.trim().slice(0, 30));
	return out;
})()`

// TestDetailColumnHasRoom opens the audit log and a user's timeline at
// 1280 px: the Detail column, the one people read, gets at least a third
// of a table that fits the page, with no box scrolling sideways; an
// action or a kind is never broken inside, and the filter's fields sit
// side by side instead of one per line. There and on the dashboard,
// nothing is spaced wider than its container's gap.
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
		b.open("/dashboard?lang=" + lang)
		if loose := run(b, "spacing /dashboard", chromedp.Evaluate[[]string](looseSpacing)); len(loose) > 0 {
			t.Errorf("%s /dashboard: %q", lang, loose)
		}
		for _, path := range []string{"/audit", "/users/a.person.with.a.rather.long.user.name"} {
			b.open(path + "?lang=" + lang)
			if loose := run(b, "spacing "+path, chromedp.Evaluate[[]string](looseSpacing)); len(loose) > 0 {
				t.Errorf("%s %s: %q", lang, path, loose)
			}
			m := run(b, "measure "+path, chromedp.Evaluate[columnRoom](measureDetail))
			switch {
			case !m.Found:
				t.Errorf("%s %s: no Detail column", lang, path)
			case m.Scrolls:
				t.Errorf("%s %s: a table scrolls sideways at 1280 px", lang, path)
			case m.DetailWidth < m.TableWidth/3:
				t.Errorf("%s %s: the Detail column is %.0f px of a %.0f px table", lang, path, m.DetailWidth, m.TableWidth)
			}
			if broken := run(b, "broken words "+path, chromedp.Evaluate[[]string](brokenWords)); len(broken) > 0 {
				t.Errorf("%s %s: broken across lines or a line each: %q", lang, path, broken)
			}
		}
	}
}
