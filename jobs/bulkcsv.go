package jobs

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// BulkColumns are the columns of a bulk onboarding CSV, in order. A header
// row with these names is optional. The last, account (the 12-digit AWS
// account to create the user in), may be left out: the hub account then.
var BulkColumns = []string{"user_name", "display_name", "email", "deadline", "account"}

// MaxBulkRows bounds one upload (IAM allows 5,000 users per account).
const MaxBulkRows = 5000

// RowProblem is a CSV row that cannot be onboarded, with the reason (a
// *portal.Error, shown in the reader's language).
type RowProblem struct {
	Row      int // 1-based line number in the file
	UserName string
	Err      error
}

// ParseBulkCSV reads an upload and checks every row: the IAM name rules,
// e-mail, deadline (YYYY-MM-DD, in the future; empty means the default),
// duplicates within the file (ignoring case, as IAM does) and, through
// exists, users Gatehouse manages already. Good rows and bad rows come back
// separately: a bad row never blocks a good one. Only a file that cannot be
// read as CSV at all is an error. Rows may not name an account (see
// ParseBulkCSVIn).
func ParseBulkCSV(r io.Reader, now time.Time, exists func(name string) bool) ([]store.BulkItem, []RowProblem, error) {
	return ParseBulkCSVIn(r, now, nil, func(_, name string) bool { return exists(name) })
}

// ParseBulkCSVIn is ParseBulkCSV for several accounts: account checks a
// row's account column (nil refuses any), and exists asks about a name in
// an account ("" the hub). The same name in two accounts is two users.
func ParseBulkCSVIn(r io.Reader, now time.Time, account func(id string) error, exists func(account, name string) bool) ([]store.BulkItem, []RowProblem, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var good []store.BulkItem
	var bad []RowProblem
	seen := map[string]int{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, portal.FieldE("file", "err.bulk.csv", line).Wrap(err)
		}
		if line == 1 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff")), "user_name") {
			continue // header
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(good)+len(bad) >= MaxBulkRows {
			return nil, nil, portal.FieldE("file", "err.bulk.toomany", MaxBulkRows)
		}
		item, reason := parseRow(rec, now)
		if reason == nil && item.Account != "" {
			if account == nil {
				reason = portal.FieldE("account", "err.account.choose")
			} else {
				reason = account(item.Account)
			}
		}
		key := item.Account + " " + portal.UserNameKey(item.UserName)
		switch {
		case reason != nil:
		case seen[key] > 0:
			reason = portal.FieldE("file", "err.bulk.row.dup", item.UserName, seen[key])
		case exists(item.Account, item.UserName):
			reason = portal.E(portal.ECONFLICT, "err.user.managed", item.UserName)
		}
		if reason != nil {
			bad = append(bad, RowProblem{Row: line, UserName: item.UserName, Err: reason})
			continue
		}
		seen[key] = line
		item.Row = line
		good = append(good, item)
	}
	if len(good)+len(bad) == 0 {
		return nil, nil, portal.FieldE("file", "err.bulk.empty", strings.Join(BulkColumns, ","))
	}
	return good, bad, nil
}

// parseRow turns one record into an item, or says what is wrong with it.
func parseRow(rec []string, now time.Time) (store.BulkItem, error) {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	var it store.BulkItem
	if len(rec) > 0 {
		it.UserName = rec[0]
	}
	if len(rec) != len(BulkColumns) && len(rec) != len(BulkColumns)-1 {
		return it, portal.FieldE("file", "err.bulk.row.columns", len(rec), len(BulkColumns), strings.Join(BulkColumns, ","))
	}
	it.DisplayName, it.Email = rec[1], rec[2]
	if len(rec) == len(BulkColumns) {
		it.Account = rec[4]
		if it.Account != "" && !portal.ValidAccountID(it.Account) {
			return it, portal.FieldE("account", "err.account.id")
		}
	}
	if rec[3] != "" {
		d, err := time.Parse("2006-01-02", rec[3])
		if err != nil {
			return it, portal.FieldE("deadline", "err.bulk.row.deadline", rec[3])
		}
		it.Deadline = d.Add(24*time.Hour - time.Second) // the end of that day, UTC
	}
	in := portal.NewUser{UserName: it.UserName, DisplayName: it.DisplayName, Email: it.Email, Deadline: it.Deadline}
	return it, in.Validate(now)
}
