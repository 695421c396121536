package portal_test

import (
	"errors"
	"fmt"
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
		{"expired", portal.Invite{ExpiresAt: now.Add(-time.Hour)}, "err.invite.expired"},
		{"claimed", portal.Invite{ExpiresAt: now.Add(time.Hour), ClaimedAt: now}, "err.invite.used"},
		{"revoked", portal.Invite{ExpiresAt: now.Add(time.Hour), RevokedAt: now}, "err.invite.replaced"},
	} {
		err := tc.inv.Claimable(now)
		if (tc.msg == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.msg)) {
			t.Errorf("%s: %v, want message with %q", tc.name, err, tc.msg)
		}
	}
}

func TestErrorCodeAndCause(t *testing.T) {
	if got := portal.ErrorCode(errors.New("pq: relation \"users\" does not exist")); got != portal.EINTERNAL {
		t.Fatalf("a plain error has code %q, want internal", got)
	}
	cause := errors.New("connection reset by peer")
	err := fmt.Errorf("find user: %w", portal.E(portal.EUNAVAILABLE, "err.db.unavailable").Wrap(cause))
	if got := portal.ErrorCode(err); got != portal.EUNAVAILABLE {
		t.Errorf("code through a wrap = %q", got)
	}
	if !errors.Is(err, cause) {
		t.Error("errors.Is does not see the cause through *portal.Error")
	}
	if got := err.Error(); !strings.Contains(got, "err.db.unavailable") || !strings.Contains(got, cause.Error()) {
		t.Errorf("Error() = %q, want the key and the cause for logs", got)
	}
	fe := portal.FieldE("user_name", "err.user.managed", "bob")
	if fe.Code != portal.EINVALID || fe.Field != "user_name" || fe.Args[0] != "bob" {
		t.Errorf("FieldE = %+v", fe)
	}
}

func TestTokensAreRandomAndHashed(t *testing.T) {
	a, ha := portal.NewToken()
	b, _ := portal.NewToken()
	if a == b || len(a) < 43 || ha != portal.HashToken(a) || strings.Contains(ha, a) {
		t.Fatalf("tokens %q %q hash %q", a, b, ha)
	}
}

// A kept message survives the database: whole numbers stay integers (a %d
// verb formats them), nested messages and lists stay messages.
func TestTextRoundTrip(t *testing.T) {
	in := portal.T("audit.offboard.failed", "bob", 3, portal.StateText(portal.StateInvited),
		[]portal.Text{portal.T("offboard.step.keys"), portal.T("offboard.step.password")})
	s := portal.EncodeText(in)
	out, err := portal.DecodeText(s)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprintf("%#v", out), fmt.Sprintf("%#v", portal.T("audit.offboard.failed", "bob", int64(3), portal.StateText(portal.StateInvited),
		[]portal.Text{portal.T("offboard.step.keys"), portal.T("offboard.step.password")})); got != want {
		t.Fatalf("round trip of %s:\n got %s\nwant %s", s, got, want)
	}
	if empty, err := portal.DecodeText(""); err != nil || !empty.IsZero() {
		t.Fatalf("an older row without a message: %v, %v", empty, err)
	}
	if got := portal.ErrorTextOf(errors.New("pq: secret detail")); got.Key != "error.internal" || len(got.Args) != 0 {
		t.Fatalf("a foreign error is kept as %v, want the generic message", got)
	}
}
