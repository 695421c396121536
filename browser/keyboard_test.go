package browser_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// ring is the focus ring of one focused element and the contrast of its
// colour against what it is drawn on.
type ring struct {
	What     string  `json:"what"`
	Style    string  `json:"style"`
	Width    string  `json:"width"`
	Color    string  `json:"color"`
	Contrast float64 `json:"contrast"`
}

// measureRings focuses each kind of control on the page (after a key
// press, as a keyboard user does) and reads its focus ring.
const measureRings = `(() => {
	const lum = c => {
		const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
			.map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
		return 0.2126 * r + 0.7152 * g + 0.0722 * b;
	};
	const bg = e => {
		for (e = e.parentElement; e; e = e.parentElement) {
			const c = getComputedStyle(e).backgroundColor;
			if (c && !/rgba\(.*, 0\)$/.test(c) && c !== "transparent") return c;
		}
		return "rgb(255, 255, 255)";
	};
	const out = [];
	for (const sel of ["header a", "nav.tools a", "main a", "main button", "main input", "main select", "details.menu summary", "header button"]) {
		const e = [...document.querySelectorAll(sel)].find(e => e.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true}));
		if (!e) continue;
		e.focus();
		if (document.activeElement !== e) { out.push({what: sel + " not focused: " + e.outerHTML.slice(0, 80) + " active " + document.activeElement.outerHTML.slice(0, 60)}); continue; }
		const s = getComputedStyle(e), a = lum(s.outlineColor), b = lum(bg(e));
		out.push({what: sel, style: s.outlineStyle, width: s.outlineWidth, color: s.outlineColor,
			contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)});
	}
	return out;
})()`

// TestKeyboardAndNavigation: the admin tools are in the header for all to
// see, a skip link leads past the header, every control has the same focus
// ring with at least 3:1 contrast, and Esc closes the account menu.
func TestKeyboardAndNavigation(t *testing.T) {
	chromium(t)
	p := startPortal(t)
	b := newTab(t, p.url, 1280, true)
	adminJourney(t, b, p, "en", false)

	b.open("/users/newhire")
	for _, href := range []string{"/users/bulk", "/operators", "/audit", "/tokens"} {
		if !b.visible(`header nav a[href="` + href + `"]`) {
			t.Errorf("the header shows no link to %s", href)
		}
	}

	b.open("/dashboard")
	b.do("Tab", chromedp.KeyEvent(kb.Tab))
	if got := run(b, "focus", chromedp.Evaluate[string]("document.activeElement.dataset.testid || ''")); got != "skip" {
		t.Fatalf("the first Tab reaches %q, want the skip link", got)
	}
	if !b.visible(`[data-testid="skip"]`) {
		t.Error("the focused skip link is not shown")
	}
	b.do("Enter", chromedp.KeyEvent(kb.Enter))
	if got := run(b, "focus", chromedp.Evaluate[string]("document.activeElement.id")); got != "main" {
		t.Errorf("the skip link moves the focus to %q, want main", got)
	}

	for _, path := range []string{"/users/newhire", "/audit"} {
		b.open(path)
		b.do("Tab", chromedp.KeyEvent(kb.Tab))
		rings := run(b, "focus rings", chromedp.Evaluate[[]ring](measureRings))
		if len(rings) < 6 {
			t.Fatalf("%s: measured %d controls: %+v", path, len(rings), rings)
		}
		for _, r := range rings {
			if r.Style != rings[0].Style || r.Width != rings[0].Width || r.Color != rings[0].Color {
				t.Errorf("%s: %s has the focus ring %s %s %s, %s has %s %s %s", path, r.What, r.Style, r.Width, r.Color, rings[0].What, rings[0].Style, rings[0].Width, rings[0].Color)
			}
			if r.Style == "none" || r.Contrast < 3 {
				t.Errorf("%s: the focus ring of %s (%s %s) has contrast %.2f:1, want at least 3:1", path, r.What, r.Style, r.Color, r.Contrast)
			}
		}
	}

	b.open("/dashboard")
	b.do("open the account menu", chromedp.Click(chromedp.CSS(`details.menu summary`)))
	if !run(b, "menu open", chromedp.Evaluate[bool](`document.querySelector("details.menu").open`)) {
		t.Fatal("the account menu does not open")
	}
	b.do("Esc", chromedp.KeyEvent(kb.Escape))
	if run(b, "menu open", chromedp.Evaluate[bool](`document.querySelector("details.menu").open`)) {
		t.Error("Esc leaves the account menu open")
	}
	if !run(b, "focus", chromedp.Evaluate[bool](`document.activeElement === document.querySelector("details.menu summary")`)) {
		t.Error("after Esc the focus is not on the menu's button")
	}
}
