package portal_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The arrows docs/architecture.md forbids, checked on the packages' imports
// (test files aside) as go list reports them.

const module = "github.com/gatehouse/portal"

type goPackage struct {
	path    string   // import path without the module prefix ("" for the root)
	imports []string // direct imports
	deps    []string // transitive dependencies inside the module (without the prefix)
}

func listPackages(t *testing.T) []goPackage {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \",\"}}|{{join .Deps \",\"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []goPackage
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		p := goPackage{path: rel(f[0]), imports: strings.Split(f[1], ",")}
		for _, d := range strings.Split(f[2], ",") {
			if d == module || strings.HasPrefix(d, module+"/") {
				p.deps = append(p.deps, rel(d))
			}
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	return pkgs
}

func rel(importPath string) string {
	return strings.TrimPrefix(strings.TrimPrefix(importPath, module), "/")
}

// under reports whether path is one of roots or inside one of them.
func under(path string, roots ...string) bool {
	for _, r := range roots {
		if path == r || strings.HasPrefix(path, r+"/") {
			return true
		}
	}
	return false
}

func TestForbiddenImports(t *testing.T) {
	pkgs := listPackages(t)
	for _, p := range pkgs {
		name := p.path
		if name == "" {
			name = "portal (root)"
		}
		// Layers: what each package may reach inside the module.
		allowed := map[string][]string{
			"":           {},
			"policy":     {},
			"i18n":       {""},
			"migrations": {},
			"store":      {"", "migrations"},
			"posture":    {"policy"},
			// The API client stands alone: its users import nothing else.
			"client": {},
		}
		if ok, limited := allowed[p.path]; limited {
			for _, d := range p.deps {
				if !slices.Contains(ok, d) {
					t.Errorf("%s depends on %s: it may use only %q", name, d, ok)
				}
			}
		}
		forbidden := map[string][]string{
			// Views get view models; they never reach the database, IAM or
			// the services.
			"web": {"store", "awsiam", "onboarding", "jobs", "auth", "audit", "notify", "handlers", "scim", "webhook"},
		}
		for _, svc := range []string{"onboarding", "jobs", "notify", "auth", "audit", "awsiam", "iamemu", "scim", "webhook"} {
			// Services know nothing of HTTP handlers or pages.
			forbidden[svc] = []string{"handlers", "web"}
		}
		for root, bad := range forbidden {
			if under(p.path, root) {
				for _, d := range p.deps {
					if under(d, bad...) {
						t.Errorf("%s depends on %s", name, d)
					}
				}
			}
		}
		if under(p.path, "bench") {
			continue // harnesses measure every layer from outside
		}
		for _, imp := range p.imports {
			switch {
			case strings.HasPrefix(imp, "github.com/aws/aws-sdk-go-v2") && !under(p.path, "awsiam", "iamemu"):
				t.Errorf("%s imports %s: AWS SDK types stay inside awsiam (and the emulator)", name, imp)
			case imp == "net/http" && !under(p.path, "handlers", "web", "cmd", "awsiam", "iamemu", "client", "webhook"):
				t.Errorf("%s imports net/http: HTTP types stay in handlers", name)
			case imp == "database/sql" && !under(p.path, "store"):
				t.Errorf("%s imports database/sql: SQL stays in store", name)
			case under(rel(imp), "store/storetest", "iamemu/iamemutest", "iamemu/iamfault", "internal/eventually", "internal/testkeys", "notify/smtptest") &&
				strings.HasPrefix(imp, module) && !under(p.path, "store/storetest", "iamemu/iamemutest"):
				t.Errorf("%s imports the test helper %s", name, imp)
			}
		}
		if p.path != "cmd/portal" && slices.Contains(p.deps, "handlers") {
			t.Errorf("%s depends on handlers: only the main package wires them", name)
		}
	}
}
