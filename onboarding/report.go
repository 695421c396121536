package onboarding

import (
	"context"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
)

// credentialReport gets a complete credential report: GenerateCredentialReport
// (which starts one, or reuses a recent one), then GetCredentialReport —
// two IAM calls for any number of users when the report is ready. While it
// is STARTED/INPROGRESS, Get answers ReportInProgress and is polled; an
// expired or missing report is generated once more.
func (s *Service) credentialReport(ctx context.Context) (*awsiam.CredentialReport, error) {
	deadline := time.Now().Add(s.cfg.Lifecycle.ReportWait)
	if _, err := s.iam(ctx).GenerateCredentialReport(ctx); err != nil {
		return nil, err
	}
	regenerated := false
	for {
		rep, err := s.iam(ctx).GetCredentialReport(ctx)
		switch portal.ErrorReason(err) {
		case "":
			return rep, err
		case awsiam.CodeReportExpired, awsiam.CodeReportNotPresent:
			if regenerated {
				return nil, err
			}
			regenerated = true
			if _, err := s.iam(ctx).GenerateCredentialReport(ctx); err != nil {
				return nil, err
			}
			continue
		case awsiam.CodeReportInProgress:
		default:
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, portal.E(portal.EUNAVAILABLE, "err.sync.report.pending").WithReason(awsiam.CodeReportInProgress)
		}
		select {
		case <-ctx.Done():
			return nil, portal.E(portal.EUNAVAILABLE, "err.sync.stopped").Wrap(ctx.Err())
		case <-time.After(s.cfg.Lifecycle.ReportPoll):
		}
	}
}
