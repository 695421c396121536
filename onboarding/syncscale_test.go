package onboarding_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/onboarding"
)

// hideHardware stands in for hardware keys and passkeys, which the emulator
// does not model: IAM lists them in ListMFADevices and counts them in the
// credential report's mfa_active, but never in ListVirtualMFADevices. The
// transport drops the listing's entries whose serial contains marker.
type hideHardware struct{ marker string }

var listMember = regexp.MustCompile(`(?s)<member>.*?</member>`)

func (h hideHardware) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || !strings.Contains(string(body), "Action=ListVirtualMFADevices&") {
		return resp, err
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	out = listMember.ReplaceAllFunc(out, func(m []byte) []byte {
		if bytes.Contains(m, []byte(h.marker)) {
			return nil
		}
		return m
	})
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(out)), int64(len(out))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// seedAccount adds users (and their assigned virtual devices: user name →
// device name, "" for none) to e's emulator through its state file, as a
// hand-edited state would: thousands of users in one step instead of three
// signed calls each.
func (e *lifeEnv) seedAccount(t *testing.T, created time.Time, devices map[string]string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.json")
	if err := e.emu.SaveState(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]json.RawMessage
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	type user struct {
		Name, Path, ID string
		Created        time.Time
	}
	type device struct {
		Serial, Name, Path, Seed string
		Created, Enabled         time.Time
		UserName                 string
	}
	users, devs := map[string]user{}, map[string]device{}
	i := 0
	for name, dev := range devices {
		i++
		users[strings.ToLower(name)] = user{Name: name, Path: "/", ID: fmt.Sprintf("AIDA%017d", i), Created: created}
		if dev != "" {
			serial := "arn:aws:iam::" + e.emu.AccountID() + ":mfa/" + dev
			devs[serial] = device{Serial: serial, Name: dev, Path: "/", Seed: strings.Repeat("A", 64), Created: created, Enabled: created, UserName: name}
		}
	}
	for k, v := range map[string]any{"Users": users, "Devices": devs} {
		if st[k], err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	if data, err = json.Marshal(st); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := e.emu.LoadState(path); err != nil {
		t.Fatal(err)
	}
}

// syncCalls counts the IAM calls of one service by action.
type syncCalls struct {
	mu    sync.Mutex
	calls map[string]int
}

func (c *syncCalls) observe(action, _ string, _ time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[action]++
}

// take returns the calls counted since the last take, their total, and the
// total without the posture's reads.
func (c *syncCalls) take() (calls map[string]int, total, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	calls, c.calls = c.calls, map[string]int{}
	for action, n := range calls {
		total += n
		if action != "GetAccountPasswordPolicy" && action != "GetAccountAuthorizationDetails" {
			status += n
		}
	}
	return calls, total, status
}

// maxSyncCalls is the bound on a status sync's IAM calls at 10,000 users
// (issue 15; docs/benchmarks.md).
const maxSyncCalls = 20

// A status sync at 10,000 users costs the credential report's calls, one
// call per page of assigned virtual devices, and one call per user the
// listing cannot settle (a hardware key the report shows, a user deleted
// outside Gatehouse): never one call per pending user, and at most
// maxSyncCalls. The posture's reads come once per credential report, not
// with every sync.
func TestSyncCallsIAMPerPageNotPerUser(t *testing.T) {
	ctx := context.Background()
	n, pageSize := 10000, 1000 // IAM's largest page, as the portal asks
	if testing.Short() {       // the race detector's run: the same shape, smaller
		n, pageSize = 600, 60
	}
	// IAM's own report schedule: a new report at most every 4 hours.
	e := newLifeEnv(t, iamemu.Options{}, onboarding.LifecycleConfig{})
	created := e.now().Add(-time.Hour)
	devices := map[string]string{}
	want := map[string]portal.State{}
	var later []string // pending users who enroll in the console between the two syncs
	for i := range n {
		name := fmt.Sprintf("user-%05d", i)
		u := &portal.User{UserName: name, Email: name + "@example.com", State: portal.StateInvited,
			Deadline: created.Add(7 * 24 * time.Hour), CreatedAt: created, UpdatedAt: created}
		devices[name] = ""
		switch i % 8 {
		case 0: // still pending; some enroll before the second sync
			if i%80 == 0 {
				later = append(later, name)
			}
		case 1, 4, 5: // enrolled in the AWS console since the last sync
			devices[name] = name + "-phone"
			want[name] = portal.StateEnrolled
		case 2, 6: // enrolled through the portal
			devices[name] = name + "-portal"
			u.State, u.EnrolledAt, u.MFASerial, u.Deadline = portal.StateEnrolled, created, "arn:aws:iam::"+e.emu.AccountID()+":mfa/"+name+"-portal", time.Time{}
		case 3: // claimed, enrolled in the console
			u.State = portal.StateClaimed
			devices[name] = name + "-phone"
			want[name] = portal.StateEnrolled
		case 7:
			u.State, u.Deadline = portal.StateMFARemoved, time.Time{}
		}
		if want[name] == "" {
			want[name] = u.State
		}
		if err := e.store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	// A pending user who enrolled a hardware key, and one whose IAM user was
	// deleted outside Gatehouse.
	devices["hw-key"] = "hw-key-HARDWARE"
	want["hw-key"], want["deleted"] = portal.StateEnrolled, portal.StateOffboarded
	for _, name := range []string{"hw-key", "deleted"} {
		if err := e.store.CreateUser(ctx, &portal.User{UserName: name, State: portal.StateInvited, CreatedAt: created, UpdatedAt: created,
			Deadline: created.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	e.seedAccount(t, created, devices)

	// The posture's listing pages through every user, group and policy.
	entities := len(devices)
	for p := iam.NewListPoliciesPaginator(e.raw, &iam.ListPoliciesInput{}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		entities += len(out.Policies)
	}

	counter := &syncCalls{calls: map[string]int{}}
	// The emulator builds a report of 10,000 users in seconds (it scans
	// every device for each user), longer than a call's default deadline
	// when the machine is busy.
	svc := e.serviceWith(t, awsiam.Config{PageSize: int32(pageSize), HTTPClient: &http.Client{Transport: hideHardware{"HARDWARE"}},
		Observe: counter.observe, CallTimeout: 2 * time.Minute})
	res, err := svc.Sync(ctx, onboarding.SyncManual, admin)
	if err != nil {
		t.Fatal(err)
	}

	assigned := 0
	for _, d := range devices {
		if d != "" {
			assigned++
		}
	}
	pages := (assigned + pageSize - 1) / pageSize
	if pages < 3 {
		t.Fatalf("%d assigned devices fill %d pages: the test does not prove that every page is followed", assigned, pages)
	}
	posturePages := (entities + pageSize - 1) / pageSize
	calls, total, status := counter.take()
	t.Logf("first sync, %d users: %d IAM calls, %d besides the posture's: %v", n+2, total, status, calls)
	for action, want := range map[string]int{
		"GenerateCredentialReport": 1, "GetCredentialReport": 1,
		"ListVirtualMFADevices":          pages, // every page, once
		"ListMFADevices":                 1,     // hw-key: no virtual device, the report says MFA
		"GetUser":                        1,     // deleted: missing from a report newer than it
		"GetAccountPasswordPolicy":       1,     // the posture's facts, from a report it has not seen
		"GetAccountAuthorizationDetails": posturePages,
	} {
		if got := calls[action]; got != want {
			t.Errorf("first sync: %s called %d times, want %d", action, got, want)
		}
	}
	if want := 2 + pages + 2 + 1 + posturePages; total != want {
		t.Errorf("first sync: %d IAM calls for %d users (%v), want %d", total, n+2, calls, want)
	}
	if !testing.Short() && status > maxSyncCalls {
		t.Errorf("first sync: %d IAM calls besides the posture's for %d users (%v), want at most %d", status, n+2, calls, maxSyncCalls)
	}
	bad := 0
	for name, want := range want {
		if got := e.state(t, name); got != want && bad < 5 {
			bad++
			t.Errorf("%s is %s, want %s", name, got, want)
		}
	}
	if got, want := res.Enrolled, n/2+1; got != want {
		t.Errorf("Enrolled = %d, want %d", got, want)
	}
	if res.Gone != 1 || res.Removed != 0 {
		t.Errorf("Gone = %d, Removed = %d, want 1 and 0", res.Gone, res.Removed)
	}
	u, err := e.store.FindUserByName(ctx, "hw-key")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(u.MFASerial, "hw-key-HARDWARE") {
		t.Errorf("hw-key's device = %q, want the one ListMFADevices named", u.MFASerial)
	}

	// The next sync, minutes later, gets the same report back from IAM:
	// the posture has its facts already; the pending users are still looked
	// up live, and those who enrolled meanwhile are seen.
	e.advance(10 * time.Minute)
	for _, name := range later {
		// Through the state file: the account already holds more virtual
		// devices than IAM's default quota lets CreateVirtualMFADevice add.
		devices[name] = name + "-phone"
		want[name] = portal.StateEnrolled
	}
	e.seedAccount(t, created, devices)
	counter.take()
	res, err = svc.Sync(ctx, onboarding.SyncScheduled, onboarding.Actor{Name: "system"})
	if err != nil {
		t.Fatal(err)
	}
	pages = (assigned + len(later) + pageSize - 1) / pageSize
	calls, total, _ = counter.take()
	t.Logf("second sync, same report: %d IAM calls: %v", total, calls)
	if want := 2 + pages; total != want || calls["ListVirtualMFADevices"] != pages {
		t.Errorf("second sync: %d IAM calls (%v), want %d: the report's and %d pages of devices", total, calls, want, pages)
	}
	if !testing.Short() && total > maxSyncCalls {
		t.Errorf("second sync: %d IAM calls for %d users (%v), want at most %d", total, n+2, calls, maxSyncCalls)
	}
	if res.Enrolled != len(later) {
		t.Errorf("second sync: Enrolled = %d, want %d", res.Enrolled, len(later))
	}
	bad = 0
	for name, want := range want {
		if got := e.state(t, name); got != want && bad < 5 {
			bad++
			t.Errorf("after the second sync %s is %s, want %s", name, got, want)
		}
	}
	if snaps, err := e.store.PostureSnapshotsSince(ctx, "", created); err != nil || len(snaps) != 1 {
		t.Errorf("posture snapshots = %d, %v: want one, for the one report", len(snaps), err)
	}
}
