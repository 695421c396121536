package onboarding

import (
	"context"
	"strconv"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// Interrupted onboardings resume by themselves. A saga cut off by a crash,
// a restart or an IAM outage stays "provisioning" with its progress
// recorded. A sweep (QueueStuckResumes, run by the job runner of whichever
// replica holds its lease) queues a store.JobResume job for every
// onboarding that made no progress for ResumeAfter; the job runs the saga
// from where it stopped (ResumeStuck), with back-off, and after
// ResumeAttempts attempts gives up with an audit event, leaving Retry on
// the user page to a person. Rows of a bulk job that is still queued or
// running are left to that job, which resumes its own sagas.

// resumeSweepLease keeps two replicas from sweeping at the same moment.
const resumeSweepLease = "onboarding-resume-sweep"

// ResumeAttempts is how many automatic attempts an interrupted onboarding
// gets (with the default ResumeAfter: over about half an hour).
const ResumeAttempts = 6

// ResumeAfter is how long an unfinished onboarding may go without
// progress before Gatehouse resumes it by itself.
func (s *Service) ResumeAfter() time.Duration { return s.cfg.ResumeAfter }

// ResumeSweepEvery is how often the sweep should run: a quarter of
// ResumeAfter, so a stuck saga waits at most a little longer than that.
func (s *Service) ResumeSweepEvery() time.Duration { return s.cfg.ResumeAfter / 4 }

// QueueStuckResumes queues a resume job for every onboarding that made no
// progress for ResumeAfter (store.QueueResumeJobs says which), on the
// replica that holds the sweep's lease. Failures are logged: the next
// sweep tries again.
func (s *Service) QueueStuckResumes(ctx context.Context) {
	now := s.cfg.Now()
	ok, err := s.cfg.Store.AcquireLease(ctx, resumeSweepLease, s.cfg.Lifecycle.Holder, s.ResumeSweepEvery(), now)
	if err != nil || !ok {
		if err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "resume sweep lease", "err", err)
		}
		return
	}
	n, err := s.cfg.Store.QueueResumeJobs(ctx, now.Add(-s.cfg.ResumeAfter), now)
	if err != nil {
		if ctx.Err() == nil {
			s.log.WarnContext(ctx, "queue resume jobs", "err", err)
		}
		return
	}
	if n > 0 {
		s.log.InfoContext(ctx, "interrupted onboardings queued for an automatic resume", "count", n)
		if s.cfg.Lifecycle.Wake != nil {
			s.cfg.Lifecycle.Wake()
		}
	}
}

// ResumeStuck makes one automatic attempt (attempt counts them, this one
// included) to finish the interrupted onboarding of user userID, for the
// resume job jobID. It returns how long to wait before the next attempt
// when this one failed and may pass, with the error; 0 with nil when there
// is nothing more to do (finished now, finished or deleted before, or left
// to a bulk job); 0 with the error when it gives up (audited). When ctx
// ends during the attempt it returns ctx's error, so the job is handed back.
func (s *Service) ResumeStuck(ctx context.Context, jobID, userID int64, attempt int) (time.Duration, error) {
	u, err := s.cfg.Store.FindUserByID(ctx, userID)
	switch {
	case portal.ErrorCode(err) == portal.ENOTFOUND:
		return 0, nil // the record was deleted
	case err != nil:
		return s.cfg.ResumeAfter, err
	case u.State != portal.StateProvisioning:
		return 0, nil // a person's Retry finished it
	}
	if busy, err := s.cfg.Store.InBulkJob(ctx, u.UserName); err != nil {
		return s.cfg.ResumeAfter, err
	} else if busy {
		return 0, nil
	}
	if recent, err := s.progressedSince(ctx, u, s.cfg.Now().Add(-s.cfg.ResumeAfter)); err != nil {
		return s.cfg.ResumeAfter, err
	} else if recent {
		// Someone (a person's Retry) is at it right now: look again later.
		return s.cfg.ResumeAfter, portal.E(portal.ECONFLICT, "err.onboard.inprogress", u.UserName)
	}
	system := Actor{Name: "system", RequestID: "job-" + strconv.FormatInt(jobID, 10), Job: jobID}
	h, err := s.run(ctx, system, u)
	if err == nil {
		key := "audit.onboard.resumed.auto"
		if h.EmailQueued {
			key = "audit.onboard.resumed.auto.mailed"
		}
		s.auditUser(ctx, system, "user.onboard", u, portal.T(key, attempt))
		return 0, nil
	}
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	if portal.ErrorReason(err) == ReasonSagaRunning {
		return s.cfg.ResumeAfter, err // another run (a person's Retry) is at it: look again later
	}
	if attempt >= ResumeAttempts {
		s.log.WarnContext(ctx, "automatic resume given up", "user", u.UserName, "attempts", attempt, "err", err)
		s.auditUser(ctx, system, "onboard.resume.failed", u, portal.T("audit.onboard.resume.failed", attempt, portal.ErrorTextOf(err)))
		return 0, err
	}
	return s.cfg.ResumeAfter << (attempt - 1), err
}

// progressedSince reports whether u's record or any of its saga steps
// changed after t (as store.QueueResumeJobs judges staleness).
func (s *Service) progressedSince(ctx context.Context, u *portal.User, t time.Time) (bool, error) {
	if u.UpdatedAt.After(t) {
		return true, nil
	}
	steps, err := s.cfg.Store.FindSteps(ctx, u.ID)
	if err != nil {
		return false, err
	}
	for _, st := range steps {
		if st.UpdatedAt.After(t) {
			return true, nil
		}
	}
	return false, nil
}

// InFlight returns up to limit unfinished onboardings, oldest first, and
// how many there are, for the helpdesk: of the account the request chose
// (InAccount), of every account when it chose none.
func (s *Service) InFlight(ctx context.Context, limit int) ([]store.InFlight, int, error) {
	return s.cfg.Store.FindInFlight(ctx, chosen(ctx), Steps, limit)
}
