package iamemu

import (
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestCredentialReport_SnapshotWithRootRow_MotoBuildsLive(t *testing.T) {
	env := newEnv(t, Options{CredentialReportDelay: 10 * time.Second})
	_, err := env.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	var notPresent *types.CredentialReportNotPresentException
	if !errors.As(err, &notPresent) {
		t.Fatalf("err = %v, want ReportNotPresent", err)
	}
	env.createUser(t, "alice")
	must[*iam.CreateLoginProfileOutput](t)(env.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("Corr3ct-Horse")}))

	gen := func() types.ReportStateType {
		return must[*iam.GenerateCredentialReportOutput](t)(env.iam.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})).State
	}
	if got, want := gen(), types.ReportStateTypeStarted; got != want {
		t.Fatalf("state = %s, want %s", got, want)
	}
	if got, want := gen(), types.ReportStateTypeInprogress; got != want {
		t.Fatalf("state = %s, want %s", got, want)
	}
	_, err = env.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	var notReady *types.CredentialReportNotReadyException
	if !errors.As(err, &notReady) {
		t.Fatalf("err = %v, want ReportInProgress", err)
	}
	env.clock.Advance(10 * time.Second)
	env.createUser(t, "bob") // after the snapshot: must not appear
	if got, want := gen(), types.ReportStateTypeComplete; got != want {
		t.Fatalf("state = %s, want %s", got, want)
	}
	out := must[*iam.GetCredentialReportOutput](t)(env.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))
	rows, err := csv.NewReader(strings.NewReader(string(out.Content))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows), 3; got != want {
		t.Fatalf("rows = %d, want header + root + alice", got)
	}
	if got, want := len(rows[0]), 22; got != want {
		t.Fatalf("columns = %d, want %d", got, want)
	}
	if rows[1][0] != "<root_account>" || rows[1][3] != "not_supported" {
		t.Fatalf("root row = %v", rows[1])
	}
	if got, want := strings.Join(rows[2][:8], ","), "alice,arn:aws:iam::123456789012:user/alice,2026-11-28T12:00:00+00:00,true,no_information,2026-11-28T12:00:00+00:00,N/A,false"; got != want {
		t.Fatalf("alice row = %s, want %s", got, want)
	}
	if got, want := out.GeneratedTime.UTC(), t0.Add(10*time.Second); !got.Equal(want) {
		t.Fatalf("GeneratedTime = %v, want %v", got, want)
	}
	t.Run("expires and regenerates after four hours", func(t *testing.T) {
		env.clock.Advance(4 * time.Hour)
		_, err := env.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		var expired *types.CredentialReportExpiredException
		if !errors.As(err, &expired) {
			t.Fatalf("err = %v, want ReportExpired", err)
		}
		if got, want := gen(), types.ReportStateTypeStarted; got != want {
			t.Fatalf("state = %s, want %s", got, want)
		}
	})
}
