package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// No container engine runs here, so the deployment files are checked by
// parsing them against what the portal expects.

type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Ports       []string          `yaml:"ports"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		Secrets     []string          `yaml:"secrets"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
	Secrets map[string]struct {
		File string `yaml:"file"`
	} `yaml:"secrets"`
}

func TestDockerCompose(t *testing.T) {
	b, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("docker-compose.yml does not parse: %v", err)
	}
	gh, db := c.Services["gatehouse"], c.Services["db"]
	if gh.Build == nil || db.Image == "" || !strings.HasPrefix(db.Image, "postgres:") {
		t.Fatalf("want services gatehouse (built here) and db (postgres image): %+v", c.Services)
	}
	if got, want := gh.Ports, []string{"8080:8080"}; !slices.Equal(got, want) {
		t.Fatalf("gatehouse ports = %v, want %v", got, want)
	}
	if got, want := gh.DependsOn["db"].Condition, "service_healthy"; got != want {
		t.Fatalf("gatehouse waits for db %q, want %q", got, want)
	}
	if test := db.Healthcheck.Test; len(test) < 2 || !strings.Contains(strings.Join(test, " "), "pg_isready") {
		t.Fatalf("db health check = %v", test)
	}
	if test := gh.Healthcheck.Test; len(test) < 3 || test[0] != "CMD" || test[1] != "/portal" || test[2] != "healthcheck" {
		t.Fatalf("gatehouse health check %v must run the binary itself (no shell in the image)", test)
	}
	if _, ok := c.Volumes["pgdata"]; !ok || !slices.Contains(db.Volumes, "pgdata:/var/lib/postgresql/data") {
		t.Fatalf("the database needs the named volume pgdata: %v %v", c.Volumes, db.Volumes)
	}
	env := gh.Environment
	for k, want := range map[string]string{"PORTAL_DB_DRIVER": "postgres", "PORTAL_ADDR": "0.0.0.0:8080",
		"PORTAL_DB_DSN_FILE": "/run/secrets/db_dsn", "PORTAL_SECRET_KEY_FILE": "/run/secrets/portal_secret_key"} {
		if env[k] != want {
			t.Fatalf("gatehouse %s = %q, want %q", k, env[k], want)
		}
	}
	for k := range env {
		if !strings.HasPrefix(k, "AWS_") && !documented(k) {
			t.Fatalf("gatehouse sets %s, which portal serve does not read", k)
		}
	}
	for _, s := range append(gh.Secrets, db.Secrets...) {
		if c.Secrets[s].File == "" {
			t.Fatalf("secret %s has no file", s)
		}
	}
	if _, err := parseServe(nil, func(k string) string {
		if k == "PORTAL_DB_DSN" {
			return "postgres://gatehouse:pw@db:5432/gatehouse"
		}
		if strings.HasSuffix(k, "_FILE") || strings.Contains(env[k], "${") {
			return ""
		}
		return env[k]
	}, os.Stderr); err != nil && !strings.Contains(err.Error(), "PORTAL_SECRET_KEY") {
		t.Fatalf("the compose environment does not validate: %v", err)
	}
}

// documented reports whether name (or its _FILE form) is in serve's help.
func documented(name string) bool {
	base := strings.TrimSuffix(name, "_FILE")
	for _, e := range serveEnv {
		if e.name == name || e.name == base || e.name == base+"[_FILE]" {
			return true
		}
	}
	return false
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var stages [][]string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if strings.EqualFold(f[0], "FROM") {
			stages = append(stages, nil)
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], line)
	}
	if len(stages) < 2 {
		t.Fatalf("want a multi-stage build, got %d stage(s)", len(stages))
	}
	build, final := strings.Join(stages[0], "\n"), stages[len(stages)-1]
	if !strings.Contains(build, "CGO_ENABLED=0") || !strings.Contains(build, "./cmd/portal") {
		t.Fatal("the build stage must build ./cmd/portal with CGO_ENABLED=0 (a static binary)")
	}
	if from := final[0]; !strings.Contains(from, "distroless/static") && !strings.Contains(from, "scratch") {
		t.Fatalf("final stage %q: want distroless/static or scratch (no shell)", from)
	}
	user := ""
	for _, l := range final {
		if strings.HasPrefix(l, "RUN") {
			t.Fatalf("final stage runs %q: it has no shell", l)
		}
		if strings.HasPrefix(l, "USER") {
			user = strings.Fields(l)[1]
		}
	}
	if user == "" || strings.HasPrefix(user, "0") || strings.HasPrefix(user, "root") {
		t.Fatalf("final stage USER = %q, want a non-root user", user)
	}
}
