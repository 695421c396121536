package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/bench/internal/measure"
	"github.com/gatehouse/portal/handlers"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/internal/memlimit"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
)

// hello is what the server process tells the harness once it serves.
type hello struct {
	URL    string `json:"url"`
	Cookie string `json:"cookie"` // an admin's session cookie
	Token  string `json:"token"`  // an admin's API token
}

// serveChild is the server process: it seeds a store with LATENCY_USERS
// users (LATENCY_DRIVER, LATENCY_DSN; SQLite in a temporary directory by
// default), serves the portal with the bench routes on a loopback port and
// says so (measure.Hello) until the harness closes standard input.
func serveChild() error {
	ctx := context.Background()
	memlimit.Apply(os.Getenv) // as portal serve does

	driver, dsn := os.Getenv("LATENCY_DRIVER"), os.Getenv("LATENCY_DSN")
	n, err := strconv.Atoi(os.Getenv("LATENCY_USERS"))
	if err != nil {
		return fmt.Errorf("LATENCY_USERS: %w", err)
	}
	if driver == "sqlite" {
		dir, err := os.MkdirTemp("", "latency")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = store.SQLiteDSN(filepath.Join(dir, "l.db"))
	}
	st, err := store.Open(ctx, driver, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := seed(ctx, st, n); err != nil {
		return err
	}
	// Statistics as a running portal has them: on SQLite its hourly
	// store.Analyze, on PostgreSQL what autovacuum does within a minute of
	// a bulk load.
	if driver == "postgres" {
		if _, err := st.DB().ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
			return err
		}
	} else if err := st.Analyze(ctx); err != nil {
		return err
	}
	h, cookie, token, err := portalHandler(ctx, st)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	// LATENCY_CPUPROFILE and LATENCY_HEAPPROFILE name files the server
	// writes its CPU profile (while it serves) and heap profile (at the
	// end) to, for go tool pprof.
	stop, err := measure.Profiles(os.Getenv("LATENCY_CPUPROFILE"), "", os.Getenv("LATENCY_HEAPPROFILE"))
	defer stop()
	if err != nil {
		return err
	}
	return measure.Hello(hello{URL: "http://" + ln.Addr().String(), Cookie: cookie, Token: token})
}

// seed stores n managed users in a mix of states: two fifths enrolled, the
// rest pending with deadlines from a week ago to a week ahead (about 3,000
// overdue at 10,000).
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

// portalHandler wires the portal on st (IAM: the in-process emulator, which
// no measured page calls) and returns it with an admin's session cookie and
// API token.
func portalHandler(ctx context.Context, st *store.Store) (http.Handler, string, string, error) {
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
	h, err := handlers.New(handlers.Deps{Store: st, Auth: au, Onboarding: onb, Logger: log, SetupBox: box, BenchRoutes: true})
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
	// Minting through auth needs a password and a code; the bench stores
	// its token as auth would.
	raw, _ := portal.NewToken()
	token := auth.APITokenPrefix + raw
	now := time.Now()
	if err := st.CreateAPIToken(ctx, &store.APIToken{OperatorID: op.ID, Name: "bench", TokenHash: portal.HashToken(token),
		CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
		return nil, "", "", err
	}
	return h, "gh_session=" + session, token, nil
}
