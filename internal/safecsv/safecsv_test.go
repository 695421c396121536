package safecsv

import (
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
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

var otherWriter = regexp.MustCompile(`\bcsv\.NewWriter\(`)

// One writer for every export: no other production code writes CSV with
// encoding/csv (a second writer would be a second place to forget the
// formula rule). The IAM emulator is exempt: it writes AWS's credential
// report, which is AWS's format, not a Gatehouse export.
func TestNoOtherCSVWriter(t *testing.T) {
	root := filepath.Join("..", "..")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && rel != "." || rel == "iamemu" || rel == filepath.Join("internal", "safecsv") || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		if otherWriter.Match(b) {
			t.Errorf("%s writes CSV with encoding/csv: use safecsv.NewWriter", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d files: is the test running in internal/safecsv?", checked)
	}
}
