package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/notify"
	"github.com/gatehouse/portal/web"
)

// runtimeKeys are the keys built at run time, as listed by the code that
// builds them.
func runtimeKeys() []string {
	return slices.Concat(portal.TextKeys(), web.RuntimeKeys(), i18n.RuntimeKeys(), notify.MailKeys(), web.LintKeys())
}

// sources returns the text of every hand-written .go and .templ file of the
// repository, except the catalogs themselves, generated templ code and
// tests (a key only a test uses is not used).
func sources(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); strings.HasPrefix(name, ".") && name != ".." || name == "node_modules" || name == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if !(strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".templ")) || strings.HasSuffix(name, "_templ.go") || strings.HasSuffix(name, "_test.go") ||
			(filepath.Base(filepath.Dir(path)) == "i18n" && strings.HasPrefix(name, "messages_")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out[path] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 50 {
		t.Fatalf("found only %d source files: is the test running in the i18n directory?", len(out))
	}
	return out
}

var (
	literalRE = regexp.MustCompile("\"([A-Za-z][A-Za-z0-9_.-]*)\"")
	// keyUseRE finds the literal key of a call that takes a message key:
	// T(ctx, "k"), i18n.T(lang, "k"), portal.T("k"), E(code, "k"),
	// FieldE(field, "k"), notFound(err, "k").
	keyUseRE = regexp.MustCompile(`(?:\bT\((?:[^,"()]+, )?|\bE\([^,"()]+, |\bFieldE\([^,()]+, |\bnotFound\([^,()]+, )"([A-Za-z][A-Za-z0-9_.-]*)"\s*[,)]`)
)

// Every key in the catalogs is used somewhere (as a string literal in the
// source, or listed by the code that builds keys at run time), and every
// key the source asks for exists in both catalogs.
func TestEveryKeyIsUsedAndEveryUsedKeyExists(t *testing.T) {
	src := sources(t)
	literals := map[string]bool{}
	for path, text := range src {
		for _, m := range literalRE.FindAllStringSubmatch(text, -1) {
			literals[m[1]] = true
		}
		for _, m := range keyUseRE.FindAllStringSubmatch(text, -1) {
			for _, l := range i18n.Langs {
				if _, ok := i18n.Lookup(l, m[1]); !ok {
					t.Errorf("%s uses message key %q, which the %s catalog lacks", path, m[1], l)
				}
			}
		}
	}
	for _, k := range runtimeKeys() {
		literals[k] = true
		for _, l := range i18n.Langs {
			if _, ok := i18n.Lookup(l, k); !ok {
				t.Errorf("run-time key %q is missing from the %s catalog", k, l)
			}
		}
	}
	for _, l := range i18n.Langs {
		for _, k := range i18n.Keys(l) {
			if !literals[k] {
				t.Errorf("%s catalog: key %q is used nowhere (remove it, or list it with the code that builds it)", l, k)
			}
		}
	}
}

// verbRE finds the formatting verbs of a message.
var verbRE = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

// sampleArgs returns plausible arguments for msg's verbs (as many as the
// highest %[n] index when the message numbers them).
func sampleArgs(msg string) []any {
	var args []any
	highest := 0
	for _, v := range verbRE.FindAllString(msg, -1) {
		if m := indexRE.FindStringSubmatch(v); m != nil {
			n, _ := strconv.Atoi(m[1])
			highest = max(highest, n)
		}
		switch v[len(v)-1] {
		case '%':
		case 'd':
			args = append(args, 3)
		default:
			args = append(args, "alice")
		}
	}
	for len(args) < highest {
		args = append(args, "alice")
	}
	return args
}

var indexRE = regexp.MustCompile(`^%\[(\d+)\]`)

// Every key renders in both languages with plausible arguments: no
// %!verb artefact, no empty text, no key shown as itself.
func TestEveryKeyRendersInBothLanguages(t *testing.T) {
	for _, k := range i18n.Keys(i18n.EN) {
		en, _ := i18n.Lookup(i18n.EN, k)
		args := sampleArgs(en)
		for _, l := range i18n.Langs {
			got := i18n.T(l, k, args...)
			if strings.Contains(got, "%!") || strings.TrimSpace(got) == "" || got == k {
				t.Errorf("%s %q renders as %q", l, k, got)
			}
		}
	}
	// An argument that is a message (or a list of them) is rendered too.
	got := i18n.T(i18n.JA, "audit.offboard.failed", []portal.Text{portal.T("offboard.step.password"), portal.T("offboard.step.key", "AKIA1")},
		portal.T("offboard.step.user"), portal.T("err.iam.throttled"))
	if want := "コンソールのパスワード、アクセスキー AKIA1"; !strings.Contains(got, want) || strings.Contains(got, "offboard.step") {
		t.Errorf("nested messages render as %q, want %q in it", got, want)
	}
}
