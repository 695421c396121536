package store

import (
	"context"
	"fmt"
	"time"
)

// RevokeInvites revokes every unclaimed, unrevoked invite of a user and
// returns how many there were.
func (s *Store) RevokeInvites(ctx context.Context, userID int64, now time.Time) (int, error) {
	return s.revokeInvites(ctx, s.db, userID, now)
}

func (s *Store) revokeInvites(ctx context.Context, ex execer, userID int64, now time.Time) (int, error) {
	res, err := ex.ExecContext(ctx, s.q(`UPDATE invites SET revoked_at = ? WHERE user_id = ? AND claimed_at = 0 AND revoked_at = 0`), ms(now), userID)
	if err != nil {
		return 0, fmt.Errorf("revoke invites user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// ActivePendingSerials returns the virtual MFA devices that an unexpired
// setup session is about to enable: not abandoned, so not to be cleaned up.
func (s *Store) ActivePendingSerials(ctx context.Context, now time.Time) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT pending_serial FROM claim_sessions WHERE pending_serial <> '' AND expires_at > ?`), ms(now))
	if err != nil {
		return nil, fmt.Errorf("active pending serials: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var serial string
		if err := rows.Scan(&serial); err != nil {
			return nil, fmt.Errorf("active pending serials: %w", err)
		}
		out[serial] = true
	}
	return out, rows.Err()
}
