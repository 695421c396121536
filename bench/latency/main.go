// Command latency measures the operator dashboard (GET /users, where GET /
// leads) and the API list (GET /api/v1/users) with many managed users and
// many concurrent clients, against a trivial handler (GET /healthz, sent
// without a session cookie, so it touches no database) served by the same
// server through the same middleware. /users?q=… (a page of one row after
// the same session lookup and a LIKE scan) separates the per-request cost
// from the per-row cost. Run:
//
//	go run ./bench/latency -users 10000 -clients 50
//	go run ./bench/latency -driver postgres -dsn "$PORTAL_TEST_POSTGRES_URL"
//
// With PostgreSQL it works in a schema of its own and drops it at the end.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/handlers"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
)

func main() {
	driver := flag.String("driver", "sqlite", "sqlite or postgres")
	dsn := flag.String("dsn", "", "PostgreSQL URL (driver postgres)")
	users := flag.Int("users", 10000, "managed users in the store")
	clients := flag.Int("clients", 50, "concurrent clients")
	dur := flag.Duration("duration", 10*time.Second, "measuring time per endpoint")
	paths := flag.String("paths", "/healthz,/users,/users?status=overdue,/api/v1/users?limit=50,/users?q=user-00001", "endpoints, comma-separated")
	flag.Parse()
	if err := run(*driver, *dsn, *users, *clients, *dur, strings.Split(*paths, ",")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(driver, dsn string, n, clients int, dur time.Duration, paths []string) error {
	ctx := context.Background()
	switch driver {
	case "sqlite":
		dir, err := os.MkdirTemp("", "latency")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = store.SQLiteDSN(filepath.Join(dir, "l.db"))
	case "postgres":
		var drop func()
		var err error
		if dsn, drop, err = pgSchema(dsn); err != nil {
			return err
		}
		defer drop()
	}
	st, err := store.Open(ctx, driver, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	seedStart := time.Now()
	if err := seed(ctx, st, n); err != nil {
		return err
	}
	fmt.Printf("driver=%s users=%d clients=%d duration=%s/endpoint (seeded in %s)\n", driver, n, clients, dur, time.Since(seedStart).Round(time.Millisecond))
	srv, cookie, token, err := server(ctx, st)
	if err != nil {
		return err
	}
	defer srv.Close()
	var base result
	for _, p := range paths {
		r := load(srv.URL+p, cookie, token, clients, dur)
		if p == "/healthz" {
			base = r
		}
		ratio := ""
		if base.p50 > 0 {
			ratio = fmt.Sprintf(" ratio-to-healthz p50=%.1f p99=%.1f", float64(r.p50)/float64(base.p50), float64(r.p99)/float64(base.p99))
		}
		fmt.Printf("%-28s %s%s\n", p, r, ratio)
	}
	return nil
}

// seed stores n managed users in a mix of states.
func seed(ctx context.Context, st *store.Store, n int) error {
	states := []portal.State{portal.StateEnrolled, portal.StateEnrolled, portal.StateInvited, portal.StateClaimed, portal.StateProvisioning}
	now := time.Now()
	for i := range n {
		u := &portal.User{UserName: fmt.Sprintf("user-%05d", i), DisplayName: fmt.Sprintf("User %d", i), Email: fmt.Sprintf("user%d@example.com", i),
			State: states[i%len(states)], Deadline: now.Add(time.Duration(i%14-7) * 24 * time.Hour), CreatedBy: "bench", CreatedAt: now, UpdatedAt: now}
		if u.State == portal.StateEnrolled {
			u.EnrolledAt = now
		}
		if err := st.CreateUser(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// server wires the portal on st (IAM: the in-process emulator) and returns
// it with an admin's session cookie and API token.
func server(ctx context.Context, st *store.Store) (*httptest.Server, string, string, error) {
	emu := iamemu.New(iamemu.Options{})
	emuSrv := httptest.NewServer(emu)
	key, secret := emu.RootCredentials()
	iam, err := awsiam.New(ctx, awsiam.Config{Endpoint: emuSrv.URL, AccessKeyID: key, SecretAccessKey: secret})
	if err != nil {
		return nil, "", "", err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	box, _ := auth.NewBox([]byte(strings.Repeat("k", 32)))
	au, err := auth.New(auth.Config{Store: st, Box: box, Logger: log})
	if err != nil {
		return nil, "", "", err
	}
	onb, err := onboarding.New(onboarding.Config{Store: st, IAM: iam, Logger: log, Account: emu.AccountID(), PolicyName: policy.SeedName, PolicyDocument: policy.Seed})
	if err != nil {
		return nil, "", "", err
	}
	h, err := handlers.New(handlers.Deps{Store: st, Auth: au, Onboarding: onb, Logger: log, SetupBox: box})
	if err != nil {
		return nil, "", "", err
	}
	op := &portal.Operator{Username: "bench", PasswordHash: "unused", TOTPSecretEnc: []byte("unused"), Role: portal.RoleAdmin, CreatedAt: time.Now()}
	if err := st.CreateOperator(ctx, op); err != nil {
		return nil, "", "", err
	}
	session, err := au.NewSession(ctx, op.ID)
	if err != nil {
		return nil, "", "", err
	}
	token, _, err := au.CreateAPIToken(ctx, auth.Caller{Operator: op}, "bench")
	if err != nil {
		return nil, "", "", err
	}
	return httptest.NewServer(h), "gh_session=" + session, token, nil
}
