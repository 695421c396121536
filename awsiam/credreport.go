package awsiam

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
)

// Credential report states (GenerateCredentialReport) and the error codes of
// GetCredentialReport that callers branch on
// (docs/iam-notes.md#credential-report).
const (
	ReportStarted    = "STARTED"
	ReportInProgress = "INPROGRESS"
	ReportComplete   = "COMPLETE"

	CodeReportInProgress = "ReportInProgress"
	CodeReportExpired    = "ReportExpired"
	CodeReportNotPresent = "ReportNotPresent"
)

// GenerateCredentialReport starts (or reuses) the account's credential
// report and returns its state: STARTED, INPROGRESS or COMPLETE.
func (c *Client) GenerateCredentialReport(ctx context.Context) (string, error) {
	out, err := c.iam.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	if err != nil {
		return "", mapErr("GenerateCredentialReport", err)
	}
	return string(out.State), nil
}

// ReportKey is one access-key slot of a credential report row.
type ReportKey struct {
	Active      bool
	LastRotated time.Time
	LastUsed    time.Time
	LastService string
}

// ReportRow is one IAM user in the credential report. Zero times mean the
// report said N/A or no_information.
type ReportRow struct {
	User             string
	ARN              string
	Created          time.Time
	PasswordEnabled  bool
	PasswordLastUsed time.Time
	// PasswordChanged is when the console password was last set (zero
	// without one).
	PasswordChanged time.Time
	MFAActive       bool
	Keys            []ReportKey // the slots that exist (0–2)
}

// CredentialReport is a parsed credential report.
type CredentialReport struct {
	Generated time.Time
	Rows      []ReportRow // the IAM users, without the <root_account> row
	// Root is the <root_account> row (its User is "<root_account>"; the
	// root user has no password_enabled, so PasswordEnabled is false), nil
	// when the report has none.
	Root *ReportRow
}

// RootUser is the user column of the credential report's root row.
const RootUser = "<root_account>"

// GetCredentialReport downloads and parses the report. While it is being
// generated IAM answers ReportInProgress; an old one ReportExpired (both in
// portal.ErrorReason).
func (c *Client) GetCredentialReport(ctx context.Context) (*CredentialReport, error) {
	out, err := c.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	if err != nil {
		return nil, mapErr("GetCredentialReport", err)
	}
	rep, err := ParseCredentialReport(out.Content)
	if err != nil {
		return nil, portal.E(portal.EUNAVAILABLE, "err.iam.report.unreadable").Wrap(err)
	}
	rep.Generated = aws.ToTime(out.GeneratedTime)
	return rep, nil
}

// ParseCredentialReport parses the report's CSV by column name, so columns
// AWS adds later do not break it.
func ParseCredentialReport(content []byte) (*CredentialReport, error) {
	r := csv.NewReader(bytes.NewReader(content))
	header, err := r.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	rep := &CredentialReport{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rep, nil
		} else if err != nil {
			return nil, err
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		row := ReportRow{User: get("user"), ARN: get("arn"), Created: reportTime(get("user_creation_time")),
			PasswordEnabled: get("password_enabled") == "true", PasswordLastUsed: reportTime(get("password_last_used")),
			PasswordChanged: reportTime(get("password_last_changed")),
			MFAActive:       get("mfa_active") == "true"}
		for _, slot := range []string{"access_key_1_", "access_key_2_"} {
			rotated := reportTime(get(slot + "last_rotated"))
			if rotated.IsZero() {
				continue // no key in this slot
			}
			svc := get(slot + "last_used_service")
			if svc == "N/A" {
				svc = ""
			}
			row.Keys = append(row.Keys, ReportKey{Active: get(slot+"active") == "true", LastRotated: rotated,
				LastUsed: reportTime(get(slot + "last_used_date")), LastService: svc})
		}
		if row.User == RootUser {
			if rep.Root == nil {
				rep.Root = &row
			}
			continue
		}
		rep.Rows = append(rep.Rows, row)
	}
}

// reportTime parses a report timestamp; N/A, no_information and
// not_supported become the zero time.
func reportTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04:05-07:00", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
