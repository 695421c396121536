package jobs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/jobs"
)

// FuzzParseBulkCSV: whatever a file holds, the reader either refuses the
// whole file with a reason for people or splits it into good rows that
// would pass the form's own checks and bad rows that each say why — no
// panic, no row both good and bad, no name twice among the good rows.
func FuzzParseBulkCSV(f *testing.F) {
	for _, seed := range []string{
		"user_name,display_name,email,deadline\nalice,Alice,alice@example.com,2027-01-31\n",
		"\ufeffuser_name,display_name,email,deadline\r\nbob,,,\r\nBOB,,,\r\n",
		"carol,\"Carol, \"\"C\"\"\",carol@example.com,\n,,,\n\n",
		"dave,=HYPERLINK(\"x\"),dave@example.com,2020-02-30\n",
		"\"unterminated,x,y,z\n",
		"e\u200bve,Eve,eve@example.com,2027-01-01,extra\n",
		"frank,\x00,frank@example.com,2027-13-01\n",
	} {
		f.Add(seed)
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, file string) {
		good, bad, err := jobs.ParseBulkCSV(strings.NewReader(file), now, func(name string) bool { return name == "taken" })
		if err != nil {
			if good != nil || bad != nil {
				t.Fatal("rows returned with a whole-file error")
			}
			if portal.ErrorTextOf(err).Key == "error.internal" {
				t.Fatalf("the file's refusal says nothing a person can act on: %v", err)
			}
			return
		}
		if n := len(good) + len(bad); n == 0 || n > jobs.MaxBulkRows {
			t.Fatalf("%d rows accepted", n)
		}
		rows := map[int]bool{}
		names := map[string]bool{}
		last := 0
		for _, it := range good {
			if it.Row <= last {
				t.Fatalf("good rows out of order: %d after %d", it.Row, last)
			}
			last = it.Row
			rows[it.Row] = true
			in := portal.NewUser{UserName: it.UserName, DisplayName: it.DisplayName, Email: it.Email, Deadline: it.Deadline}
			if err := in.Validate(now); err != nil {
				t.Fatalf("row %d accepted but the form refuses it: %v", it.Row, err)
			}
			key := portal.UserNameKey(it.UserName)
			if names[key] || it.UserName == "taken" {
				t.Fatalf("row %d: %q accepted twice or though managed already", it.Row, it.UserName)
			}
			names[key] = true
		}
		for _, p := range bad {
			if rows[p.Row] {
				t.Fatalf("row %d is both good and bad", p.Row)
			}
			if portal.ErrorTextOf(p.Err).Key == "error.internal" {
				t.Fatalf("row %d refused without a reason: %v", p.Row, p.Err)
			}
		}
	})
}
