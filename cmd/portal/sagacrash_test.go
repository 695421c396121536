package main

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/mail"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/iamemu/iamfault"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/notify/smtptest"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// sagaCrash is one kill point of the onboarding saga: the IAM call during
// which the portal dies, before the call reaches IAM or after IAM acted.
type sagaCrash struct {
	name   string
	action string
	after  bool
}

// sagaCrashes are the kill points of every saga step (ensure_policy,
// create_user, attach_policy; create_invite makes no IAM call, and a kill
// after AttachUserPolicy acted stops the saga right before it). The first
// creates the managed policy, the later ones find it. docs/reliability.md
// names them.
var sagaCrashes = []sagaCrash{
	{"policy not created yet", "CreatePolicy", false},
	{"checking the existing policy", "GetPolicy", false},
	{"CreateUser not sent", "CreateUser", false},
	{"IAM user created but not recorded", "CreateUser", true},
	{"AttachUserPolicy not sent", "AttachUserPolicy", false},
	{"policy attached but not recorded, invite not issued", "AttachUserPolicy", true},
}

// TestOnboardingSurvivesKill9 kills the portal (kill -9) at every step of
// the onboarding saga while an admin onboards someone, and restarts it on
// the same database and IAM. Nobody presses Retry: the restarted portal
// resumes the saga by itself, e-mails the invite, and the person follows
// it to enrolled — one IAM user, its policy attached, no operator action
// after the crash.
func TestOnboardingSurvivesKill9(t *testing.T) {
	emu := startEmulator(t)
	faults := iamfault.To(emu.lines["url"])
	proxy := faults.Serve(t)
	smtp := smtptest.Start(t)
	host, port := smtp.HostPort()
	dbPath := filepath.Join(t.TempDir(), "gatehouse.db")
	env := replicaEnv(emu, "sqlite", dbPath)
	for i, kv := range env {
		if strings.HasPrefix(kv, "PORTAL_IAM_ENDPOINT=") {
			env[i] = "PORTAL_IAM_ENDPOINT=" + proxy
		}
	}
	env = append(env, "PORTAL_RESUME_AFTER=1s", "PORTAL_SMTP_HOST="+host, "PORTAL_SMTP_PORT="+port, "PORTAL_SMTP_FROM=gatehouse@example.com")
	portalProc := startProc(t, env, "http", "serve")
	base := portalProc.lines["base"]
	admin := signInFirstAdmin(t, portalProc.lines["setup"])
	st := storetest.Open(t, "sqlite", store.SQLiteDSN(dbPath))
	client := emulatorIAM(t, emu)

	outer := t // restarted portals live as long as the whole test
	for i, kc := range sagaCrashes {
		t.Run(kc.name, func(t *testing.T) {
			ctx := context.Background()
			name := "saga" + string(rune('a'+i))
			killed := killAtCall(faults, kc.action, kc.after, portalProc)
			form := url.Values{"user_name": {name}, "display_name": {"Saga " + name}, "email": {name + "@example.com"}}
			if _, _, err := admin.try("POST", base+"/users", form); err == nil || !killed.Load() {
				t.Fatalf("the portal was not killed at %s (err %v)", kc.action, err)
			}
			if u, err := st.FindUserByName(ctx, name); err != nil || u.State != portal.StateProvisioning {
				t.Fatalf("after the kill: %+v %v, want a provisioning record", u, err)
			}
			portalProc = startProc(outer, env, "Gatehouse is listening", "serve")
			base = portalProc.lines["base"]

			// Nobody presses Retry: the invite arrives by e-mail.
			var invite string
			eventually.True(t, 90*time.Second, 100*time.Millisecond, "the interrupted onboarding was not resumed and mailed", func() bool {
				invite = inviteMailedTo(t, smtp, name+"@example.com")
				return invite != ""
			})
			u, err := st.FindUserByName(ctx, name)
			if err != nil || u.State != portal.StateInvited {
				t.Fatalf("after the resume: %+v %v, want invited", u, err)
			}
			// The resume audits once the saga ended, which may be after the
			// mail went out.
			var evs []*portal.AuditEvent
			eventually.True(t, time.Minute, 50*time.Millisecond, "the automatic resume was not audited", func() bool {
				evs, err = st.FindAuditEvents(ctx, portal.AuditFilter{Target: name, Action: "user.onboard"})
				return err == nil && len(evs) > 0
			})
			if len(evs) != 1 || evs[0].Actor != "system" {
				t.Fatalf("the onboarding was finished by %+v, want Gatehouse itself", evs)
			}
			pols, err := client.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String(name)})
			if err != nil || len(pols.AttachedPolicies) != 1 {
				t.Fatalf("%s has policies %+v (%v), want the managed one", name, pols, err)
			}

			// The person follows the mailed link to the end.
			person := newBrowser(t)
			path := strings.Replace(invite, base, "", 1)
			if _, status := person.page("GET", base+path, nil); status != http.StatusOK {
				t.Fatalf("the mailed invite link answers %d", status)
			}
			doc, status, err := person.try("POST", base+path, nil)
			var secret string
			for turn := 0; ; turn++ {
				if err != nil || status != http.StatusOK || turn == 8 {
					t.Fatalf("turn %d: status %d, err %v: %s", turn, status, err, pageText(doc))
				}
				if s := testid(doc, "mfa-secret"); s != "" {
					secret = s
				}
				next := personsNextStep(t, doc, secret)
				if next == nil {
					break
				}
				doc, status, err = person.try(next.method, base+next.path, next.form)
			}
			checkEnrolledByThePerson(t, st, client, name, testid(doc, "mfa-serial"), false)
		})
	}
}

var inviteLinkRE = regexp.MustCompile(`https?://[^\s/]+/invite/[A-Za-z0-9_-]+`)

// inviteMailedTo returns the invite link of the newest message the SMTP
// server took for to, or "".
func inviteMailedTo(t *testing.T, smtp *smtptest.Server, to string) string {
	t.Helper()
	msgs := smtp.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if !strings.Contains(msgs[i].To, to) {
			continue
		}
		m, err := mail.ReadMessage(strings.NewReader(msgs[i].Data))
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, m.Body))
		if err != nil {
			t.Fatal(err)
		}
		return inviteLinkRE.FindString(string(body))
	}
	return ""
}
