package browser_test

import (
	"strings"

	"github.com/chromedp/chromedp"
)

// axeViolation is one serious or critical axe-core finding.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeRun runs axe-core (vendored from npm, test-only) on the current page
// and keeps the serious and critical violations.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
	.filter(v => v.impact === "serious" || v.impact === "critical")
	.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))})))`

// checkA11y fails the test for any serious or critical axe-core violation
// on the current page. The DevTools protocol evaluates outside the page's
// CSP, so the page itself still allows no inline or foreign script.
func (b *tab) checkA11y(page string) {
	b.t.Helper()
	if !b.axe {
		return
	}
	run(b, "inject axe-core", chromedp.Evaluate[bool](axeSource+";true"))
	vs := run(b, "axe.run on "+page, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	for _, v := range vs {
		b.t.Errorf("%s: axe %s (%s): %s — %s", page, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
	}
}

// page checks the current page (accessibility, language) and saves its
// screenshot.
func (b *tab) page(name, wantLang string) {
	b.t.Helper()
	if got := b.lang(); got != wantLang {
		b.t.Errorf("%s: <html lang=%q>, want %q", name, got, wantLang)
	}
	b.checkA11y(name)
	b.shot(name)
}
