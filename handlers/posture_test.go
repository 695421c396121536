package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// control returns the result of control id on a posture page and the users
// it lists.
func (p *page) control(id string) (string, []string) {
	sel := p.doc.Find(`[data-testid="control"][data-control="` + id + `"]`)
	var users []string
	sel.Find(`[data-testid="control-user"]`).Each(func(_ int, s *goquery.Selection) { users = append(users, s.AttrOr("data-user", "")) })
	return sel.AttrOr("data-result", ""), users
}

func TestPosturePage(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	ctx := context.Background()
	t.Run("before any sync it says so", func(t *testing.T) {
		p := c.get("/posture")
		if p.status != http.StatusOK || p.doc.Find(`[data-testid="control"]`).Length() != 0 {
			t.Fatalf("status %d, %d controls", p.status, p.doc.Find(`[data-testid="control"]`).Length())
		}
	})
	if _, err := e.iam.CreateUser(ctx, "legacy", nil); err != nil {
		t.Fatal(err)
	}
	if err := e.iam.CreateLoginProfile(ctx, "legacy", "Corr3ct-Horse-Battery"); err != nil {
		t.Fatal(err)
	}
	c.onboard("newbie")
	if p := c.post("/sync", nil); p.status != http.StatusSeeOther {
		t.Fatalf("sync: %d", p.status)
	}
	p := c.get("/posture")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if n := p.doc.Find(`[data-testid="control"]`).Length(); n != 13 {
		t.Errorf("%d controls, want 13", n)
	}
	if res, users := p.control("iam_user_mfa_enabled_console_access"); res != "fail" || strings.Join(users, ",") != "legacy" {
		t.Errorf("console MFA: %s %v", res, users)
	}
	if res, _ := p.control("iam_root_mfa_enabled"); res != "fail" {
		t.Errorf("root MFA: %s", res)
	}
	if res, users := p.control("iam_user_two_active_access_key"); res != "pass" || len(users) != 0 {
		t.Errorf("two keys: %s %v", res, users)
	}
	if got := p.doc.Find(`[data-testid="coverage"]`).AttrOr("data-value", ""); got != "0%" {
		t.Errorf("coverage %q", got)
	}
	if p.doc.Find(`[data-testid="trend-chart"]`).Length() != 1 || p.doc.Find(`[data-testid="trend-row"]`).Length() != 1 {
		t.Error("no trend chart with its table")
	}
	if p.doc.Find(`header nav a[href="/posture"]`).Length() != 1 {
		t.Error("no nav entry")
	}
	if d := c.get("/dashboard").doc.Find(`[data-testid="dash-coverage"]`); d.AttrOr("data-value", "") != "0%" || d.AttrOr("data-delta", "") != "±0" {
		t.Errorf("dashboard coverage %q delta %q", d.AttrOr("data-value", ""), d.AttrOr("data-delta", ""))
	}
	t.Run("the admin may adopt the user without MFA from there", func(t *testing.T) {
		form := p.doc.Find(`[data-control="iam_user_mfa_enabled_console_access"] form`)
		if form.AttrOr("action", "") != "/adopt" || form.Find(`input[name="user"][value="legacy"]`).Length() != 1 {
			t.Fatalf("no adopt form for legacy")
		}
		a := c.get("/adopt?user=legacy")
		if _, ok := a.doc.Find(`[data-testid="candidate-row"][data-user="legacy"] input[name="user"]`).Attr("checked"); !ok {
			t.Fatal("the adopt page does not preselect legacy")
		}
	})
	t.Run("disabling asks for a reason and checks live", func(t *testing.T) {
		p := c.get("/posture/disable?user=legacy")
		if p.status != http.StatusOK || p.doc.Find(`[data-testid="disable-user"][data-user="legacy"]`).Length() != 1 {
			t.Fatalf("confirmation: %d", p.status)
		}
		p = c.post("/posture/disable", url.Values{"user": {"legacy"}, "reason": {""}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "why") {
			t.Fatalf("no reason: %d %q", p.status, p.formError())
		}
		// legacy's password is new: nothing is unused, nothing is removed.
		p = c.post("/posture/disable", url.Values{"user": {"legacy"}, "reason": {"CIS 1.12"}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "no unused credential") {
			t.Fatalf("nothing unused: %d %q", p.status, p.formError())
		}
		if has, err := e.iam.HasLoginProfile(ctx, "legacy"); err != nil || !has {
			t.Fatalf("legacy lost its password: %v %v", has, err)
		}
	})
	t.Run("exports and metrics", func(t *testing.T) {
		p := c.get("/posture.csv")
		if p.status != http.StatusOK || !strings.HasPrefix(p.body, "account_id,check_id,cis,result,title,user") ||
			!strings.Contains(p.body, e.emu.AccountID()+",iam_user_mfa_enabled_console_access,1.10,fail,Console users have MFA,legacy,") {
			t.Fatalf("CSV %d:\n%s", p.status, p.body)
		}
		j := c.get("/posture.json")
		var out struct {
			Coverage float64 `json:"mfa_coverage_percent"`
			Findings []struct {
				Control string   `json:"control"`
				Result  string   `json:"result"`
				Users   []string `json:"users"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(j.body), &out); err != nil || len(out.Findings) != 13 || out.Findings[0].Control != "iam_user_mfa_enabled_console_access" ||
			strings.Join(out.Findings[0].Users, ",") != "legacy" {
			t.Fatalf("JSON %v: %s", err, j.body)
		}
		m := e.metrics()
		hub := e.emu.AccountID()
		for _, want := range []string{`gatehouse_posture_mfa_coverage_percent{account="` + hub + `"} 0`,
			`gatehouse_posture_failing{account="` + hub + `",control="iam_user_mfa_enabled_console_access"} 1`,
			`gatehouse_posture_failing{account="` + hub + `",control="iam_user_two_active_access_key"} 0`} {
			if !strings.Contains(m, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}
