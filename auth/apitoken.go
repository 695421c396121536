package auth

import (
	"context"
	"slices"
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

// Token lifetimes in days: the default offered, and the longest allowed.
const (
	TokenDaysDefault = 30
	TokenDaysMax     = 90
)

// TokenRequest is what an operator asks for when minting an API token.
// Password and Code re-prove who they are: a stolen session alone cannot
// mint a long-lived credential.
type TokenRequest struct {
	Name string
	// Days is the lifetime, 1 to TokenDaysMax (ParseTokenDays).
	Days int
	// Kind is store.TokenKindAPI (when empty) or store.TokenKindSCIM.
	Kind     string
	Password string
	Code     string
}

// ParseTokenDays reads the lifetime field of the token form: empty is
// TokenDaysDefault; otherwise a whole number of days from 1 to
// TokenDaysMax.
func ParseTokenDays(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return TokenDaysDefault, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > TokenDaysMax {
		return 0, portal.FieldE("expires_in_days", "err.token.days", TokenDaysMax)
	}
	return n, nil
}

// CreateAPIToken issues a named bearer token for c.Operator, after
// checking their password and a fresh TOTP code, and returns it: the only
// time it exists outside the caller, since only its hash is stored.
func (s *Service) CreateAPIToken(ctx context.Context, c Caller, req TokenRequest) (string, *store.APIToken, error) {
	op := c.Operator
	name := strings.TrimSpace(req.Name)
	if name == "" || utf8.RuneCountInString(name) > 64 {
		return "", nil, portal.FieldE("name", "err.token.name")
	}
	if !portal.Printable(name) {
		return "", nil, portal.FieldE("name", "err.name.hidden")
	}
	if req.Days < 1 || req.Days > TokenDaysMax {
		return "", nil, portal.FieldE("expires_in_days", "err.token.days", TokenDaysMax)
	}
	kind := req.Kind
	if kind == "" {
		kind = store.TokenKindAPI
	}
	if !slices.Contains(store.TokenKinds, kind) {
		return "", nil, portal.FieldE("kind", "err.token.kind")
	}
	if err := s.reauthenticate(ctx, op, req.Password, req.Code); err != nil {
		return "", nil, err
	}
	raw, _ := portal.NewToken()
	token := APITokenPrefix + raw
	now := s.cfg.Now()
	t := &store.APIToken{OperatorID: op.ID, Operator: op.Username, Name: name, Kind: kind, TokenHash: portal.HashToken(token),
		CreatedAt: now, ExpiresAt: now.Add(time.Duration(req.Days) * 24 * time.Hour)}
	if err := s.cfg.Store.CreateAPIToken(ctx, t); err != nil {
		return "", nil, err
	}
	s.audit(ctx, c, "apitoken.create", portal.TargetToken, strconv.FormatInt(t.ID, 10),
		portal.T("audit.apitoken.create.expiry", t.Name, t.Kind, t.ExpiresAt.Format(time.DateOnly)))
	return token, t, nil
}

// reauthenticate checks an operator's password and a fresh TOTP code
// before a sensitive change. The guess counts against the same limit as
// sign-in, and the answer does not say which part was wrong.
func (s *Service) reauthenticate(ctx context.Context, op *portal.Operator, password, code string) error {
	subject := "operator:" + portal.UserNameKey(op.Username)
	if err := s.attempt(ctx, subject); err != nil {
		return err
	}
	errReauth := portal.FieldE("password", "err.reauth.failed")
	ok, err := s.hash.compare(ctx, password, op.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return errReauth
	}
	if err := s.checkCode(ctx, op, code); err == errSignIn {
		return errReauth
	} else if err != nil {
		return err
	}
	s.succeeded(ctx, subject)
	return nil
}

// RevokeAPIToken revokes one of c.Operator's tokens.
func (s *Service) RevokeAPIToken(ctx context.Context, c Caller, id int64) error {
	t, err := s.cfg.Store.RevokeAPIToken(ctx, c.Operator.ID, id, s.cfg.Now())
	if err != nil {
		return err
	}
	s.audit(ctx, c, "apitoken.revoke", portal.TargetToken, strconv.FormatInt(id, 10), portal.T("audit.apitoken.revoke.named", t.Name, t.Operator))
	return nil
}

// RevokeAnyAPIToken revokes any operator's token (an admin's action; the
// route admits only admins).
func (s *Service) RevokeAnyAPIToken(ctx context.Context, c Caller, id int64) error {
	t, err := s.cfg.Store.RevokeAPIToken(ctx, 0, id, s.cfg.Now())
	if err != nil {
		return err
	}
	s.audit(ctx, c, "apitoken.revoke", portal.TargetToken, strconv.FormatInt(id, 10), portal.T("audit.apitoken.revoke.named", t.Name, t.Operator))
	return nil
}

// auditTokensRevoked records that a sign-out everywhere or an
// authenticator reset revoked n of operator's tokens.
func (s *Service) auditTokensRevoked(ctx context.Context, c Caller, operator string, n int) {
	if n > 0 {
		s.audit(ctx, c, "apitoken.revoke.all", portal.TargetOperator, operator, portal.T("audit.apitoken.revoke.all", n))
	}
}

// AuthenticateToken returns the operator behind a bearer token. The token
// acts with the operator's role as it is now, so demoting or disabling the
// operator limits their tokens at once. A token past its expiry, revoked,
// or not of kind api is refused.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (*portal.Operator, error) {
	op, _, err := s.AuthenticateTokenOf(ctx, token, store.TokenKindAPI)
	return op, err
}

// AuthenticateTokenOf returns the operator behind a bearer token of the
// given kind, and the token (its name says who uses it: the SCIM endpoint
// names the identity provider so). A token of another kind is refused: an
// api token does not drive SCIM, a scim token does not drive the JSON API.
func (s *Service) AuthenticateTokenOf(ctx context.Context, token, kind string) (*portal.Operator, *store.APIToken, error) {
	errBad := portal.E(portal.EUNAUTHORIZED, "err.token.bad")
	if !strings.HasPrefix(token, APITokenPrefix) {
		return nil, nil, errBad
	}
	t, err := s.cfg.Store.FindAPITokenByHash(ctx, portal.HashToken(token))
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, nil, errBad
	} else if err != nil {
		return nil, nil, err
	}
	now := s.cfg.Now()
	switch {
	case !t.RevokedAt.IsZero():
		return nil, nil, errBad
	case t.Expired(now):
		return nil, nil, portal.E(portal.EUNAUTHORIZED, "err.token.expired")
	case t.Kind != kind && kind == store.TokenKindSCIM:
		return nil, nil, portal.E(portal.EUNAUTHORIZED, "err.token.notscim")
	case t.Kind != kind:
		return nil, nil, portal.E(portal.EUNAUTHORIZED, "err.token.notapi")
	}
	op, err := s.cfg.Store.FindOperatorByID(ctx, t.OperatorID)
	if err != nil {
		return nil, nil, err
	}
	if !op.DisabledAt.IsZero() {
		return nil, nil, portal.E(portal.EUNAUTHORIZED, "err.operator.disabled")
	}
	if now.Sub(t.LastUsedAt) > time.Minute {
		if err := s.cfg.Store.TouchAPIToken(ctx, t.ID, now); err != nil {
			s.log.WarnContext(ctx, "touch API token", "err", err)
		}
	}
	return op, t, nil
}
