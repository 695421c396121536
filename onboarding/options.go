package onboarding

import (
	"context"
	"fmt"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/policy"
)

// actionUserOptions is the audit action recording a user's non-default
// onboarding options (the options themselves are columns of the user).
const actionUserOptions = "user.options"

// userOptions are the advanced onboarding options of one user.
type userOptions struct {
	Path          string // "" or "/" means "/"
	ResetRequired bool
}

func (o userOptions) isDefault() bool { return (o.Path == "" || o.Path == "/") && !o.ResetRequired }

// detail renders the options as space-separated key=value fields (an IAM
// path has no spaces).
func (o userOptions) detail() portal.Text {
	path := o.Path
	if path == "" {
		path = "/"
	}
	reset := "false"
	if o.ResetRequired {
		reset = "true"
	}
	return portal.T("audit.user.options", path, reset)
}

// recordOptions audits u's options when they differ from the defaults.
func (s *Service) recordOptions(ctx context.Context, a Actor, u *portal.User, in portal.NewUser) {
	o := userOptions{Path: in.Path, ResetRequired: in.PasswordResetRequired}
	if !o.isDefault() {
		s.auditUser(ctx, a, actionUserOptions, u, o.detail())
	}
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
		return nil, fmt.Errorf("the configured policy document does not parse: %w", err)
	}
	mp, err := s.iam(ctx).GetPolicy(ctx, s.policyARN(ctx))
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
		for _, f := range policy.Lint(doc, policy.LintOptions{AccountID: s.account(ctx), Partition: s.cfg.Partition.ID, PasswordResetRequired: true}) {
			if f.ID == "password-reset-deadlock" {
				out = append(out, f)
			}
		}
	}
	return out, nil
}
