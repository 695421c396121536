package iamemu

import (
	"bytes"
	"encoding/csv"
	"time"
)

// credReport is the account's credential report
// (docs/iam-notes.md#credential-report). Content is a snapshot taken when
// generation starts; it becomes readable at Ready.
type credReport struct {
	Started time.Time
	Ready   time.Time
	Content []byte
}

type generateReportResult struct {
	State       string
	Description string `xml:",omitempty"`
}

// generateCredentialReport: STARTED → INPROGRESS → COMPLETE; a completed
// report younger than the throttle (4 h) is reused
// (docs/iam-notes.md#credential-report). moto rebuilds the report live and
// has no INPROGRESS.
func generateCredentialReport(c *call) (any, *apiError) {
	r := c.st.Report
	switch {
	case r != nil && c.now.Before(r.Ready):
		return generateReportResult{State: "INPROGRESS"}, nil
	case r != nil && (c.e.opts.CredentialReportThrottle < 0 || c.now.Sub(r.Ready) >= c.e.opts.CredentialReportThrottle):
		// old enough: regenerate below
	case r != nil:
		return generateReportResult{State: "COMPLETE"}, nil
	}
	desc := ""
	if r == nil {
		desc = "No report exists. Starting a new report generation task"
	}
	c.st.Report = &credReport{Started: c.now, Ready: c.now.Add(c.e.opts.CredentialReportDelay), Content: c.buildReport()}
	return generateReportResult{State: "STARTED", Description: desc}, nil
}

type getReportResult struct {
	Content       blob
	ReportFormat  string
	GeneratedTime isoTime
}

func getCredentialReport(c *call) (any, *apiError) {
	r := c.st.Report
	switch {
	case r == nil:
		return nil, &apiError{Code: "ReportNotPresent"} // AWS sends no <Message> (docs/iam-notes.md#credential-report)
	case c.now.Before(r.Ready):
		return nil, errf("ReportInProgress", "Report generation in progress. Try again later.")
	case c.e.opts.CredentialReportExpiry > 0 && c.now.Sub(r.Ready) >= c.e.opts.CredentialReportExpiry:
		return nil, errf("ReportExpired", "The report has expired. Generate a new report.")
	}
	return getReportResult{blob(r.Content), "text/csv", isoTime(r.Ready)}, nil
}

var reportHeader = []string{"user", "arn", "user_creation_time", "password_enabled", "password_last_used",
	"password_last_changed", "password_next_rotation", "mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region", "access_key_2_last_used_service",
	"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated"}

func reportTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

// keyColumns renders the five columns of one access key slot.
func keyColumns(k *accessKey) []string {
	if k == nil {
		return []string{"false", "N/A", "N/A", "N/A", "N/A"}
	}
	cols := []string{boolText(k.Status == "Active"), reportTime(k.Created), "N/A", "N/A", "N/A"}
	if lu := k.LastUsed; lu != nil {
		cols[2], cols[3], cols[4] = reportTime(lu.When), lu.Region, lu.Service
	}
	return cols
}

// keySlots renders the ten columns of access keys 1 and 2, oldest first.
func (c *call) keySlots(keys []*accessKey) []string {
	var cols []string
	for i := 0; i < 2; i++ {
		var k *accessKey
		if i < len(keys) {
			k = keys[i]
		}
		cols = append(cols, keyColumns(k)...)
	}
	return cols
}

// certColumns renders cert_1_active … cert_2_last_rotated for the
// signing certificates of owner ("" = root), oldest first.
func (c *call) certColumns(owner string) []string {
	cols := []string{"false", "N/A", "false", "N/A"}
	for i, s := range c.ownerCerts(owner) {
		if i < 2 {
			cols[2*i], cols[2*i+1] = boolText(s.Status == "Active"), reportTime(s.Uploaded)
		}
	}
	return cols
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// buildReport renders the 22-column CSV with the <root_account> row first.
func (c *call) buildReport() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(reportHeader)
	rootUsed := "no_information"
	if t := c.st.Root.PasswordUsed; t != nil {
		rootUsed = reportTime(*t)
	}
	root := []string{"<root_account>", c.st.arn("root"), reportTime(c.st.Created),
		"not_supported", rootUsed, "not_supported", "not_supported", boolText(c.st.Root.MFA)}
	root = append(root, c.keySlots(c.st.ownerKeys(""))...)
	w.Write(append(root, c.certColumns("")...))
	for _, u := range c.sortedUsers() {
		row := []string{u.Name, c.st.userArn(u), reportTime(u.Created)}
		if lp := u.Login; lp != nil {
			used := "no_information"
			if u.PasswordUsed != nil {
				used = reportTime(*u.PasswordUsed)
			}
			next := "N/A"
			if pp := c.st.PasswordPolicy; pp != nil && pp.MaxPasswordAge > 0 {
				next = reportTime(lp.Changed.AddDate(0, 0, pp.MaxPasswordAge))
			}
			row = append(row, "true", used, reportTime(lp.Changed), next)
		} else {
			used := "N/A"
			if u.PasswordUsed != nil {
				used = reportTime(*u.PasswordUsed)
			}
			row = append(row, "false", used, "N/A", "N/A")
		}
		row = append(row, boolText(len(c.userDevices(u.Name)) > 0))
		row = append(row, c.keySlots(c.userKeys(u))...)
		w.Write(append(row, c.certColumns(u.Name)...))
	}
	w.Flush()
	return buf.Bytes()
}
