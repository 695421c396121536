package auth

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// APITokenPrefix starts every API token, so that a leaked one is easy to
// recognise (and to find with secret scanners).
const APITokenPrefix = "gh_"

// CreateAPIToken issues a named bearer token for c.Operator and returns
// it: the only time it exists outside the caller, since only its hash is
// stored.
func (s *Service) CreateAPIToken(ctx context.Context, c Caller, name string) (string, *store.APIToken, error) {
	op := c.Operator
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 64 {
		return "", nil, portal.FieldE("name", "err.token.name")
	}
	if !portal.Printable(name) {
		return "", nil, portal.FieldE("name", "err.name.hidden")
	}
	raw, _ := portal.NewToken()
	token := APITokenPrefix + raw
	t := &store.APIToken{OperatorID: op.ID, Name: name, TokenHash: portal.HashToken(token), CreatedAt: s.cfg.Now()}
	if err := s.cfg.Store.CreateAPIToken(ctx, t); err != nil {
		return "", nil, err
	}
	s.audit(ctx, c, "apitoken.create", portal.TargetToken, strconv.FormatInt(t.ID, 10), portal.T("audit.apitoken.create", t.Name))
	return token, t, nil
}

// RevokeAPIToken revokes one of c.Operator's tokens.
func (s *Service) RevokeAPIToken(ctx context.Context, c Caller, id int64) error {
	if err := s.cfg.Store.RevokeAPIToken(ctx, c.Operator.ID, id, s.cfg.Now()); err != nil {
		return err
	}
	s.audit(ctx, c, "apitoken.revoke", portal.TargetToken, strconv.FormatInt(id, 10), portal.T("audit.apitoken.revoke", id))
	return nil
}

// AuthenticateToken returns the operator behind a bearer token. The token
// acts with the operator's role as it is now, so demoting or disabling the
// operator limits their tokens at once.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (*portal.Operator, error) {
	errBad := portal.E(portal.EUNAUTHORIZED, "err.token.bad")
	if !strings.HasPrefix(token, APITokenPrefix) {
		return nil, errBad
	}
	t, err := s.cfg.Store.FindAPITokenByHash(ctx, portal.HashToken(token))
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, errBad
	} else if err != nil {
		return nil, err
	}
	if !t.RevokedAt.IsZero() {
		return nil, errBad
	}
	op, err := s.cfg.Store.FindOperatorByID(ctx, t.OperatorID)
	if err != nil {
		return nil, err
	}
	if !op.DisabledAt.IsZero() {
		return nil, portal.E(portal.EUNAUTHORIZED, "err.operator.disabled")
	}
	if now := s.cfg.Now(); now.Sub(t.LastUsedAt) > time.Minute {
		if err := s.cfg.Store.TouchAPIToken(ctx, t.ID, now); err != nil {
			s.log.WarnContext(ctx, "touch API token", "err", err)
		}
	}
	return op, nil
}
