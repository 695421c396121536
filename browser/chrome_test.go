package browser_test

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

//go:embed testdata/axe.min.js
var axeSource string

// tab is one browser page with its own fresh profile.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string // screenshot name prefix ("" = no screenshots)
	js    bool
	axe   bool // run axe-core on each page
	phone bool // a phone: narrow and a touch screen
}

// chromium returns the browser to drive. Without it the suite skips, except
// under CI=true, where a skipped browser suite would hide a broken product.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed (apt-get install -y chromium); CI=true does not allow skipping the browser tests")
	}
	t.Skip("Chromium is not installed (apt-get install -y chromium): skipping the browser tests")
	return ""
}

// newTab starts a headless Chromium with a viewport width wide, optionally
// with JavaScript disabled.
func newTab(t *testing.T, base string, width int64, js bool) *tab {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(width), 800),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first Do owns the browser's life: no timeout on it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(width, 800)}
	phone := width <= 400
	if phone {
		// A phone's screen is touched: (pointer: coarse), (hover: none).
		steps = append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{
				{Name: "pointer", Value: "coarse"}, {Name: "hover", Value: "none"}, {Name: "any-pointer", Value: "coarse"}, {Name: "any-hover", Value: "none"}}})
			return err
		}))
	}
	if !js {
		steps = append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	return &tab{t: t, ctx: ctx, base: base, js: js, axe: js, phone: phone}
}

// do runs steps with a per-step timeout and fails the test on error.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		b.t.Fatalf("%s (at %s): %v", what, loc, err)
	}
}

// run runs one action with a value.
func run[T any](b *tab, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		b.t.Fatalf("%s (at %s): %v", what, loc, err)
	}
	return v
}

// open navigates to path (relative to the portal, or a full URL) and waits
// for the page's main element.
func (b *tab) open(path string) {
	b.t.Helper()
	if !strings.HasPrefix(path, "http") {
		path = b.base + path
	}
	b.do("open "+path, chromedp.Navigate(path), chromedp.WaitReady(chromedp.CSS("main")))
}

// testid selects the element with data-testid id.
func testid(id string) chromedp.CSS { return chromedp.CSS(`[data-testid="` + id + `"]`) }

// text returns the trimmed text content of the first element matching sel.
func (b *tab) text(sel chromedp.CSS) string {
	b.t.Helper()
	return strings.TrimSpace(run(b, "text of "+string(sel), chromedp.TextContent(sel)))
}

// count returns how many elements match a CSS selector.
func (b *tab) count(sel string) int {
	b.t.Helper()
	return run(b, "count "+sel, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
}

// fill types value into the input with id.
func (b *tab) fill(id, value string) {
	b.t.Helper()
	b.do("fill #"+id, chromedp.SendKeys(chromedp.ID(id), value))
}

// clear empties the inputs with the given ids (what a person does with
// select-all and delete).
func (b *tab) clear(ids ...string) {
	b.t.Helper()
	for _, id := range ids {
		run(b, "clear #"+id, chromedp.Evaluate[bool](fmt.Sprintf("document.getElementById(%q).value = ''; true", id)))
	}
}

// submitTo clicks sel and waits until the next page shows want.
func (b *tab) submitTo(sel chromedp.CSS, want chromedp.CSS) {
	b.t.Helper()
	b.do("click "+string(sel), chromedp.Click(sel), chromedp.WaitReady(want))
}

// lang returns the page's <html lang>.
func (b *tab) lang() string {
	b.t.Helper()
	return run(b, "html lang", chromedp.AttributeValue(chromedp.CSS("html"), "lang")).Value
}

// shot saves a full-page PNG as docs/screenshots/<prefix>-<name>.png when
// UPDATE_SCREENSHOTS=1, so CI never rewrites the committed pictures.
func (b *tab) shot(name string) {
	b.t.Helper()
	if b.shots == "" || os.Getenv("UPDATE_SCREENSHOTS") != "1" {
		return
	}
	png := run(b, "screenshot "+name, chromedp.FullScreenshot(100))
	dir := filepath.Join("..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, b.shots+"-"+name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// reload reloads the page, as a phone does when its browser comes back from
// another app, and waits for want.
func (b *tab) reload(want chromedp.CSS) {
	b.t.Helper()
	b.do("reload", chromedp.Reload(), chromedp.WaitReady(want))
}

// back goes back in the history and waits for want.
func (b *tab) back(want chromedp.CSS) {
	b.t.Helper()
	b.do("back", chromedp.NavigateBack(), chromedp.WaitReady(want))
}

// forgetCookie deletes a cookie of the portal, as its expiry does.
func (b *tab) forgetCookie(name string) {
	b.t.Helper()
	b.do("delete cookie "+name, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.DeleteCookies, network.DeleteCookiesParams{Name: name, URL: b.base + "/"})
		return err
	}))
}

// keyboard presses Tab until sel has the focus, then Enter, and waits for
// want: a person using only the keyboard.
func (b *tab) keyboard(sel, want chromedp.CSS) {
	b.t.Helper()
	for i := 0; ; i++ {
		if i == 60 {
			b.t.Fatalf("Tab never reached %s", sel)
		}
		b.do("Tab", chromedp.KeyEvent(kb.Tab))
		if run(b, "focus", chromedp.Evaluate[bool](fmt.Sprintf("document.activeElement === document.querySelector(%q)", string(sel)))) {
			break
		}
	}
	b.do("Enter on "+string(sel), chromedp.KeyEvent(kb.Enter), chromedp.WaitReady(want))
}

// visible reports whether the element matching sel is displayed.
func (b *tab) visible(sel string) bool {
	b.t.Helper()
	return run(b, "visible "+sel, chromedp.Evaluate[bool](fmt.Sprintf("(e => !!e && e.getClientRects().length > 0)(document.querySelector(%q))", sel)))
}
