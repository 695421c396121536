package portal_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// docs/reliability.md is the fault matrix an operator reads to decide
// whether to trust Gatehouse: every row of its tables must name at least
// one test, and every test it names (`package.TestName`) must exist, so a
// renamed or deleted test cannot leave a row that proves nothing.
func TestReliabilityDocNamesExistingTests(t *testing.T) {
	doc, err := os.ReadFile("docs/reliability.md")
	if err != nil {
		t.Fatal(err)
	}
	ref := regexp.MustCompile("`([a-z][a-z0-9/]*)\\.(Test[A-Za-z0-9_]+)`")
	rows := 0
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| Fault |") {
			continue
		}
		rows++
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		refs := ref.FindAllStringSubmatch(cells[len(cells)-1], -1)
		if len(refs) == 0 {
			t.Errorf("a row names no test: %s", line)
		}
		for _, m := range refs {
			if !definesTest(t, m[1], m[2]) {
				t.Errorf("%s.%s is named in docs/reliability.md but package %s has no such test", m[1], m[2], m[1])
			}
		}
	}
	if rows < 20 {
		t.Fatalf("docs/reliability.md has %d matrix rows; the tables were not found", rows)
	}
}

// definesTest reports whether a _test.go file in directory dir defines
// func name(.
func definesTest(t *testing.T, dir, name string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(filepath.FromSlash(dir), "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "\nfunc "+name+"(") {
			return true
		}
	}
	return false
}
