package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// jobProgress is what a bulk job's progress page shows.
type jobProgress struct {
	Total, Done, Failed int
	Running             bool
}

// progress reads a bulk job's progress from its page.
func progress(t *testing.T, b *browser, u string) jobProgress {
	t.Helper()
	doc, status := b.page("GET", u, nil)
	if status != 200 {
		t.Fatalf("progress page: status %d", status)
	}
	num := func(id string) int {
		n, err := strconv.Atoi(testid(doc, id))
		if err != nil {
			t.Fatalf("progress page: %s: %v", id, err)
		}
		return n
	}
	return jobProgress{Total: num("bulk-total"), Done: num("bulk-done"), Failed: num("bulk-failed"),
		Running: doc.Find(`#bulk-progress-box[data-running]`).Length() == 1}
}

// startBulk starts a bulk job of rows on base and returns its progress URL.
func startBulk(t *testing.T, admin *browser, base, rows string) string {
	t.Helper()
	doc, status := admin.page("POST", base+"/users/bulk/start", url.Values{"csv": {rows}})
	if status != 200 || doc.Find(`[data-testid="bulk-progress"]`).Length() != 1 {
		t.Fatalf("start bulk: status %d: %s", status, testid(doc, "form-error"))
	}
	return "/users/bulk/1"
}

// iamUsers lists the user names in the emulator.
func iamUsers(t *testing.T, emu *proc) []string {
	t.Helper()
	c := emulatorIAM(t, emu)
	var names []string
	for p := iam.NewListUsersPaginator(c, &iam.ListUsersInput{}); p.HasMorePages(); {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page.Users {
			names = append(names, aws.ToString(u.UserName))
		}
	}
	return names
}

// checkExactlyOnce checks the end state of a bulk job of n users: each
// exists once in IAM and in the store, with one valid invite, and IAM has no
// user the store does not know.
func checkExactlyOnce(t *testing.T, st *store.Store, emu *proc, prefix string, n int) {
	t.Helper()
	inIAM := map[string]int{}
	for _, name := range iamUsers(t, emu) {
		inIAM[name]++
	}
	var stored int
	st.DB().QueryRow(`SELECT COUNT(*) FROM users`).Scan(&stored)
	if got, want := stored, n; got != want {
		t.Fatalf("store has %d users, want %d", got, want)
	}
	if got, want := len(inIAM), n; got != want {
		t.Fatalf("IAM has %d users, want %d", got, want)
	}
	for name, c := range inIAM {
		if c != 1 || !strings.HasPrefix(name, prefix) {
			t.Fatalf("IAM user %s appears %d times", name, c)
		}
		u, err := st.FindUserByName(context.Background(), name)
		if err != nil {
			t.Fatalf("IAM user %s is unknown to the store (an orphan): %v", name, err)
		}
		var valid int
		st.DB().QueryRow(st.Rebind(`SELECT COUNT(*) FROM invites WHERE user_id = ? AND claimed_at = 0 AND revoked_at = 0 AND expires_at > ?`),
			u.ID, time.Now().UnixMilli()).Scan(&valid)
		if valid != 1 {
			t.Fatalf("user %s has %d valid invites, want 1", name, valid)
		}
	}
}

func TestBulkJobSurvivesKill9(t *testing.T) {
	// Throttled IAM makes the job slow enough to be killed in the middle.
	emu := startEmulator(t, "--throttle-rate", "60")
	dbPath := filepath.Join(t.TempDir(), "gatehouse.db")
	env := replicaEnv(emu, "sqlite", dbPath)
	a := startProc(t, env, "http", "serve")
	admin := signInFirstAdmin(t, a.lines["setup"])
	const n = 60
	prog := startBulk(t, admin, a.lines["base"], bulkCSV("crash", n))
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if p := progress(t, admin, a.lines["base"]+prog); p.Done >= n/4 {
			break
		} else if time.Now().After(deadline) || !p.Running {
			t.Fatalf("no kill point reached: %+v", p)
		}
	}
	a.kill() // kill -9 in the middle of the job

	b := startProc(t, env, "Gatehouse is listening", "serve")
	var p jobProgress
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if p = progress(t, admin, b.lines["base"]+prog); !p.Running {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the job did not finish after the restart: %+v", p)
		}
	}
	if p.Done != n || p.Failed != 0 {
		t.Fatalf("after the restart: %+v, want %d done", p, n)
	}
	checkExactlyOnce(t, storetest.Open(t, "sqlite", store.SQLiteDSN(dbPath)), emu, "crash-", n)
}

func TestTwoReplicasShareSessionsAndJobs(t *testing.T) {
	if os.Getenv("PORTAL_TEST_POSTGRES_URL") == "" && os.Getenv("CI") != "true" {
		t.Skip("two replicas on one PostgreSQL need PORTAL_TEST_POSTGRES_URL")
	}
	emu := startEmulator(t, "--throttle-rate", "200")
	dsn := storetest.DSN(t, "postgres")
	env := replicaEnv(emu, "postgres", dsn)
	a := startProc(t, env, "http", "serve")
	b := startProc(t, env, "Gatehouse is listening", "serve")
	admin := signInFirstAdmin(t, a.lines["setup"])

	// The session cookie from replica a works on replica b.
	doc, status := admin.page("GET", b.lines["base"]+"/users", nil)
	if status != 200 || doc.Find(`form[action="/signin"]`).Length() > 0 {
		t.Fatalf("replica b does not know a's session: status %d", status)
	}
	const n = 40
	prog := startBulk(t, admin, b.lines["base"], bulkCSV("rep", n))
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if p := progress(t, admin, a.lines["base"]+prog); !p.Running {
			if p.Done != n {
				t.Fatalf("job ended with %+v", p)
			}
			break
		} else if time.Now().After(deadline) {
			t.Fatal("the job did not finish")
		}
	}
	st := storetest.Open(t, "postgres", dsn)
	var attempts int
	st.DB().QueryRow(`SELECT attempts FROM jobs WHERE id = 1`).Scan(&attempts)
	if attempts != 1 {
		t.Fatalf("the job was claimed %d times, want once", attempts)
	}
	checkExactlyOnce(t, st, emu, "rep-", n)
}
