package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

// API token kinds: what a token is for.
const (
	TokenKindAPI  = "api"  // the JSON API under /api/v1
	TokenKindSCIM = "scim" // the SCIM 2.0 endpoint under /scim/v2, and nothing else
)

// TokenKinds lists every token kind, the default first.
var TokenKinds = []string{TokenKindAPI, TokenKindSCIM}

// APIToken is an operator's named bearer token for the JSON API. Only the
// SHA-256 of the token is stored; the token acts with its operator's
// current role until it expires or is revoked.
type APIToken struct {
	ID         int64
	OperatorID int64
	// Operator is the operator's user name (filled by FindAllAPITokens).
	Operator   string
	Name       string
	Kind       string // TokenKindAPI or TokenKindSCIM
	TokenHash  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// Expired reports whether the token is past its expiry at now. A token
// without one (none is stored so) counts as expired.
func (t *APIToken) Expired(now time.Time) bool {
	return t.ExpiresAt.IsZero() || !now.Before(t.ExpiresAt)
}

const apiTokenCols = `t.id, t.operator_id, t.name, t.kind, t.token_hash, t.created_at, t.expires_at, t.last_used_at, t.revoked_at, o.username`

const apiTokenFrom = ` FROM api_tokens t JOIN operators o ON o.id = t.operator_id`

func scanAPIToken(row interface{ Scan(...any) error }) (*APIToken, error) {
	var t APIToken
	var created, expires, used, revoked int64
	if err := row.Scan(&t.ID, &t.OperatorID, &t.Name, &t.Kind, &t.TokenHash, &created, &expires, &used, &revoked, &t.Operator); err != nil {
		return nil, fmt.Errorf("read API token: %w", err)
	}
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = fromMS(created), fromMS(expires), fromMS(used), fromMS(revoked)
	return &t, nil
}

// CreateAPIToken stores a new API token.
func (s *Store) CreateAPIToken(ctx context.Context, t *APIToken) error {
	if t.Kind == "" {
		t.Kind = TokenKindAPI
	}
	return s.db.QueryRowContext(ctx, s.q(`INSERT INTO api_tokens (operator_id, name, kind, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
		t.OperatorID, t.Name, t.Kind, t.TokenHash, ms(t.CreatedAt), ms(t.ExpiresAt)).Scan(&t.ID)
}

// FindAPITokenByHash returns the token with that hash, revoked or not.
func (s *Store) FindAPITokenByHash(ctx context.Context, hash string) (*APIToken, error) {
	t, err := scanAPIToken(s.db.QueryRowContext(ctx, s.q(`SELECT `+apiTokenCols+apiTokenFrom+` WHERE t.token_hash = ?`), hash))
	return t, notFound(err, "err.token.notfound")
}

// FindAPITokens returns an operator's tokens, newest first.
func (s *Store) FindAPITokens(ctx context.Context, operatorID int64) ([]*APIToken, error) {
	out, err := s.findAPITokens(ctx, ` WHERE t.operator_id = ? ORDER BY t.id DESC`, operatorID)
	return out, wrapErr(err, "find API tokens operator %d", operatorID)
}

// FindAllAPITokens returns every operator's tokens, by operator name and
// then newest first, for admins.
func (s *Store) FindAllAPITokens(ctx context.Context) ([]*APIToken, error) {
	out, err := s.findAPITokens(ctx, ` ORDER BY o.username_key, t.id DESC`)
	return out, wrapErr(err, "find all API tokens")
}

func (s *Store) findAPITokens(ctx context.Context, where string, args ...any) ([]*APIToken, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+apiTokenCols+apiTokenFrom+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes an active token and returns it. With operatorID
// > 0 only a token of that operator is revoked (an operator's own page);
// with 0 any operator's (an admin's).
func (s *Store) RevokeAPIToken(ctx context.Context, operatorID, id int64, at time.Time) (*APIToken, error) {
	var t *APIToken
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND (operator_id = ? OR ? = 0) AND revoked_at = 0`),
			ms(at), id, operatorID, operatorID)
		if err != nil {
			return fmt.Errorf("revoke API token %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return portal.E(portal.ENOTFOUND, "err.token.nosuch")
		}
		t, err = scanAPIToken(tx.QueryRowContext(ctx, s.q(`SELECT `+apiTokenCols+apiTokenFrom+` WHERE t.id = ?`), id))
		return err
	})
	return t, err
}

// revokeOperatorTokens revokes every active token of an operator in tx and
// returns how many there were.
func (s *Store) revokeOperatorTokens(ctx context.Context, tx *sql.Tx, operatorID int64, at time.Time) (int, error) {
	res, err := tx.ExecContext(ctx, s.q(`UPDATE api_tokens SET revoked_at = ? WHERE operator_id = ? AND revoked_at = 0`), ms(at), operatorID)
	if err != nil {
		return 0, fmt.Errorf("revoke API tokens of operator %d: %w", operatorID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// TouchAPIToken records a use of a token (at most once a minute is enough).
func (s *Store) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), ms(at), id)
	return wrapErr(err, "touch API token %d", id)
}
