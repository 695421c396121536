package portal_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goFiles lists every .go file of the module, skipping hidden directories and
// testdata.
func goFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("found only %d Go files: not run from the module root?", len(files))
	}
	return files
}

// sectionSign (U+00A7) cites a section of notes kept outside the repository.
const sectionSign = '\u00a7'

// machinePath is an absolute path on a build or developer machine (a work
// or home directory), which means nothing to another maintainer.
var machinePath = regexp.MustCompile(`(?:^|[\s("'=])/(?:work|home)/`)

// docAnchor is a pointer from a comment into the repository's docs.
var docAnchor = regexp.MustCompile(`docs/([A-Za-z0-9_-]+\.md)(?:#([a-z0-9-]+))?`)

// TestCommentsAreSelfContained keeps comments readable from this repository
// alone: no section signs pointing into notes kept elsewhere, no paths of a
// build machine, and every docs/<file>.md#<anchor> pointer names a heading
// that exists.
func TestCommentsAreSelfContained(t *testing.T) {
	anchors := map[string]map[string]bool{}
	anchorsOf := func(doc string) map[string]bool {
		if a, ok := anchors[doc]; ok {
			return a
		}
		a := map[string]bool{}
		anchors[doc] = a
		b, err := os.ReadFile(filepath.Join("docs", doc))
		if err != nil {
			return nil
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "#") {
				a[slug(strings.TrimLeft(line, "# "))] = true
			}
		}
		return a
	}
	fset := token.NewFileSet()
	for _, path := range goFiles(t) {
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				checkComment(t, fset.Position(c.Pos()).String(), c, anchorsOf)
			}
		}
	}
}

func checkComment(t *testing.T, pos string, c *ast.Comment, anchorsOf func(string) map[string]bool) {
	t.Helper()
	if strings.ContainsRune(c.Text, sectionSign) {
		t.Errorf("%s: comment cites a section sign; say the fact or point into docs/: %s", pos, c.Text)
	}
	if machinePath.MatchString(c.Text) {
		t.Errorf("%s: comment names a path of a build machine: %s", pos, c.Text)
	}
	for _, m := range docAnchor.FindAllStringSubmatch(c.Text, -1) {
		a := anchorsOf(m[1])
		switch {
		case a == nil:
			t.Errorf("%s: comment points to docs/%s, which does not exist", pos, m[1])
		case m[2] != "" && !a[m[2]]:
			t.Errorf("%s: comment points to docs/%s#%s, which has no such heading", pos, m[1], m[2])
		}
	}
}

// slug turns a Markdown heading into its anchor the way GitHub does: lower
// case, spaces to hyphens, punctuation dropped.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}
