package portal_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
)

// TestTooManyAttemptsSaysHowLongToWait: the refusal says a wait in whole
// minutes, rounded up, from the time of the attempt — the same in every
// time zone — in English (singular for one) and Japanese; the retry time
// stays machine-readable in the Reason.
func TestTooManyAttemptsSaysHowLongToWait(t *testing.T) {
	now := time.Date(2026, 12, 3, 7, 10, 0, 0, time.FixedZone("JST", 9*3600))
	for _, tc := range []struct {
		retry  time.Duration
		en, ja string
	}{
		{13*time.Minute + time.Second, "Try again in 14 minutes.", "14分後にもう一度お試しください。"},
		{14 * time.Minute, "Try again in 14 minutes.", "14分後にもう一度お試しください。"},
		{59 * time.Second, "Try again in 1 minute.", "1分後にもう一度お試しください。"},
		{time.Minute, "Try again in 1 minute.", "1分後にもう一度お試しください。"},
		{0, "Try again in 1 minute.", "1分後にもう一度お試しください。"},
	} {
		err := portal.TooManyAttempts(now, now.Add(tc.retry))
		if got := i18n.ErrorText(i18n.EN, err); !strings.HasSuffix(got, tc.en) || strings.Contains(got, "UTC") {
			t.Errorf("wait %v: English %q, want it to end %q", tc.retry, got, tc.en)
		}
		if got := i18n.ErrorText(i18n.JA, err); !strings.HasSuffix(got, tc.ja) || strings.Contains(got, "UTC") {
			t.Errorf("wait %v: Japanese %q, want it to end %q", tc.retry, got, tc.ja)
		}
		if got, want := portal.ErrorReason(err), now.Add(tc.retry).UTC().Format(time.RFC3339); got != want {
			t.Errorf("wait %v: reason %q, want %q", tc.retry, got, want)
		}
		if portal.ErrorCode(err) != portal.ETOOMANY {
			t.Errorf("wait %v: code %q", tc.retry, portal.ErrorCode(err))
		}
	}
}
