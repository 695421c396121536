package store

import (
	"context"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

// APIToken is an operator's named bearer token for the JSON API. Only the
// SHA-256 of the token is stored; the token acts with its operator's
// current role.
type APIToken struct {
	ID         int64
	OperatorID int64
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

const apiTokenCols = `id, operator_id, name, token_hash, created_at, last_used_at, revoked_at`

func scanAPIToken(row interface{ Scan(...any) error }) (*APIToken, error) {
	var t APIToken
	var created, used, revoked int64
	if err := row.Scan(&t.ID, &t.OperatorID, &t.Name, &t.TokenHash, &created, &used, &revoked); err != nil {
		return nil, fmt.Errorf("read API token: %w", err)
	}
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = fromMS(created), fromMS(used), fromMS(revoked)
	return &t, nil
}

// CreateAPIToken stores a new API token.
func (s *Store) CreateAPIToken(ctx context.Context, t *APIToken) error {
	return s.db.QueryRowContext(ctx, s.q(`INSERT INTO api_tokens (operator_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`),
		t.OperatorID, t.Name, t.TokenHash, ms(t.CreatedAt)).Scan(&t.ID)
}

// FindAPITokenByHash returns the token with that hash, revoked or not.
func (s *Store) FindAPITokenByHash(ctx context.Context, hash string) (*APIToken, error) {
	t, err := scanAPIToken(s.db.QueryRowContext(ctx, s.q(`SELECT `+apiTokenCols+` FROM api_tokens WHERE token_hash = ?`), hash))
	return t, notFound(err, "err.token.notfound")
}

// FindAPITokens returns an operator's tokens, newest first.
func (s *Store) FindAPITokens(ctx context.Context, operatorID int64) ([]*APIToken, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+apiTokenCols+` FROM api_tokens WHERE operator_id = ? ORDER BY id DESC`), operatorID)
	if err != nil {
		return nil, fmt.Errorf("find API tokens operator %d: %w", operatorID, err)
	}
	defer rows.Close()
	var out []*APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, fmt.Errorf("find API tokens operator %d: %w", operatorID, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes one of an operator's tokens.
func (s *Store) RevokeAPIToken(ctx context.Context, operatorID, id int64, at time.Time) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND operator_id = ? AND revoked_at = 0`), ms(at), id, operatorID)
	if err != nil {
		return fmt.Errorf("revoke API token operator %d: %w", operatorID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return portal.E(portal.ENOTFOUND, "err.token.nosuch")
	}
	return nil
}

// TouchAPIToken records a use of a token (at most once a minute is enough).
func (s *Store) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), ms(at), id)
	return wrapErr(err, "touch API token %d", id)
}
