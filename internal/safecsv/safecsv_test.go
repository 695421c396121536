package safecsv

import (
	"encoding/csv"
	"strings"
	"testing"
)

func TestCellsThatStartAFormulaAreText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"alice", "alice"},
		{"", ""},
		{"2026-01-02", "2026-01-02"},
		{"=HYPERLINK(\"https://evil.example\",\"x\")", "'=HYPERLINK(\"https://evil.example\",\"x\")"},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"\n=1", "'\n=1"},
		{"  =1", "'  =1"},
		{"＝1+1", "'＝1+1"},
		{"a=b", "a=b"},
	} {
		if got := Cell(tc.in); got != tc.want {
			t.Errorf("Cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWriterDefusesEveryCell(t *testing.T) {
	var b strings.Builder
	w := NewWriter(&b)
	w.Write("name", "=1+1")
	w.Write("@x", "ok")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][1] != "'=1+1" || rows[1][0] != "'@x" || rows[1][1] != "ok" {
		t.Fatalf("rows %q", rows)
	}
}
