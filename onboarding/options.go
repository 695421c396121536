package onboarding

import (
	"context"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/policy"
)

// actionUserOptions is the audit action recording a user's non-default
// onboarding options. The event is also where later steps read them back
// (CreateUser on a resumed saga, CreateLoginProfile at claim time), so no
// schema change is needed for two rarely used, discouraged options.
const actionUserOptions = "user.options"

// userOptions are the advanced onboarding options of one user.
type userOptions struct {
	Path          string // "" or "/" means "/"
	ResetRequired bool
}

func (o userOptions) isDefault() bool { return (o.Path == "" || o.Path == "/") && !o.ResetRequired }

// detail renders the options as space-separated key=value fields (an IAM
// path has no spaces).
func (o userOptions) detail() string {
	path := o.Path
	if path == "" {
		path = "/"
	}
	reset := "false"
	if o.ResetRequired {
		reset = "true"
	}
	return "non-default options: path=" + path + " password-reset-required=" + reset
}

// recordOptions audits u's options when they differ from the defaults.
func (s *Service) recordOptions(ctx context.Context, a Actor, u *portal.User, in portal.NewUser) {
	o := userOptions{Path: in.Path, ResetRequired: in.PasswordResetRequired}
	if !o.isDefault() {
		s.audit(ctx, a, actionUserOptions, u.UserName, o.detail())
	}
}

// optionsOf reads u's options back from the audit log: the newest event
// for this name recorded since this user record was created.
func (s *Service) optionsOf(ctx context.Context, u *portal.User) (userOptions, error) {
	evs, err := s.cfg.Store.FindAuditEvents(ctx, portal.AuditFilter{Target: u.UserName, Action: actionUserOptions, Limit: 1})
	// The store keeps milliseconds; the in-memory record may have more.
	if err != nil || len(evs) == 0 || evs[0].At.Before(u.CreatedAt.Truncate(time.Millisecond)) {
		return userOptions{}, err
	}
	var o userOptions
	for _, f := range strings.Fields(evs[0].Detail) {
		if v, ok := strings.CutPrefix(f, "path="); ok {
			o.Path = v
		}
		if v, ok := strings.CutPrefix(f, "password-reset-required="); ok {
			o.ResetRequired = v == "true"
		}
	}
	return o, nil
}

// OptionWarnings returns the lint findings the onboarding form must show
// before creating a user at path or with a forced password reset: the
// user-path-not-covered and password-reset-deadlock traps, judged against
// the live managed policy (the configured document when it does not exist
// yet or cannot be read).
func (s *Service) OptionWarnings(ctx context.Context, path string, resetRequired bool) ([]policy.Finding, error) {
	if (userOptions{Path: path, ResetRequired: resetRequired}).isDefault() {
		return nil, nil
	}
	doc, err := policy.Parse(s.cfg.PolicyDocument)
	if err != nil {
		return nil, portal.Errorf(portal.EINTERNAL, "The configured policy document does not parse: %s", err)
	}
	mp, err := s.cfg.IAM.GetPolicy(ctx, awsiam.PolicyARN(s.cfg.Account, s.cfg.PolicyName))
	switch {
	case err == nil:
		if live, perr := policy.Parse(mp.Document); perr == nil {
			doc = live
		}
	case portal.ErrorReason(err) != awsiam.CodeNoSuchEntity:
		return nil, err
	}
	var out []policy.Finding
	if path != "" && path != "/" {
		for _, f := range policy.CheckPath(doc, path) {
			if f.ID != "path-invalid" { // an invalid path is a field error (NewUser.Validate)
				out = append(out, f)
			}
		}
	}
	if resetRequired {
		for _, f := range policy.Lint(doc, policy.LintOptions{AccountID: s.cfg.Account, PasswordResetRequired: true}) {
			if f.ID == "password-reset-deadlock" {
				out = append(out, f)
			}
		}
	}
	return out, nil
}
