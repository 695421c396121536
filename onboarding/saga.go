package onboarding

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
)

// Saga steps, in order. Each is recorded as started before it runs and done
// after it succeeded, so a retry or a restart continues where the last run
// stopped instead of creating anything twice.
const (
	StepPolicy = "ensure_policy"
	StepUser   = "create_user"
	StepAttach = "attach_policy"
	StepInvite = "create_invite"
)

// Steps lists the saga steps in the order they run.
var Steps = []string{StepPolicy, StepUser, StepAttach, StepInvite}

// ManagedTag marks IAM users created by Gatehouse.
const ManagedTagKey, ManagedTagValue = "managed-by", "gatehouse"

// Handoff is what the admin hands to the new user. InviteURLToken is the raw
// invite token: it exists only in this value and is shown once.
type Handoff struct {
	User        *portal.User
	InviteToken string
	InviteURL   string // the invite link, built from the configured base URL
	InviteUntil time.Time
	SigninURL   string
	PolicyDrift bool
	// EmailQueued says the invite link was also queued for e-mail to the
	// user (e-mail configured and an address given).
	EmailQueued bool
}

// Onboard records a new managed user and runs the onboarding saga for it.
// Input errors come back as field errors with nothing kept. If IAM fails
// half-way, the user stays "provisioning" with its progress recorded, and the
// error comes back with a Handoff that holds only that User (the caller shows
// its progress); Resume continues from there.
func (s *Service) Onboard(ctx context.Context, a Actor, in portal.NewUser) (*Handoff, error) {
	now := s.cfg.Now()
	if err := in.Validate(now); err != nil {
		return nil, err
	}
	if in.Deadline.IsZero() {
		in.Deadline = now.Add(s.cfg.DefaultDeadline)
	}
	ctx, err := s.scope(ctx, in.Account)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, portal.FieldE("account", "err.account.choose").Wrap(err)
	} else if err != nil {
		return nil, err
	}
	u := &portal.User{AccountID: s.account(ctx), UserName: in.UserName, DisplayName: in.DisplayName, Email: in.Email, State: portal.StateProvisioning,
		Deadline: in.Deadline, CreatedBy: a.Name, CreatedAt: now, UpdatedAt: now, Path: in.Path, PasswordResetRequired: in.PasswordResetRequired}
	if err := s.cfg.Store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	if in.Lang != "" { // before the saga: the invite e-mail is written in it
		if err := s.cfg.Store.SetUserLang(ctx, u.ID, in.Lang); err != nil {
			s.log.WarnContext(ctx, "user language not saved", "user", u.UserName, "err", err)
		}
	}
	s.recordOptions(ctx, a, u, in)
	h, err := s.run(ctx, a, u)
	if refused(err) && s.nothingCreated(ctx, u) {
		// IAM refused the user itself (name taken outside Gatehouse, or
		// invalid): nothing exists to resume, so the record goes too and the
		// admin just sees the form again with the reason.
		if derr := s.cfg.Store.DeleteUser(ctx, u.ID); derr != nil {
			s.log.ErrorContext(ctx, "undo user record", "user", u.UserName, "err", derr)
		}
		if portal.ErrorReason(err) == awsiam.CodeEntityAlreadyExists {
			return nil, portal.FieldE("user_name", "err.iam.user.exists", in.UserName).Wrap(err)
		}
		return nil, portal.FieldE("user_name", "err.iam.user.refused", portal.ErrorTextOf(err)).Wrap(err)
	}
	if Unreachable(err) && s.notCreated(ctx, u) {
		// The account's role could not be assumed, so no call reached IAM
		// there: nothing to resume, the admin sees the form with the reason.
		s.markUnreachable(ctx, u.AccountID, err)
		if derr := s.cfg.Store.DeleteUser(ctx, u.ID); derr != nil {
			s.log.ErrorContext(ctx, "undo user record", "user", u.UserName, "err", derr)
		}
		return nil, portal.FieldE("account", "err.account.unreachable", portal.ErrorTextOf(err)).Wrap(err)
	}
	if err != nil {
		// The saga stopped half-way: the record stays, with its progress.
		return &Handoff{User: u}, err
	}
	s.auditUser(ctx, a, "user.onboard", u, portal.T("audit.onboard"))
	return h, nil
}

// notCreated reports whether the IAM user of u was never created (its
// create_user step not done).
func (s *Service) notCreated(ctx context.Context, u *portal.User) bool {
	steps, err := s.cfg.Store.FindSteps(ctx, u.ID)
	return err == nil && steps[StepUser].Status != store.StepDone
}

// refused reports whether IAM definitively refused the request (as opposed
// to failing in a way that may have had an effect, like a timeout).
func refused(err error) bool {
	return portal.ErrorReason(err) == awsiam.CodeEntityAlreadyExists || portal.ErrorCode(err) == portal.EINVALID
}

// nothingCreated reports whether the saga of u failed at its first and only
// CreateUser: the refusal is about the user (its name), and nothing exists
// to resume. A failure before it (the managed policy) is not the user's.
func (s *Service) nothingCreated(ctx context.Context, u *portal.User) bool {
	steps, err := s.cfg.Store.FindSteps(ctx, u.ID)
	return err == nil && steps[StepUser].Status != store.StepDone && steps[StepUser].Attempts == 1
}

// Resume continues an unfinished onboarding saga.
func (s *Service) Resume(ctx context.Context, a Actor, userName string) (*Handoff, error) {
	ctx, u, err := s.findUser(ctx, userName)
	if err != nil {
		return nil, err
	}
	if u.State != portal.StateProvisioning {
		return nil, portal.E(portal.ECONFLICT, "err.onboard.complete", u.UserName)
	}
	h, err := s.run(ctx, a, u)
	if err == nil {
		s.auditUser(ctx, a, "user.onboard", u, portal.T("audit.onboard.resumed"))
	}
	return h, err
}

// run executes the saga steps that are not done yet, holding the saga's
// lease (sagaHold) so that no other run works on it at the same time.
func (s *Service) run(ctx context.Context, a Actor, u *portal.User) (*Handoff, error) {
	ctx, err := s.scope(ctx, u.AccountID)
	if err != nil {
		return nil, err
	}
	hold, err := s.holdSaga(ctx, a, u)
	if err != nil {
		return nil, err
	}
	defer hold.release()
	steps, err := s.cfg.Store.FindSteps(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	h := &Handoff{User: u, SigninURL: s.SigninURL(ctx)}
	for _, step := range Steps {
		rec := steps[step]
		if rec.Status == store.StepDone {
			continue
		}
		if err := hold.renew(ctx); err != nil {
			return nil, err
		}
		if err := s.cfg.Store.StartStep(ctx, u.ID, step, s.cfg.Now()); err != nil {
			return nil, err
		}
		var err error
		switch step {
		case StepPolicy:
			h.PolicyDrift, err = s.ensurePolicy(ctx)
			if err == nil && h.PolicyDrift {
				s.auditKind(ctx, a, portal.TargetPolicy, "policy.drift", s.cfg.PolicyName, portal.T("audit.policy.drift"))
			}
		case StepUser:
			err = s.createUser(ctx, u)
		case StepAttach:
			err = s.iam(ctx).AttachUserPolicy(ctx, u.UserName, s.policyARN(ctx))
		case StepInvite:
			h.InviteToken, h.InviteUntil, err = s.issueInvite(ctx, u)
			h.InviteURL = s.cfg.Links.Invite(h.InviteToken)
		}
		// The outcome is recorded on a lasting context: IAM may have acted
		// even when the request ended (the client went away, the page
		// budget ran out), and the record is what the next run trusts.
		rctx, cancel := lasting(ctx)
		if err != nil {
			if ferr := s.cfg.Store.FailStep(rctx, u.ID, step, portal.ErrorTextOf(err), s.cfg.Now()); ferr != nil {
				s.log.ErrorContext(ctx, "record failed step", "step", step, "err", ferr)
			}
			cancel()
			s.log.WarnContext(ctx, "onboarding step failed", "user", u.UserName, "step", step, "err", err)
			return nil, fmt.Errorf("onboarding step %s: %w", step, err)
		}
		err = s.cfg.Store.FinishStep(rctx, u.ID, step, s.cfg.Now())
		cancel()
		if err != nil {
			return nil, err
		}
		if step == StepInvite {
			// The service sends the invite itself, whoever runs the saga
			// (the form, the API, a bulk job, an automatic resume).
			h.EmailQueued = s.notifyUser(ctx, u, NoticeInvite, h.InviteURL)
		}
	}
	return h, nil
}

// createUser creates the IAM user and records its ARN and UserId.
//
// EntityAlreadyExists does not always mean the name is taken: our own
// CreateUser may have succeeded with its answer lost — the SDK retried it
// after a dropped connection, or an earlier run of this step timed out or
// crashed. So the user is looked up, and it is ours when it carries our tag,
// no other record claims its UserId, and IAM created it after this record
// was (within clock skew); anything else is somebody else's user.
func (s *Service) createUser(ctx context.Context, u *portal.User) error {
	iu, err := s.iam(ctx).CreateUserAt(ctx, u.UserName, u.Path, map[string]string{ManagedTagKey: ManagedTagValue})
	if portal.ErrorReason(err) == awsiam.CodeEntityAlreadyExists {
		iu, err = s.ownEarlierCreate(ctx, u, err)
	}
	if err != nil {
		return err
	}
	rctx, cancel := lasting(ctx)
	defer cancel()
	now := s.cfg.Now()
	if err := s.cfg.Store.RecordIAMUser(rctx, u.ID, iu.ARN, iu.ID, now); err != nil {
		return err
	}
	u.ARN, u.IAMUserID, u.UpdatedAt = iu.ARN, iu.ID, now.UTC().Truncate(time.Millisecond)
	return nil
}

// clockSkew bounds how far IAM's clock and ours may disagree when comparing
// a user's CreateDate with the record's creation (SigV4 allows 15 minutes).
const clockSkew = 15 * time.Minute

// ownEarlierCreate returns the IAM user named u.UserName when it is the one
// an earlier CreateUser of this saga made (see createUser), or exists, the
// EntityAlreadyExists error, otherwise.
func (s *Service) ownEarlierCreate(ctx context.Context, u *portal.User, exists error) (awsiam.User, error) {
	iu, err := s.iam(ctx).WaitUser(ctx, u.UserName)
	if err != nil {
		return awsiam.User{}, err
	}
	other, err := s.claimedBy(ctx, iu.ID, u.ID)
	switch {
	case err != nil:
		return awsiam.User{}, err
	case iu.Tags[ManagedTagKey] != ManagedTagValue, other != "", iu.CreatedAt.Before(u.CreatedAt.Add(-clockSkew)):
		return awsiam.User{}, exists
	}
	s.log.InfoContext(ctx, "CreateUser answered EntityAlreadyExists for the user this saga created (its first answer was lost)",
		"user", u.UserName, "iam_user_id", iu.ID)
	return iu, nil
}

// issueInvite creates a new invite and revokes older ones.
func (s *Service) issueInvite(ctx context.Context, u *portal.User) (string, time.Time, error) {
	token, hash := portal.NewToken()
	now := s.cfg.Now()
	inv := &portal.Invite{UserID: u.ID, TokenHash: hash, CreatedAt: now, ExpiresAt: now.Add(s.cfg.InviteTTL)}
	if err := s.cfg.Store.IssueInvite(ctx, inv); err != nil {
		return "", time.Time{}, err
	}
	if u.State == portal.StateProvisioning { // as IssueInvite recorded it
		u.State, u.UpdatedAt = portal.StateInvited, now.UTC().Truncate(time.Millisecond)
	}
	return token, inv.ExpiresAt, nil
}

// Progress returns the recorded saga steps of a user, in order, for the
// user page of an unfinished onboarding.
func (s *Service) Progress(ctx context.Context, u *portal.User) ([]store.Step, error) {
	rec, err := s.cfg.Store.FindSteps(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := make([]store.Step, 0, len(Steps))
	for _, name := range Steps {
		st := rec[name]
		st.Name = name
		out = append(out, st)
	}
	return out, nil
}

// ReasonSagaRunning is the portal.Error reason of a run refused because
// another run of the same saga holds its lease.
const ReasonSagaRunning = "saga-running"

// sagaHold is one run's lease on a saga (store leases, named after the
// user's record). Two runs of one saga at once — a person's Retry and the
// automatic resume, say — would each issue an invite, and the newer would
// revoke the link the other just handed out; with the lease the second run
// is refused instead. The lease lasts ResumeAfter and is renewed before a
// step once half of it has passed, so the lease of a run that died (kill
// -9) has expired by the time its saga counts as stuck.
type sagaHold struct {
	s        *Service
	name     string
	holder   string
	userName string
	renewed  time.Time
}

// holdSaga takes u's saga lease for a's run, or returns ECONFLICT when
// another run holds it. A job holds it as the job (Actor.Job): a bulk or
// resume job that crashed and was taken over is the same job and takes its
// own lease back at once, instead of waiting for it to expire. Any other
// run holds it under a random name of its own.
func (s *Service) holdSaga(ctx context.Context, a Actor, u *portal.User) (*sagaHold, error) {
	_, holder := randomHolder()
	if a.Job != 0 {
		holder = "job-" + strconv.FormatInt(a.Job, 10)
	}
	h := &sagaHold{s: s, name: "onboarding-saga-" + strconv.FormatInt(u.ID, 10), holder: holder, userName: u.UserName}
	now := s.cfg.Now()
	ok, err := s.cfg.Store.AcquireLease(ctx, h.name, holder, s.cfg.ResumeAfter, now)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, portal.E(portal.ECONFLICT, "err.onboard.running", u.UserName).WithReason(ReasonSagaRunning)
	}
	h.renewed = now
	return h, nil
}

// renew extends the lease when half of it has passed.
func (h *sagaHold) renew(ctx context.Context) error {
	now := h.s.cfg.Now()
	if now.Sub(h.renewed) < h.s.cfg.ResumeAfter/2 {
		return nil
	}
	ok, err := h.s.cfg.Store.AcquireLease(ctx, h.name, h.holder, h.s.cfg.ResumeAfter, now)
	if err != nil {
		return err
	}
	if !ok { // this run stalled past its lease and another took over
		return portal.E(portal.ECONFLICT, "err.onboard.running", h.userName).WithReason(ReasonSagaRunning)
	}
	h.renewed = now
	return nil
}

// release gives the lease up, on a lasting context: the run is over
// whatever happened to its request.
func (h *sagaHold) release() {
	ctx, cancel := lasting(context.Background())
	defer cancel()
	if err := h.s.cfg.Store.ReleaseLease(ctx, h.name, h.holder); err != nil {
		h.s.log.WarnContext(ctx, "release saga lease", "lease", h.name, "err", err)
	}
}

// policyCache remembers the last successful check of the managed policy,
// so that a bulk job asks IAM about it once per PolicyCacheTTL instead of
// twice (GetPolicy, GetPolicyVersion) for every user.
type policyCache struct {
	until   time.Time
	drifted bool
}

// ensurePolicy makes sure the managed policy exists and reports whether it
// drifted from the seed. With Config.PolicyCacheTTL a success is trusted for
// that long; concurrent callers wait for the one check in flight instead of
// each asking IAM. The saga still records ensure_policy per user, so resume
// logic is unchanged. Staleness is bounded by the TTL: a policy deleted or
// edited outside Gatehouse meanwhile shows at the next check (AttachUserPolicy
// fails with NoSuchEntity for a deleted one).
func (s *Service) ensurePolicy(ctx context.Context) (drifted bool, err error) {
	if s.cfg.PolicyCacheTTL <= 0 {
		drifted, err = s.iam(ctx).EnsurePolicy(ctx, s.policyARN(ctx), s.cfg.PolicyName, s.cfg.PolicyDocument)
		return drifted, err
	}
	// One check per account: each account holds its own copy of the policy.
	s.policy.mu.Lock()
	defer s.policy.mu.Unlock()
	c := s.policy.get(s.account(ctx))
	if now := s.cfg.Now(); now.Before(c.until) {
		return c.drifted, nil
	}
	if drifted, err = s.iam(ctx).EnsurePolicy(ctx, s.policyARN(ctx), s.cfg.PolicyName, s.cfg.PolicyDocument); err != nil {
		return false, err
	}
	c.until, c.drifted = s.cfg.Now().Add(s.cfg.PolicyCacheTTL), drifted
	return drifted, nil
}

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
