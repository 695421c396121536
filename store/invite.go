package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

const inviteCols = `id, user_id, token_hash, created_at, expires_at, claimed_at, revoked_at, credentials_at`

func scanInvite(row interface{ Scan(...any) error }) (*portal.Invite, error) {
	var inv portal.Invite
	var created, expires, claimed, revoked, creds int64
	if err := row.Scan(&inv.ID, &inv.UserID, &inv.TokenHash, &created, &expires, &claimed, &revoked, &creds); err != nil {
		return nil, fmt.Errorf("read invite: %w", err)
	}
	inv.CreatedAt, inv.ExpiresAt, inv.ClaimedAt, inv.RevokedAt = fromMS(created), fromMS(expires), fromMS(claimed), fromMS(revoked)
	inv.CredentialsAt = fromMS(creds)
	return &inv, nil
}

// FindInviteByHash returns the invite whose token hashes to hash, and its
// user.
func (s *Store) FindInviteByHash(ctx context.Context, hash string) (*portal.Invite, *portal.User, error) {
	inv, err := scanInvite(s.db.QueryRowContext(ctx, s.q(`SELECT `+inviteCols+` FROM invites WHERE token_hash = ?`), hash))
	if err != nil {
		return nil, nil, notFound(err, "err.invite.invalid")
	}
	u, err := s.FindUserByID(ctx, inv.UserID)
	if err != nil {
		return nil, nil, err
	}
	return inv, u, nil
}

// FindLatestInvite returns the newest invite of a user.
func (s *Store) FindLatestInvite(ctx context.Context, userID int64) (*portal.Invite, error) {
	inv, err := scanInvite(s.db.QueryRowContext(ctx, s.q(`SELECT `+inviteCols+` FROM invites WHERE user_id = ? ORDER BY id DESC LIMIT 1`), userID))
	return inv, notFound(err, "err.invite.none")
}

// ClaimInvite marks the invite claimed and opens the claim session, in one
// transaction. Only one caller can win: a second claim, a revoked or an
// expired invite fails with EGONE. The session's ID comes from the browser
// (its claim cookie): an older session under the same ID, left from an
// earlier invite in that browser, is replaced.
func (s *Store) ClaimInvite(ctx context.Context, inv *portal.Invite, cs *portal.ClaimSession) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE invites SET claimed_at = ? WHERE id = ? AND claimed_at = 0 AND revoked_at = 0 AND expires_at > ?`),
			ms(cs.CreatedAt), inv.ID, ms(cs.CreatedAt))
		if err != nil {
			return fmt.Errorf("claim invite: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return portal.E(portal.EGONE, "err.invite.gone")
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM claim_sessions WHERE id_hash = ?`), cs.IDHash); err != nil {
			return fmt.Errorf("claim invite: %w", err)
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO claim_sessions (id_hash, user_id, invite_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
			cs.IDHash, cs.UserID, cs.InviteID, ms(cs.CreatedAt), ms(cs.ExpiresAt))
		return wrapErr(err, "claim invite")
	})
}

// ReleaseClaim undoes a claim whose follow-up failed (the console password
// could not be created), so the person can use the same link again.
func (s *Store) ReleaseClaim(ctx context.Context, inv *portal.Invite, csHash string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM claim_sessions WHERE id_hash = ?`), csHash); err != nil {
			return fmt.Errorf("release claim: %w", err)
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE invites SET claimed_at = 0 WHERE id = ?`), inv.ID)
		return wrapErr(err, "release claim")
	})
}

// FindClaimSession returns an unexpired claim session by the hash of its
// ID, with how far its claim got (the invite's credentials_at).
func (s *Store) FindClaimSession(ctx context.Context, idHash string, now time.Time) (*portal.ClaimSession, error) {
	var cs portal.ClaimSession
	var created, expires, creds, saved int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT c.id_hash, c.user_id, c.invite_id, c.created_at, c.expires_at, c.pending_serial, i.credentials_at, c.saved_at
		FROM claim_sessions c JOIN invites i ON i.id = c.invite_id WHERE c.id_hash = ?`), idHash).
		Scan(&cs.IDHash, &cs.UserID, &cs.InviteID, &created, &expires, &cs.PendingSerial, &creds, &saved)
	if err != nil {
		return nil, notFound(err, "err.claim.ended.reopen")
	}
	cs.CreatedAt, cs.ExpiresAt, cs.PasswordAt, cs.SavedAt = fromMS(created), fromMS(expires), fromMS(creds), fromMS(saved)
	if now.After(cs.ExpiresAt) {
		return nil, portal.E(portal.ENOTFOUND, "err.claim.ended")
	}
	return &cs, nil
}

// RecordPassword records that the claim session's console password was set
// in IAM at: the first time, the invite's claim is complete and a user still
// "invited" becomes "claimed". The person has not confirmed saving this
// password yet.
func (s *Store) RecordPassword(ctx context.Context, cs *portal.ClaimSession, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE invites SET credentials_at = ? WHERE id = ? AND credentials_at = 0`), ms(at), cs.InviteID); err != nil {
			return fmt.Errorf("record password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE claim_sessions SET saved_at = 0 WHERE id_hash = ?`), cs.IDHash); err != nil {
			return fmt.Errorf("record password: %w", err)
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE users SET state = ?, updated_at = ? WHERE id = ? AND state IN (?, ?)`),
			string(portal.StateClaimed), ms(at), cs.UserID, string(portal.StateInvited), string(portal.StateProvisioning))
		return wrapErr(err, "record password")
	})
}

// SetPasswordSaved records that the person confirmed having saved the
// console password shown last.
func (s *Store) SetPasswordSaved(ctx context.Context, idHash string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE claim_sessions SET saved_at = ? WHERE id_hash = ?`), ms(at), idHash)
	return wrapErr(err, "set password saved")
}
