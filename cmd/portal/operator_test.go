package main

import (
	"bytes"
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// The break-glass reset on the server: "portal operator reset-totp NAME"
// erases the operator's TOTP secret, ends their sessions, revokes their
// API tokens, prints a one-time re-enrollment link and audits the event.
func TestOperatorResetTOTPOnTheConsole(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "portal.db")
	st, err := store.Open(ctx, "sqlite", store.SQLiteDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	op := &portal.Operator{Username: "solo", PasswordHash: "x", TOTPSecretEnc: []byte("sealed seed"), Role: portal.RoleAdmin, CreatedAt: now}
	if err := st.CreateOperator(ctx, op); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSession(ctx, &portal.Session{IDHash: "sess", OperatorID: op.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateAPIToken(ctx, &store.APIToken{OperatorID: op.ID, Name: "ci", TokenHash: "tok", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	env := envMap(map[string]string{"PORTAL_SECRET_KEY": strings.Repeat("k", 32), "PORTAL_BASE_URL": "https://gatehouse.example.com", "USER": "ops"})
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"operator", "reset-totp", "--db", path, "nobody"}, env, &out, &errb); err == nil || !strings.Contains(err.Error(), "No such operator") {
		t.Fatalf("unknown operator: %v", err)
	}
	if err := run(ctx, []string{"operator", "reset-totp", "--db", filepath.Join(t.TempDir(), "typo.db"), "solo"}, env, &out, &errb); err == nil || !strings.Contains(err.Error(), "no database") {
		t.Fatalf("missing database: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"operator", "reset-totp", "--db", path, "solo"}, env, &out, &errb); err != nil {
		t.Fatalf("reset: %v\n%s", err, errb.String())
	}
	var link string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "https://gatehouse.example.com/join/") {
			link = line
		}
	}
	if link == "" {
		t.Fatalf("no join link printed:\n%s", out.String())
	}

	st, err = store.Open(ctx, "sqlite", store.SQLiteDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, _ := url.Parse(link)
	tok, err := st.FindSetupToken(ctx, portal.HashToken(strings.TrimPrefix(u.Path, "/join/")))
	if err != nil || tok.Purpose != store.PurposeReset || tok.OperatorID != op.ID || !tok.UsedAt.IsZero() {
		t.Fatalf("the link is no reset link of solo: %+v %v", tok, err)
	}
	got, _ := st.FindOperatorByID(ctx, op.ID)
	if len(got.TOTPSecretEnc) != 0 {
		t.Fatal("the TOTP secret survived the reset")
	}
	if _, err := st.FindSession(ctx, "sess"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("the session survived: %v", err)
	}
	if tk, _ := st.FindAPITokenByHash(ctx, "tok"); tk.RevokedAt.IsZero() {
		t.Fatal("the API token survived")
	}
	evs, err := st.FindAuditEvents(ctx, portal.AuditFilter{Target: "solo", Action: "operator.totp.reset"})
	if err != nil || len(evs) != 1 || !strings.HasPrefix(evs[0].Actor, "console:ops@") {
		t.Fatalf("audit: %+v %v", evs, err)
	}
}
