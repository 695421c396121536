package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
)

// DefaultReadyTimeout bounds each dependency check of /healthz and /readyz
// unless Deps.ReadyTimeout says otherwise: a probe must answer within a
// second or two whatever IAM or the database do, and name the one that is
// slow.
const DefaultReadyTimeout = time.Second

// healthz answers 200 while the process is alive and its database takes
// writes. A replica whose database only reads (a read-only SQLite file, a
// PostgreSQL standby) or is out of disk cannot do its job, so it answers 503
// and says why. A database that does not answer at all is a readiness
// matter (/readyz): every replica shares it, and restarting them would not
// bring it back.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	status, line := s.checkDependency(r.Context(), "database", s.Store.CheckWritable)
	switch portal.ErrorReason(status.err) {
	case "database-read-only", "database-full":
		writeHealth(w, http.StatusServiceUnavailable, line)
		return
	}
	writeHealth(w, http.StatusOK, "ok")
}

// readyz answers 200 when the database takes writes and IAM answers, each
// within the ready timeout; otherwise 503 with one line per dependency
// saying which is slow or down and why.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	type result struct {
		check checkStatus
		line  string
	}
	checks := []struct {
		name string
		fn   func(context.Context) error
	}{{"database", s.Store.CheckWritable}, {"iam", s.Ready}}
	results := make([]chan result, len(checks))
	for i, c := range checks {
		results[i] = make(chan result, 1)
		go func() {
			st, line := s.checkDependency(r.Context(), c.name, c.fn)
			results[i] <- result{st, line}
		}()
	}
	status, lines := http.StatusOK, make([]string, 0, len(checks))
	for _, ch := range results {
		res := <-ch
		if !res.check.ok {
			status = http.StatusServiceUnavailable
		}
		lines = append(lines, res.line)
	}
	writeHealth(w, status, strings.Join(lines, "\n"))
}

type checkStatus struct {
	ok  bool
	err error
}

// checkDependency runs fn with the ready timeout and describes the outcome
// as "name: ok", "name: slow …" or "name: down …". It returns at the
// timeout even if fn does not (a dependency that ignores its context).
func (s *Server) checkDependency(ctx context.Context, name string, fn func(context.Context) error) (checkStatus, string) {
	if fn == nil {
		return checkStatus{ok: true}, name + ": not checked"
	}
	ctx, cancel := context.WithTimeout(ctx, s.ReadyTimeout)
	defer cancel()
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- fn(ctx) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	switch {
	case err == nil:
		return checkStatus{ok: true}, fmt.Sprintf("%s: ok (%d ms)", name, time.Since(start).Milliseconds())
	case ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded):
		s.Logger.WarnContext(ctx, "dependency slow", "dependency", name, "err", err)
		return checkStatus{err: err}, fmt.Sprintf("%s: slow: no answer within %s", name, s.ReadyTimeout)
	}
	s.Logger.WarnContext(ctx, "dependency down", "dependency", name, "err", err)
	what := "down"
	switch portal.ErrorReason(err) {
	case "database-read-only":
		what = "read-only"
	case "database-full":
		what = "full"
	}
	// The words for people never carry internal detail (i18n.ErrorText).
	return checkStatus{err: err}, fmt.Sprintf("%s: %s: %s", name, what, i18n.ErrorText(i18n.EN, err))
}

func writeHealth(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write([]byte(body + "\n"))
}
