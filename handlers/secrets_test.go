package handlers_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal/migrations"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// dumpTables returns every row of every table as text; byte columns appear
// raw, in hex and in base64, so an encoded secret is found too.
func dumpTables(t *testing.T, s *store.Store) string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if s.Dialect() == migrations.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	rows, err := s.DB().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		rows, err := s.DB().Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			for _, v := range vals {
				if raw, ok := v.([]byte); ok {
					fmt.Fprintf(&b, "%s|%x|%s|", raw, raw, base64.StdEncoding.EncodeToString(raw))
				} else {
					fmt.Fprintf(&b, "%v|", v)
				}
			}
			b.WriteString("\n")
		}
		rows.Close()
	}
	return b.String()
}

// Each kind of secret goes through its real flow; then neither a log line
// nor any table may contain it.
func TestNoSecretInLogsOrDatabase(t *testing.T) {
	for _, driver := range storetest.Engines(t) {
		t.Run(driver, func(t *testing.T) {
			e := newEnvOn(t, driver, storetest.DSN(t, driver))
			secrets := map[string]string{}
			admin, adminSeed := e.setupAdmin()
			secrets["first admin TOTP seed"] = adminSeed
			secrets["first admin recovery code"] = e.adminCodes[0]
			secrets["first admin recovery code as typed"] = strings.ReplaceAll(e.adminCodes[1], "-", "")

			link := admin.post("/operators", url.Values{"username": {"hana"}, "role": {"helpdesk"}}).testid("operator-link")
			secrets["operator invite token"] = link[strings.LastIndex(link, "/")+1:]
			_, opSeed := e.inviteAndJoinAt(admin, link)
			secrets["invited operator TOTP seed"] = opSeed
			secrets["operator password"] = "another long password"
			secrets["admin password"] = "correct horse battery"

			inviteURL := admin.onboard("test")
			secrets["invite token"] = inviteURL[strings.LastIndex(inviteURL, "/")+1:]
			u := e.newClient()
			creds := u.follow(u.post(inviteURL, nil))
			secrets["console password"] = creds.testid("console-password")
			secrets["virtual MFA seed"] = u.follow(u.post("/enroll/password/saved", url.Values{"next": {"mfa"}})).testid("mfa-secret")

			secrets["API token"] = admin.mintToken("ci", adminPassword, adminSeed, nil).testid("token-value")
			secrets["secret access key"] = e.createAccessKey("test")

			dump := dumpTables(t, e.store)
			logs := e.logs.String()
			if !strings.Contains(logs, "http request") || !strings.Contains(dump, "operator.join") {
				t.Fatal("the scan sees no logs or no audit rows: it would prove nothing")
			}
			for kind, secret := range secrets {
				if len(secret) < 12 {
					t.Fatalf("%s %q was not captured", kind, secret)
				}
				if strings.Contains(dump, secret) {
					t.Errorf("the database holds the %s in plain form", kind)
				}
				if strings.Contains(logs, secret) {
					t.Errorf("a log line holds the %s", kind)
				}
			}
			op, err := e.store.FindOperatorByUsername(context.Background(), "hana")
			if err != nil || len(op.TOTPSecretEnc) < 28 {
				t.Fatalf("operator TOTP secret not stored encrypted: %v", err)
			}
		})
	}
}

// inviteAndJoinAt completes an operator join link.
func (e *env) inviteAndJoinAt(admin *client, link string) (*client, string) {
	e.t.Helper()
	c := e.newClient()
	secret := c.get(link).testid("totp-secret")
	if p := c.post(link, url.Values{"password": {"another long password"}, "code": {code(e.t, secret, e.clock())}}); p.status != 200 || p.testid("recovery-code") == "" {
		e.t.Fatalf("join: %d: %s", p.status, p.formError())
	}
	return c, secret
}

// createAccessKey creates an access key for user in the emulator with the
// real SDK and returns its secret.
func (e *env) createAccessKey(user string) string {
	e.t.Helper()
	key, secret := e.emu.RootCredentials()
	c := iam.New(iam.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.emuURL),
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, "")})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(user)})
	if err != nil {
		e.t.Fatal(err)
	}
	return aws.ToString(out.AccessKey.SecretAccessKey)
}
