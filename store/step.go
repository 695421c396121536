package store

import (
	"context"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

// Step status values of the onboarding saga.
const (
	StepStarted = "started"
	StepDone    = "done"
)

// Step is the recorded state of one onboarding saga step for one user.
type Step struct {
	Name     string
	Status   string // StepStarted or StepDone
	Attempts int
	// LastErrorText is why the last attempt failed; LastError is the same
	// as a sentence, in steps recorded before LastErrorText.
	LastErrorText portal.Text
	LastError     string
	UpdatedAt     time.Time
}

// FindSteps returns the recorded saga steps of a user by name.
func (s *Store) FindSteps(ctx context.Context, userID int64) (map[string]Step, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT step, status, attempts, last_error, last_error_text, updated_at FROM onboarding_steps WHERE user_id = ?`), userID)
	if err != nil {
		return nil, fmt.Errorf("find steps user %d: %w", userID, err)
	}
	defer rows.Close()
	out := map[string]Step{}
	for rows.Next() {
		var st Step
		var updated int64
		if err := rows.Scan(&st.Name, &st.Status, &st.Attempts, &st.LastError, textCol{&st.LastErrorText}, &updated); err != nil {
			return nil, fmt.Errorf("find steps user %d: %w", userID, err)
		}
		st.UpdatedAt = fromMS(updated)
		out[st.Name] = st
	}
	return out, rows.Err()
}

// StartStep records that a step is about to run (one more attempt).
func (s *Store) StartStep(ctx context.Context, userID int64, step string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO onboarding_steps (user_id, step, status, attempts, last_error, updated_at)
		VALUES (?, ?, ?, 1, '', ?)
		ON CONFLICT (user_id, step) DO UPDATE SET status = ?, attempts = onboarding_steps.attempts + 1, updated_at = ?`),
		userID, step, StepStarted, ms(now), StepStarted, ms(now))
	return wrapErr(err, "start step user %d", userID)
}

// FinishStep records that a step succeeded.
func (s *Store) FinishStep(ctx context.Context, userID int64, step string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE onboarding_steps SET status = ?, last_error = '', last_error_text = '', updated_at = ? WHERE user_id = ? AND step = ?`),
		StepDone, ms(now), userID, step)
	return wrapErr(err, "finish step user %d", userID)
}

// FailStep records why a started step failed; it stays "started" so the
// next run knows it may have had an effect in IAM.
func (s *Store) FailStep(ctx context.Context, userID int64, step string, why portal.Text, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE onboarding_steps SET last_error = '', last_error_text = ?, updated_at = ? WHERE user_id = ? AND step = ?`),
		portal.EncodeText(why), ms(now), userID, step)
	return wrapErr(err, "fail step user %d", userID)
}
