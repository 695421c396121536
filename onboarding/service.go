// Package onboarding holds the workflows that span the store and IAM:
// onboarding a user (a resumable saga), claiming an invite, enrolling MFA
// and checking a user's status with IAM.
package onboarding

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/audit"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
)

// Config holds the Service's dependencies and settings.
type Config struct {
	Store *store.Store
	IAM   *awsiam.Client
	// Accounts, when set, reaches the member accounts (their assumed
	// roles); without it only the hub account (IAM, Account) is managed.
	Accounts *awsiam.Accounts
	Logger   *slog.Logger
	// Account is the hub AWS account's ID: IAM's account (for ARNs and the
	// console sign-in URL of its users).
	Account string
	// CallerARN is the ARN Gatehouse's own AWS credentials belong to
	// (GetCallerIdentity): adoption never touches that identity.
	CallerARN string
	// Partition decides every ARN, the policy document's resources and the
	// console sign-in domain. The zero value means the partition of
	// CallerARN, or "aws" when that is empty too.
	Partition portal.Partition
	// PolicyName and PolicyDocument are the managed policy every onboarded
	// user gets (the seed's forced-MFA policy). The document is written for
	// the "aws" partition; New rewrites its ARNs for Partition
	// (policy.InPartition), and that form is what is published and compared.
	PolicyName     string
	PolicyDocument string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// DefaultDeadline is the enrollment window when the admin sets none.
	DefaultDeadline time.Duration
	// InviteTTL is how long an invite link stays valid.
	InviteTTL time.Duration
	// ClaimTTL is how long a claimed invite's setup session lasts.
	ClaimTTL time.Duration
	// Lifecycle holds the settings of status sync, deadlines and notices
	// (lifecycle.go).
	Lifecycle LifecycleConfig
	// Links builds the invite links handed out and e-mailed (the zero Links
	// builds root-relative ones).
	Links portal.Links
	// PolicyCacheTTL, when above 0, lets the saga's ensure_policy step trust
	// a successful check of the managed policy for this long (see
	// ensurePolicy); 0 checks IAM for every user.
	PolicyCacheTTL time.Duration
	// ResumeAfter is how long an unfinished onboarding may go without
	// progress before the job runner resumes it by itself (resume.go;
	// default 1 min). It is also the first wait between automatic attempts.
	ResumeAfter time.Duration
}

// Service runs the onboarding workflows.
type Service struct {
	cfg      Config
	log      *slog.Logger
	auditLog *audit.Log
	policy   perAccount[policyCache]
	alias    perAccount[aliasCache]
}

// New checks cfg and returns a Service.
func New(cfg Config) (*Service, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("onboarding: Store is required")
	case cfg.IAM == nil:
		return nil, errors.New("onboarding: IAM is required")
	case cfg.Account == "":
		return nil, errors.New("onboarding: Account is required")
	case cfg.PolicyName == "" || cfg.PolicyDocument == "":
		return nil, errors.New("onboarding: PolicyName and PolicyDocument are required")
	case cfg.Lifecycle.Notifier != nil && cfg.Lifecycle.Box == nil:
		return nil, errors.New("onboarding: Lifecycle.Box is required with a Notifier (it seals queued invite links)")
	}
	if cfg.Partition.ID == "" {
		cfg.Partition = portal.PartitionAWS
		if cfg.CallerARN != "" {
			p, err := portal.PartitionOfARN(cfg.CallerARN)
			if err != nil {
				return nil, fmt.Errorf("onboarding: CallerARN: %w", err)
			}
			cfg.Partition = p
		}
	}
	cfg.PolicyDocument = policy.InPartition(cfg.PolicyDocument, cfg.Partition.ID)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DefaultDeadline == 0 {
		cfg.DefaultDeadline = 7 * 24 * time.Hour
	}
	if cfg.InviteTTL == 0 {
		cfg.InviteTTL = 7 * 24 * time.Hour
	}
	if cfg.ClaimTTL == 0 {
		cfg.ClaimTTL = 2 * time.Hour
	}
	if cfg.ResumeAfter <= 0 {
		cfg.ResumeAfter = time.Minute
	}
	cfg.Lifecycle.defaults()
	// The hub account is always managed: record it (users recorded before
	// accounts existed become its users).
	ctx, cancel := context.WithTimeout(context.Background(), recordTimeout)
	defer cancel()
	if err := cfg.Store.EnsureHubAccount(ctx, cfg.Account, cfg.Now()); err != nil {
		return nil, fmt.Errorf("onboarding: record the hub account: %w", err)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Service{cfg: cfg, log: log, auditLog: audit.New(cfg.Store, log, cfg.Now)}, nil
}

// Account returns the AWS account ID the service works in.
func (s *Service) Account() string { return s.cfg.Account }

// Partition returns the AWS partition the service works in.
func (s *Service) Partition() portal.Partition { return s.cfg.Partition }

// Links returns the builder of the portal's links.
func (s *Service) Links() portal.Links { return s.cfg.Links }

// policyARN is the ARN of the managed forced-MFA policy in ctx's account.
func (s *Service) policyARN(ctx context.Context) string {
	return awsiam.PolicyARN(s.cfg.Partition, s.account(ctx), s.cfg.PolicyName)
}

// mfaARN is the serial of the virtual MFA device name at path "/" in ctx's
// account.
func (s *Service) mfaARN(ctx context.Context, name string) string {
	return s.cfg.Partition.IAMARN(s.account(ctx), "mfa/"+name)
}

// Actor says who asks for a change, for the audit log.
type Actor struct {
	Name      string // operator username, or "invitee:<user>"
	RequestID string
	// Job is the ID of the background job acting (a bulk onboarding, an
	// automatic resume), 0 for a person's request.
	Job int64
}

// recordTimeout bounds one write made on a lasting context.
const recordTimeout = 10 * time.Second

// lasting returns the context on which to record what has happened once
// IAM acted (a saga step's outcome, a state change, an audit event). It
// keeps ctx's values but not its end: a client that disconnects, or a page
// budget that runs out, must not erase the record of work that was done.
// recordTimeout still bounds it, so a stuck database cannot hold it forever.
func lasting(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
}

// audit records an event about the IAM user named target in the account
// ctx is scoped to (an IAM user a workflow read from IAM; audit.Log: a
// failure is logged, not returned, because the change has happened).
func (s *Service) audit(ctx context.Context, a Actor, action, target string, detail portal.Text) {
	s.auditIn(ctx, a, s.account(ctx), action, target, detail)
}

// auditUser records an event about the managed user u, in u's account:
// the same name in two accounts is two users, each with its own timeline.
func (s *Service) auditUser(ctx context.Context, a Actor, action string, u *portal.User, detail portal.Text) {
	s.auditIn(ctx, a, u.AccountID, action, u.UserName, detail)
}

// auditIn records an event about the IAM user named target in account
// ("": the hub).
func (s *Service) auditIn(ctx context.Context, a Actor, account, action, target string, detail portal.Text) {
	if account == "" {
		account = s.cfg.Account
	}
	s.auditLog.Record(ctx, portal.AuditEvent{Actor: a.Name, Action: action, TargetKind: portal.TargetUser, Target: target,
		AccountID: account, Text: detail, RequestID: a.RequestID})
}

// auditKind records an event about a target of another kind (the policy,
// a device).
func (s *Service) auditKind(ctx context.Context, a Actor, kind, action, target string, detail portal.Text) {
	s.auditLog.Record(ctx, portal.AuditEvent{Actor: a.Name, Action: action, TargetKind: kind, Target: target, Text: detail, RequestID: a.RequestID})
}

// invitee is the actor of the invitee's own actions in the audit log.
func invitee(u *portal.User, requestID string) Actor {
	return Actor{Name: "invitee:" + u.UserName, RequestID: requestID}
}

func randomHolder() ([]byte, string) {
	b := make([]byte, 8)
	rand.Read(b)
	return b, hex.EncodeToString(b)
}
