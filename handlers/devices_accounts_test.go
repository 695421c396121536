package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// Dangling MFA devices are listed and deleted per account: a device
// Gatehouse created in a member account shows there (not in the hub's
// list, whose look does not forget it either), is deleted there, and an
// unreachable account is shown with the reason. The API answers alike.
func TestDanglingDevicesPerAccount(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			e := newMemberEnvOn(t, engine, memberA)
			addUnreachable(t, e, unreachableAcct)
			admin, _ := e.setupAdmin()
			member := e.rootOf(memberA)
			// A device of ours for a managed user in each account.
			devOf := map[string]string{}
			for _, c := range []struct{ account, user string }{{"", "ann"}, {memberA, "dana"}} {
				h, err := e.onb.Onboard(ctx, testActor, portal.NewUser{Account: c.account, UserName: c.user})
				if err != nil {
					t.Fatal(err)
				}
				iamc := e.iam
				if c.account != "" {
					iamc = member
				}
				d, err := iamc.CreateVirtualMFADevice(ctx, c.user)
				if err != nil {
					t.Fatal(err)
				}
				if err := e.store.CreateDevice(ctx, store.CreatedDevice{Serial: d.Serial, UserID: h.User.ID, CreatedAt: time.Now().Add(-time.Hour)}); err != nil {
					t.Fatal(err)
				}
				devOf[c.user] = d.Serial
			}
			if !strings.Contains(devOf["dana"], ":"+memberA+":mfa/") {
				t.Fatalf("dana's device %s is not in the member account", devOf["dana"])
			}

			p := admin.get("/devices")
			if p.doc.Find(`[data-testid="device-row"]`).Length() != 1 || p.doc.Find(`[data-serial="`+devOf["ann"]+`"]`).Length() != 1 {
				t.Fatalf("hub devices: %q", p.doc.Find(`[data-testid="devices"]`).Text())
			}
			p = admin.get("/devices?account=" + memberA)
			row := p.doc.Find(`[data-testid="device-row"][data-serial="` + devOf["dana"] + `"]`)
			if p.doc.Find(`[data-testid="device-row"]`).Length() != 1 || row.Length() != 1 {
				t.Fatalf("member devices: %d rows", p.doc.Find(`[data-testid="device-row"]`).Length())
			}
			if href, _ := row.Find("a").Attr("href"); href != "/users/dana?account="+memberA {
				t.Errorf("dana's link %q", href)
			}
			if v, _ := row.Find(`input[name="account"]`).Attr("value"); v != memberA {
				t.Errorf("the delete form does not carry the account: %q", v)
			}

			_, help, _ := e.apiTokens()
			r := e.api("GET", "/api/v1/devices?account="+memberA, help, "")
			devs, _ := r.body["devices"].([]any)
			if r.status != 200 || len(devs) != 1 || devs[0].(map[string]any)["account_id"] != memberA || devs[0].(map[string]any)["user_name"] != "dana" {
				t.Fatalf("API member devices: %d %v", r.status, r.body)
			}

			p = admin.post("/devices/delete", url.Values{"account": {memberA}, "serial": {devOf["dana"]}})
			if p.status != http.StatusOK || p.doc.Find(`[data-testid="device-row"]`).Length() != 0 {
				t.Fatalf("delete in the member account: %d, %s", p.status, p.formError())
			}
			left, err := member.ListVirtualMFADevices(ctx, false)
			if err != nil || len(left) != 0 {
				t.Fatalf("devices left in the member account: %v, %v", left, err)
			}
			if hub, _ := e.iam.ListVirtualMFADevices(ctx, false); len(hub) != 1 {
				t.Errorf("the hub's device was touched: %v", hub)
			}

			p = admin.get("/devices?account=" + unreachableAcct)
			if reason := strings.TrimSpace(p.doc.Find(`[data-testid="account-unreachable"] [data-testid="account-reason"]`).Text()); p.status != 200 || reason == "" {
				t.Errorf("unreachable account: %d, reason %q", p.status, reason)
			}
		})
	}
}
