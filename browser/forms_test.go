package browser_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// unstyledFields lists the form controls on the page that do not look like
// the rest: a field drawn by the browser's default style (a URL or number
// field the stylesheet missed) instead of the portal's, and a checkbox on
// a line of its own above its label; and a table's cell that is not laid
// out as one (a flex box out of line with its row).
const unstyledFields = `(() => {
	const out = [], ref = document.querySelector("main input[type=text], main input[type=search]");
	const look = e => { const s = getComputedStyle(e); return [s.borderTopColor, s.borderRadius, s.paddingLeft].join(" "); };
	for (const e of document.querySelectorAll("main input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=file]), main select"))
		if (e.getClientRects().length && ref && look(e) !== look(ref) && e.tagName === "INPUT") out.push("#" + e.id + " (" + e.type + "): " + look(e) + ", text fields: " + look(ref));
	for (const c of document.querySelectorAll("main input[type=checkbox]")) {
		const l = c.id && document.querySelector('label[for="' + c.id + '"]');
		if (l && l.getBoundingClientRect().top >= c.getBoundingClientRect().bottom) out.push("#" + c.id + " above its label");
	}
	for (const c of document.querySelectorAll("main td, main tbody th"))
		if (getComputedStyle(c).display !== "table-cell") out.push("a cell of " + (c.dataset.label || "a table") + " is laid out as " + getComputedStyle(c).display);
	return out;
})()`

// TestFormsLookAlike opens the pages with URL, number and checkbox fields,
// and the operators' table of buttons, at 1280 px in both languages: every
// field has the text fields' look, each checkbox sits on its label's line,
// every cell lines up with its row.
func TestFormsLookAlike(t *testing.T) {
	chromium(t)
	p := startPortal(t)
	b := newTab(t, p.url, 1280, true)
	adminJourney(t, b, p, "en", false)
	for _, lang := range []string{"en", "ja"} {
		for _, path := range []string{"/webhooks", "/tokens", "/operators"} {
			b.open(path + "?lang=" + lang)
			if bad := run(b, "fields "+path, chromedp.Evaluate[[]string](unstyledFields)); len(bad) > 0 {
				t.Errorf("%s %s: %q", lang, path, bad)
			}
		}
	}
}
