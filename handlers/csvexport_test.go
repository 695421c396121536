package handlers_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal/internal/eventually"
)

// Every CSV people download — the bulk result, the user list — shows a
// cell that would start a spreadsheet formula (= + - @) as text: the same
// writer makes every export (internal/safecsv).
func TestEveryCSVExportDefusesFormulas(t *testing.T) {
	e := newBulkEnv(t)
	admin, _ := e.setupAdmin()
	formulas := map[string]string{"fone": "=1+1", "ftwo": "+SUM(A1)", "fthree": "-2+3", "ffour": "@SUM(A1)"}
	var rows strings.Builder
	for name, display := range formulas {
		rows.WriteString(name + `,"` + display + `",,` + "\n")
	}
	preview := admin.upload(rows.String())
	body, _ := preview.doc.Find(`input[name="csv"]`).Attr("value")
	loc := admin.post("/users/bulk/start", url.Values{"csv": {body}}).header.Get("Location")
	var p *page
	eventually.True(t, 20*time.Second, 50*time.Millisecond, "the job did not finish", func() bool {
		p = admin.get(loc)
		return p.doc.Find(`[data-testid="bulk-download"]`).Length() > 0
	})
	href, _ := p.doc.Find(`[data-testid="bulk-download"]`).Attr("href")

	check := func(what, body string, nameCol, displayCol int) {
		t.Helper()
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		found := 0
		for _, r := range recs[1:] {
			want, ok := formulas[r[nameCol]]
			if !ok {
				continue
			}
			found++
			if r[displayCol] != "'"+want {
				t.Errorf("%s: display name cell %q of %s is a live formula", what, r[displayCol], r[nameCol])
			}
		}
		if found != len(formulas) {
			t.Fatalf("%s: found %d of the %d users:\n%s", what, found, len(formulas), body)
		}
	}
	res := admin.get(href)
	if res.status != http.StatusOK {
		t.Fatalf("result download: %d", res.status)
	}
	check("bulk result", res.body, 0, 1)

	users := admin.get("/users.csv")
	recs, _ := csv.NewReader(strings.NewReader(users.body)).ReadAll()
	if users.status != http.StatusOK || len(recs) == 0 {
		t.Fatalf("users.csv: %d", users.status)
	}
	nameCol, displayCol := -1, -1
	for i, h := range recs[0] {
		switch h {
		case "user_name":
			nameCol = i
		case "display_name":
			displayCol = i
		}
	}
	if nameCol < 0 || displayCol < 0 {
		t.Fatalf("users.csv header %q", recs[0])
	}
	check("users.csv", users.body, nameCol, displayCol)
}
