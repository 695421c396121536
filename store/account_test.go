package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

const (
	hubID    = "111111111111"
	memberID = "222222222222"
)

func newUserIn(t *testing.T, s *store.Store, account, name string) *portal.User {
	t.Helper()
	u := &portal.User{AccountID: account, UserName: name, Email: name + "@example.com", State: portal.StateInvited, CreatedAt: t0, UpdatedAt: t0}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("create %s in %q: %v", name, account, err)
	}
	return u
}

// The hub account is recorded at start and takes the users recorded before
// accounts existed; member accounts are added, checked and removed, never
// the hub and never one with users.
func TestAccounts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		old := newUserIn(t, s, "", "alice")
		if err := s.EnsureHubAccount(ctx, hubID, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.EnsureHubAccount(ctx, hubID, t0); err != nil {
			t.Fatalf("second start: %v", err)
		}
		u, err := s.FindUserByID(ctx, old.ID)
		if err != nil || u.AccountID != hubID {
			t.Fatalf("user from before accounts: %+v, %v; want account %s", u, err, hubID)
		}
		m := &portal.Account{ID: memberID, Name: "prod", RoleARN: "arn:aws:iam::222222222222:role/GatehouseAdmin", ExternalID: "ext-1",
			CreatedBy: "root", CreatedAt: t0}
		if err := s.AddAccount(ctx, m); err != nil {
			t.Fatal(err)
		}
		if err := s.AddAccount(ctx, m); fieldOf(err) != "account_id" {
			t.Fatalf("adding it twice: %v, want an error on account_id", err)
		}
		if err := s.SetAccountStatus(ctx, memberID, portal.AccountUnreachable, portal.T("account.reason.denied"), t0); err != nil {
			t.Fatal(err)
		}
		all, err := s.Accounts(ctx)
		if err != nil || len(all) != 2 {
			t.Fatalf("accounts: %v, %v", all, err)
		}
		if !all[0].Hub || all[0].ID != hubID || all[0].RoleARN != "" || all[0].Status != portal.AccountReachable {
			t.Errorf("hub = %+v", all[0])
		}
		got := all[1]
		if got.Hub || got.Name != "prod" || got.ExternalID != "ext-1" || got.Status != portal.AccountUnreachable ||
			got.Reason.Key != "account.reason.denied" || !got.CheckedAt.Equal(t0) {
			t.Errorf("member = %+v", got)
		}
		if err := s.RemoveAccount(ctx, hubID); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Errorf("remove hub: %v, want a conflict", err)
		}
		newUserIn(t, s, memberID, "bob")
		if err := s.RemoveAccount(ctx, memberID); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Errorf("remove with users: %v, want a conflict", err)
		}
		if err := s.SetAccountStatus(ctx, "333333333333", portal.AccountReachable, portal.Text{}, t0); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("status of an unknown account: %v", err)
		}
		if _, err := s.FindAccount(ctx, "333333333333"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("find unknown: %v", err)
		}
	})
}

// A name is unique per account: the same name in two accounts is two IAM
// users, found by account, listed in both, paged without skipping either
// and counted per account.
func TestUserNamesPerAccount(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := newUserIn(t, s, hubID, "Bob")
		b := newUserIn(t, s, memberID, "bob")
		dup := &portal.User{AccountID: memberID, UserName: "BOB", State: portal.StateInvited, CreatedAt: t0, UpdatedAt: t0}
		if err := s.CreateUser(ctx, dup); fieldOf(err) != "user_name" {
			t.Fatalf("same name, same account: %v, want a user_name error", err)
		}
		if u, err := s.FindUser(ctx, memberID, "BOB"); err != nil || u.ID != b.ID {
			t.Fatalf("find in member: %v, %v", u, err)
		}
		if u, err := s.FindUser(ctx, hubID, "bob"); err != nil || u.ID != a.ID {
			t.Fatalf("find in hub: %v, %v", u, err)
		}
		if _, err := s.FindUserByName(ctx, "bob"); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("name in two accounts without an account: %v, want a conflict", err)
		}
		newUserIn(t, s, memberID, "carol")
		if u, err := s.FindUserByName(ctx, "carol"); err != nil || u.AccountID != memberID {
			t.Fatalf("unique name: %v, %v", u, err)
		}
		for _, sort := range []portal.UserSort{portal.SortName, portal.SortNameDesc, portal.SortDeadline} {
			var seen []int64
			f := portal.UserFilter{Limit: 1, Sort: sort, Now: t0}
			for {
				p, err := s.FindUsers(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, u := range p.Users {
					seen = append(seen, u.ID)
				}
				if p.Next == "" {
					break
				}
				f.After = p.Next
			}
			if len(seen) != 3 {
				t.Errorf("sort %s paged one by one: %v, want all 3 users", sort, seen)
			}
		}
		p, err := s.FindUsers(ctx, portal.UserFilter{Account: memberID, Now: t0})
		if err != nil || len(p.Users) != 2 {
			t.Fatalf("filter by member account: %v, %v", p, err)
		}
		counts, err := s.CountByAccount(ctx, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) != 2 || counts[0].Account != hubID || counts[0].Total != 1 || counts[1].Total != 2 ||
			counts[1].ByStatus[portal.StatusInvited] != 2 {
			t.Errorf("counts = %+v", counts)
		}
	})
}

// The SQLite migration rebuilds the users table: rows and everything that
// refers to them survive, with the account still to be filled in.
func TestAccountsMigrationKeepsUsers(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t, "sqlite")
	db := storetest.MigratedTo(t, "sqlite", dsn, 21)
	if _, err := db.Exec(`INSERT INTO users (id, user_name, user_name_key, state, created_at, updated_at) VALUES (7, 'Dana', 'dana', 'invited', 1, 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO onboarding_steps (user_id, step, status, updated_at) VALUES (7, 'create_user', 'done', 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := storetest.Open(t, "sqlite", dsn)
	u, err := s.FindUserByName(ctx, "dana")
	if err != nil || u.ID != 7 || u.AccountID != "" {
		t.Fatalf("user after the migration: %+v, %v", u, err)
	}
	steps, err := s.FindSteps(ctx, 7)
	if err != nil || steps["create_user"].Status != "done" {
		t.Fatalf("steps after the migration: %v, %v", steps, err)
	}
	p2, err := s.FindUsers(ctx, portal.UserFilter{Query: "dan"})
	if err != nil || len(p2.Users) != 1 {
		t.Fatalf("search after the migration: %v, %v", p2, err)
	}
	if err := s.EnsureHubAccount(ctx, hubID, t0); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.FindUserByID(ctx, 7); u.AccountID != hubID {
		t.Fatalf("account after start = %q", u.AccountID)
	}
}

// fieldOf returns the form field an error is about, "" for none.
func fieldOf(err error) string {
	var e *portal.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// A user recorded without an account (before accounts existed, not yet
// filled in) is the hub's: found and listed in the hub, not in a member.
func TestUsersWithoutAccountAreTheHubs(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.EnsureHubAccount(ctx, hubID, t0); err != nil {
			t.Fatal(err)
		}
		old := newUserIn(t, s, "", "erin")
		if u, err := s.FindUser(ctx, hubID, "erin"); err != nil || u.ID != old.ID {
			t.Fatalf("in the hub: %v, %v", u, err)
		}
		if _, err := s.FindUser(ctx, memberID, "erin"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("in a member account: %v", err)
		}
		if p, err := s.FindUsers(ctx, portal.UserFilter{Account: hubID}); err != nil || len(p.Users) != 1 {
			t.Fatalf("hub list: %v, %v", p, err)
		}
		if p, err := s.FindUsers(ctx, portal.UserFilter{Account: memberID}); err != nil || len(p.Users) != 0 {
			t.Fatalf("member list: %v, %v", p, err)
		}
	})
}
