package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

func TestAttemptLimit(t *testing.T) {
	limit := portal.AttemptLimit{Max: 5, Window: 15 * time.Minute}
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t.Run("parallel attempts: exactly the limit get through", func(t *testing.T) {
			const n = 15
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for range n {
				wg.Go(func() { errs <- s.TakeAttempt(ctx, "operator:race", limit, t0) })
			}
			wg.Wait()
			close(errs)
			passed, refused := 0, 0
			for err := range errs {
				switch portal.ErrorCode(err) {
				case "":
					passed++
				case portal.ETOOMANY:
					refused++
				default:
					t.Fatalf("unexpected error: %v", err)
				}
			}
			if passed != limit.Max || refused != n-limit.Max {
				t.Fatalf("%d passed and %d refused, want %d and %d", passed, refused, limit.Max, n-limit.Max)
			}
		})
		t.Run("the refusal says when the oldest attempt leaves the window", func(t *testing.T) {
			for i := range limit.Max {
				if err := s.TakeAttempt(ctx, "operator:seq", limit, t0.Add(time.Duration(i)*time.Minute)); err != nil {
					t.Fatalf("attempt %d: %v", i+1, err)
				}
			}
			err := s.TakeAttempt(ctx, "operator:seq", limit, t0.Add(6*time.Minute))
			if got, want := portal.ErrorReason(err), t0.Add(15*time.Minute).Format(time.RFC3339); got != want {
				t.Fatalf("retry at %q (%v), want %q", got, err, want)
			}
			// The message counts the wait from the attempt's time: 9 minutes.
			var e *portal.Error
			if !errors.As(err, &e) || len(e.Args) != 1 || e.Args[0] != 9 {
				t.Fatalf("refusal %v, want a wait of 9 minutes", err)
			}
			if err := s.TakeAttempt(ctx, "operator:seq", limit, t0.Add(15*time.Minute)); err != nil {
				t.Fatalf("once the first attempt left the window: %v", err)
			}
			if err := s.TakeAttempt(ctx, "operator:seq", limit, t0.Add(15*time.Minute+time.Second)); portal.ErrorCode(err) != portal.ETOOMANY {
				t.Fatalf("a refused attempt freed a place: %v", err)
			}
		})
		t.Run("subjects are counted apart", func(t *testing.T) {
			if err := s.TakeAttempt(ctx, "invite:1", limit, t0); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("a success clears its subject and what left the window", func(t *testing.T) {
			if err := s.ClearAttempts(ctx, "operator:race", t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := s.TakeAttempt(ctx, "operator:race", limit, t0.Add(time.Minute)); err != nil {
				t.Fatalf("after clearing: %v", err)
			}
			var n int
			if err := s.DB().QueryRow(`SELECT COUNT(*) FROM attempt_subjects`).Scan(&n); err != nil || n != 1 {
				t.Fatalf("%d subject rows left (%v), want only operator:race's", n, err)
			}
		})
	})
}
