package portal_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
)

func TestStatusAt(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		state    portal.State
		deadline time.Time
		want     portal.Status
	}{
		{portal.StateInvited, now.Add(time.Hour), portal.StatusInvited},
		{portal.StateInvited, now.Add(-time.Hour), portal.StatusOverdue},
		{portal.StateClaimed, now.Add(-time.Hour), portal.StatusOverdue},
		{portal.StateEnrolled, now.Add(-time.Hour), portal.StatusEnrolled},
		{portal.StateMFARemoved, now.Add(-time.Hour), portal.StatusMFARemoved},
		{portal.StateOffboarded, now.Add(-time.Hour), portal.StatusOffboarded},
	} {
		u := portal.User{State: tc.state, Deadline: tc.deadline}
		if got := u.StatusAt(now); got != tc.want {
			t.Errorf("%s with deadline %v: status %q, want %q", tc.state, tc.deadline.Sub(now), got, tc.want)
		}
	}
}

func TestValidateUserNameFollowsIAMRules(t *testing.T) {
	for _, ok := range []string{"a", "test", "dev+ops", "first.last@example.com", "a_b-c=d,e", strings.Repeat("x", 64)} {
		if err := portal.ValidateUserName(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "with space", "slash/name", "日本", strings.Repeat("x", 65), "semi;colon"} {
		err := portal.ValidateUserName(bad)
		var e *portal.Error
		if !errors.As(err, &e) || e.Field != "user_name" || e.Code != portal.EINVALID {
			t.Errorf("%q: %v, want a user_name field error", bad, err)
		}
	}
}

func TestInviteClaimable(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name string
		inv  portal.Invite
		msg  string
	}{
		{"fresh", portal.Invite{ExpiresAt: now.Add(time.Hour)}, ""},
		{"expired", portal.Invite{ExpiresAt: now.Add(-time.Hour)}, "expired"},
		{"claimed", portal.Invite{ExpiresAt: now.Add(time.Hour), ClaimedAt: now}, "already used"},
		{"revoked", portal.Invite{ExpiresAt: now.Add(time.Hour), RevokedAt: now}, "replaced"},
	} {
		err := tc.inv.Claimable(now)
		if (tc.msg == "") != (err == nil) || (err != nil && !strings.Contains(portal.ErrorMessage(err), tc.msg)) {
			t.Errorf("%s: %v, want message with %q", tc.name, err, tc.msg)
		}
	}
}

func TestInternalErrorsAreNotShown(t *testing.T) {
	err := errors.New("pq: relation \"users\" does not exist")
	if msg := portal.ErrorMessage(err); strings.Contains(msg, "relation") {
		t.Fatalf("internal detail leaked: %q", msg)
	}
	if got := portal.ErrorCode(err); got != portal.EINTERNAL {
		t.Fatalf("code = %q", got)
	}
	if got := portal.ErrorMessage(portal.Errorf(portal.ENOTFOUND, "No user %s.", "x")); got != "No user x." {
		t.Fatalf("message = %q", got)
	}
}

func TestTokensAreRandomAndHashed(t *testing.T) {
	a, ha := portal.NewToken()
	b, _ := portal.NewToken()
	if a == b || len(a) < 43 || ha != portal.HashToken(a) || strings.Contains(ha, a) {
		t.Fatalf("tokens %q %q hash %q", a, b, ha)
	}
}
