package portal_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The request traces of docs/architecture.md: after the route table, each
// reads as one handler file, one onboarding file, one awsiam file and one
// store file. traceCalls follows the trace's service functions (and the
// onboarding functions they call, transitively) and collects every function
// of onboarding, store and awsiam they use, with the file it is defined in.
// The layers' shared plumbing is not counted (traceInfra).

type trace struct {
	name    string
	entries []string // what the handler calls of onboarding: Service methods and functions
	service string   // the one onboarding file
	awsiam  string   // the one awsiam file
	store   string   // the one store file
}

// The invitee's setup session (Service.ClaimSession, NextStep), which the
// enroll handlers look up first, is the Invitee access level's check, as
// an operator's session is: not part of a trace.
var traces = []trace{
	{name: "onboard", entries: []string{"Onboard", "OptionWarnings"}, service: "saga.go", awsiam: "onboard.go", store: "onboard.go"},
	{name: "claim", entries: []string{"ClaimInvite", "NextStep"}, service: "invite.go", awsiam: "loginprofile.go", store: "invite.go"},
	{name: "enroll", entries: []string{"StartMFA", "EnrollMFA"}, service: "enroll.go", awsiam: "mfa.go", store: "enroll.go"},
	{name: "offboard", entries: []string{"Offboard"}, service: "offboard.go", awsiam: "offboard.go", store: "offboard.go"},
}

// traceInfra lists, per package, the files of shared plumbing a trace may
// use besides its own file, as docs/architecture.md names them. The
// onboarding ones are not followed further: what they call is theirs.
var traceInfra = map[string][]string{
	// The service's construction and audit helpers; the account a call
	// works in (its IAM client, its sign-in URL); the check that an IAM user
	// is still Gatehouse's, run before every change to one; queued notices.
	"onboarding": {"service.go", "scope.go", "ownership.go", "notices.go"},
	// The call wrapper and the mapping of AWS errors.
	"awsiam": {"client.go", "errors.go"},
	// The transaction helper and the SQL dialects; leases and the guess
	// limiter, which every service uses by name.
	"store": {"store.go", "driver.go", "lease.go", "attempts.go"},
}

// use is one function a trace reaches: its package (module-relative), its
// name (Recv.Name for methods) and the file defining it.
type use struct{ pkg, name, file string }

func TestRequestTraces(t *testing.T) {
	calls := traceCalls(t)
	for _, tr := range traces {
		want := map[string]string{"onboarding": tr.service, "awsiam": tr.awsiam, "store": tr.store}
		files := map[string]map[string]bool{}
		for _, u := range calls[tr.name] {
			if files[u.pkg] == nil {
				files[u.pkg] = map[string]bool{}
			}
			files[u.pkg][u.file] = true
			if u.file != want[u.pkg] && !slices.Contains(traceInfra[u.pkg], u.file) {
				t.Errorf("%s trace: %s.%s is in %s/%s, not in the trace's file %s/%s", tr.name, u.pkg, u.name, u.pkg, u.file, u.pkg, want[u.pkg])
			}
		}
		if testing.Verbose() {
			for _, u := range calls[tr.name] {
				t.Logf("%s trace: %s/%s %s", tr.name, u.pkg, u.file, u.name)
			}
		}
		for pkg, f := range want {
			if !files[pkg][f] {
				t.Errorf("%s trace: nothing of %s/%s is used: the trace table is out of date", tr.name, pkg, f)
			}
		}
	}
}

// traceCalls returns, per trace, the functions of onboarding, store and
// awsiam its service entry points use (directly or through onboarding
// functions). It type-checks onboarding against its dependencies' export
// data (go list -export), so method calls resolve whatever the receiver
// expression looks like.
func traceCalls(t *testing.T) map[string][]use {
	t.Helper()
	out, err := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}", "./onboarding").Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	exports := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, file, _ := strings.Cut(line, "\t")
		exports[path] = file
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		return os.Open(exports[path])
	})
	names, err := filepath.Glob("onboarding/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	pkg, err := (&types.Config{Importer: imp}).Check(module+"/onboarding", fset, files, info)
	if err != nil {
		t.Fatalf("type-check onboarding: %v", err)
	}
	decls := map[types.Object]*ast.FuncDecl{}
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				decls[info.Defs[fd.Name]] = fd
			}
		}
	}
	service, _ := pkg.Scope().Lookup("Service").Type().(*types.Named)
	if service == nil {
		t.Fatal("onboarding.Service not found")
	}
	result := map[string][]use{}
	for _, tr := range traces {
		seen := map[types.Object]bool{}
		var queue []types.Object
		for _, e := range tr.entries {
			m, _, _ := types.LookupFieldOrMethod(types.NewPointer(service), false, pkg, e)
			if m == nil {
				m = pkg.Scope().Lookup(e)
			}
			if _, ok := m.(*types.Func); !ok {
				t.Fatalf("%s trace: onboarding has no method or function %s", tr.name, e)
			}
			queue = append(queue, m)
		}
		var uses []use
		for len(queue) > 0 {
			obj := queue[0]
			queue = queue[1:]
			if seen[obj] {
				continue
			}
			seen[obj] = true
			fd := decls[obj]
			if fd == nil {
				continue
			}
			file := filepath.Base(fset.Position(fd.Pos()).Filename)
			uses = append(uses, use{"onboarding", funcName(obj.(*types.Func)), file})
			if slices.Contains(traceInfra["onboarding"], file) {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok {
					return true
				}
				fn, ok := info.Uses[id].(*types.Func)
				if !ok || fn.Pkg() == nil {
					return true
				}
				switch p := rel(fn.Pkg().Path()); p {
				case "onboarding":
					queue = append(queue, fn.Origin())
				case "store", "awsiam":
					if !seen[fn] {
						seen[fn] = true
						uses = append(uses, use{p, funcName(fn), filepath.Base(fset.Position(fn.Pos()).Filename)})
					}
				}
				return true
			})
		}
		sort.Slice(uses, func(i, j int) bool {
			return uses[i].pkg+uses[i].file+uses[i].name < uses[j].pkg+uses[j].file+uses[j].name
		})
		result[tr.name] = uses
	}
	return result
}

// funcName is Name, or Recv.Name for a method.
func funcName(fn *types.Func) string {
	sig := fn.Type().(*types.Signature)
	if sig.Recv() == nil {
		return fn.Name()
	}
	r := sig.Recv().Type()
	if p, ok := r.(*types.Pointer); ok {
		r = p.Elem()
	}
	if n, ok := r.(*types.Named); ok {
		return n.Obj().Name() + "." + fn.Name()
	}
	return fn.Name()
}
