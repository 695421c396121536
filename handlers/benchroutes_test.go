package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/gatehouse/portal/handlers"
)

// The trivial route bench/latency compares pages with exists only with
// Deps.BenchRoutes, and sits behind the same session guard as the pages.
func TestBenchRoutes_OnlyWhenAskedAndBehindTheSession(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	if p := admin.get("/bench/trivial"); p.status != http.StatusNotFound {
		t.Fatalf("without BenchRoutes: status %d, want 404", p.status)
	}
	h, err := handlers.New(handlers.Deps{Store: e.store, Auth: e.auth, Onboarding: e.onb, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: e.clock, SetupBox: e.setupBox, BenchRoutes: true})
	if err != nil {
		t.Fatal(err)
	}
	e.setHandler(h)
	if p := admin.get("/bench/trivial"); p.status != http.StatusOK || p.body != "ok\n" {
		t.Fatalf("signed in: status %d body %q, want 200 ok", p.status, p.body)
	}
	if p := e.newClient().get("/bench/trivial"); p.status != http.StatusSeeOther {
		t.Fatalf("no session: status %d, want 303 to sign in", p.status)
	}
	if p := e.newClient().get("/api/v1/bench/trivial"); p.status != http.StatusUnauthorized {
		t.Fatalf("API without token: status %d, want 401", p.status)
	}
}
