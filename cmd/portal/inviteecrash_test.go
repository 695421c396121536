package main

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/iamemu/iamfault"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// try is browser.page without failing the test on a transport error: the
// request a kill -9 interrupts fails, as it does in a person's browser.
func (b *browser) try(method, u string, form url.Values) (*goquery.Document, int, error) {
	req, _ := http.NewRequest(method, u, strings.NewReader(form.Encode()))
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	return doc, resp.StatusCode, err
}

// inviteeCrash is one kill point of the invite flow: the request a person
// sends and the IAM call during which the portal dies.
type inviteeCrash struct {
	name   string
	step   string // the request: claim, saved, newpassword, restart, codes
	action string
	after  bool // killed after IAM acted (else before the call reaches IAM)
	// orphan: the kill leaves an unassigned device named after the user
	// that Gatehouse never recorded as its own. It cannot tell it from a
	// device someone else created under that name, so it leaves it alone and
	// the person's device gets a suffixed name (onboarding/devices.go).
	orphan bool
}

// inviteeCrashes are the kill points of every claim step and every
// enrollment step. docs/reliability.md names them.
var inviteeCrashes = []inviteeCrash{
	{"claim committed, before the password", "claim", "GetAccountPasswordPolicy", false, false},
	{"claim, password set in IAM but not recorded", "claim", "CreateLoginProfile", true, false},
	{"new password set in IAM but never shown", "newpassword", "UpdateLoginProfile", true, false},
	{"MFA device not created yet", "saved", "CreateVirtualMFADevice", false, false},
	{"MFA device created but not recorded", "saved", "CreateVirtualMFADevice", true, true},
	{"starting over, old device deleted", "restart", "DeleteVirtualMFADevice", true, false},
	{"codes sent, before EnableMFADevice", "codes", "EnableMFADevice", false, false},
	{"EnableMFADevice done but not recorded", "codes", "EnableMFADevice", true, false},
}

// TestInviteeSurvivesKill9 kills the portal (kill -9) at every step of the
// claim and of the MFA enrollment, restarts it on the same database and
// IAM, and lets the person carry on as a browser does: send the
// interrupted request again (a reload), then follow what each page offers.
// Every person must end enrolled, with exactly one MFA device in IAM and
// no operator action.
func TestInviteeSurvivesKill9(t *testing.T) {
	emu := startEmulator(t)
	faults := iamfault.To(emu.lines["url"])
	proxy := faults.Serve(t)
	dbPath := filepath.Join(t.TempDir(), "gatehouse.db")
	env := replicaEnv(emu, "sqlite", dbPath)
	for i, kv := range env {
		if strings.HasPrefix(kv, "PORTAL_IAM_ENDPOINT=") {
			env[i] = "PORTAL_IAM_ENDPOINT=" + proxy
		}
	}
	portalProc := startProc(t, env, "http", "serve")
	base := portalProc.lines["base"]
	admin := signInFirstAdmin(t, portalProc.lines["setup"])
	st := storetest.Open(t, "sqlite", store.SQLiteDSN(dbPath))
	client := emulatorIAM(t, emu)

	outer := t // restarted portals live as long as the whole test
	for i, kc := range inviteeCrashes {
		t.Run(kc.name, func(t *testing.T) {
			name := "crash" + string(rune('a'+i))
			doc, status := admin.page("POST", base+"/users", url.Values{"user_name": {name}, "display_name": {"Crash " + name}})
			invite := testid(doc, "invite-url")
			if status != http.StatusCreated || invite == "" {
				t.Fatalf("onboard: status %d: %s", status, testid(doc, "form-error"))
			}
			invite = strings.Replace(invite, base, "", 1)
			u := newBrowser(t)
			u.page("GET", base+invite, nil)
			// The journey up to the request that is killed.
			var secret string
			requests := map[string]func() (string, string, url.Values){
				"claim": func() (string, string, url.Values) { return "POST", invite, nil },
				"saved": func() (string, string, url.Values) {
					return "POST", "/enroll/password/saved", url.Values{"next": {"mfa"}}
				},
				"newpassword": func() (string, string, url.Values) { return "POST", "/enroll/password", nil },
				"restart": func() (string, string, url.Values) {
					return "POST", "/enroll/mfa/start", url.Values{"restart": {"1"}}
				},
				"codes": func() (string, string, url.Values) {
					now := time.Now()
					return "POST", "/enroll/mfa", url.Values{"code1": {code(t, secret, now.Add(-30*time.Second))}, "code2": {code(t, secret, now)}}
				},
			}
			before := map[string][]string{"claim": nil, "newpassword": {"claim"}, "saved": {"claim"}, "restart": {"claim", "saved"}, "codes": {"claim", "saved"}}
			for _, step := range before[kc.step] {
				m, path, form := requests[step]()
				doc, status := u.page(m, base+path, form)
				if status != http.StatusOK {
					t.Fatalf("%s: status %d: %s", step, status, testid(doc, "form-error"))
				}
				if s := testid(doc, "mfa-secret"); s != "" {
					secret = s
				}
			}

			killed := killAtCall(faults, kc.action, kc.after, portalProc)
			m, path, form := requests[kc.step]()
			if _, _, err := u.try(m, base+path, form); err == nil || !killed.Load() {
				t.Fatalf("the portal was not killed at %s (err %v)", kc.action, err)
			}
			portalProc = startProc(outer, env, "Gatehouse is listening", "serve")
			base = portalProc.lines["base"]

			// The person reloads (the browser sends the request again), then
			// does what each page offers, until done.
			doc, status, err := u.try(m, base+path, form)
			for turn := 0; ; turn++ {
				if err != nil || turn == 8 {
					t.Fatalf("turn %d: status %d, err %v: %s", turn, status, err, pageText(doc))
				}
				if s := testid(doc, "mfa-secret"); s != "" {
					secret = s
				}
				next := personsNextStep(t, doc, secret)
				if next == nil {
					break
				}
				// The way the person went, shown if the test fails.
				t.Logf("turn %d: status %d, page %.160q → %s %s", turn, status, pageText(doc), next.method, next.path)
				doc, status, err = u.try(next.method, base+next.path, next.form)
			}
			serial, want := testid(doc, "mfa-serial"), "arn:aws:iam::123456789012:mfa/"+name
			if serial != want && !(kc.orphan && strings.HasPrefix(serial, want+"-")) {
				t.Fatalf("done page serial %q, want %q", serial, want)
			}
			checkEnrolledByThePerson(t, st, client, name, serial, kc.orphan)
		})
	}
}

// step is one request a person makes.
type step struct {
	method, path string
	form         url.Values
}

// personsNextStep is what a person does on a page of the invite flow: the
// main action the page offers. It returns nil on the done page.
func personsNextStep(t *testing.T, doc *goquery.Document, secret string) *step {
	t.Helper()
	has := func(id string) bool { return doc.Find(`[data-testid="`+id+`"]`).Length() > 0 }
	switch {
	case has("mfa-serial"):
		return nil
	case has("continue-setup"):
		href, _ := doc.Find(`[data-testid="continue-setup"]`).Attr("href")
		return &step{"GET", href, nil}
	case has("console-password"):
		return &step{"POST", "/enroll/password/saved", url.Values{"next": {"mfa"}}}
	case has("set-password"):
		return &step{"POST", "/enroll/password", nil}
	case has("start-mfa"):
		return &step{"POST", "/enroll/mfa/start", nil}
	case has("mfa-secret") || (has("mfa-seed-gone") && secret != "" && !has("form-error")):
		// The app has the entry from the QR shown before the crash.
		now := time.Now()
		return &step{"POST", "/enroll/mfa", url.Values{"code1": {code(t, secret, now.Add(-30*time.Second))}, "code2": {code(t, secret, now)}}}
	case has("restart-mfa"):
		return &step{"POST", "/enroll/mfa/start", url.Values{"restart": {"1"}}}
	case has("retry"):
		href, _ := doc.Find(`[data-testid="retry"]`).Attr("href")
		return &step{"GET", href, nil}
	}
	t.Fatalf("the page offers no way on: %s", pageText(doc))
	return nil
}

func pageText(doc *goquery.Document) string {
	if doc == nil {
		return ""
	}
	return strings.Join(strings.Fields(doc.Find("main").Text()), " ")
}

// checkEnrolledByThePerson checks the end state: the store says enrolled,
// IAM has exactly one MFA device for the user and no device waits, and the
// enrollment was recorded by the invitee's own requests (no operator, no
// background sync).
func checkEnrolledByThePerson(t *testing.T, st *store.Store, client *iam.Client, name, serial string, orphan bool) {
	t.Helper()
	ctx := context.Background()
	u, err := st.FindUserByName(ctx, name)
	if err != nil || u.State != portal.StateEnrolled {
		t.Fatalf("store: %+v %v, want enrolled", u, err)
	}
	out, err := client.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String(name)})
	if err != nil || len(out.MFADevices) != 1 || aws.ToString(out.MFADevices[0].SerialNumber) != serial {
		t.Fatalf("IAM has %v MFA devices for %s (%v), want %s only", out, name, err, serial)
	}
	waiting, err := client.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: "Unassigned"})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range waiting.VirtualMFADevices {
		left := aws.ToString(d.SerialNumber)
		if strings.Contains(left, ":mfa/"+name) && !(orphan && strings.HasSuffix(left, ":mfa/"+name)) {
			t.Fatalf("a device of %s is left waiting: %s", name, left)
		}
	}
	evs, err := st.FindAuditEvents(ctx, portal.AuditFilter{Target: name, Action: "mfa.enable"})
	if err != nil || len(evs) != 1 || evs[0].Actor != "invitee:"+name {
		t.Fatalf("mfa.enable audited as %+v (%v), want once by the invitee", evs, err)
	}
}

// emulatorIAM is an SDK client for a standalone emulator, with its root
// credentials.
func emulatorIAM(t *testing.T, emu *proc) *iam.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("us-east-1"), config.WithCredentialsProvider(
		credentials.NewStaticCredentialsProvider(emu.lines["AWS_ACCESS_KEY_ID"], emu.lines["AWS_SECRET_ACCESS_KEY"], "")))
	if err != nil {
		t.Fatal(err)
	}
	return iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(emu.lines["url"]) })
}
