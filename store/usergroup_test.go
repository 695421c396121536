package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// The list grouped by e-mail: one person's users in several accounts come
// together, ordered by address (ignoring case), name and account; users
// without an address are left out; every page size walks every user once,
// and a page never cuts a group it did not start with.
func TestUsersGroupedByEmail(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		add := func(account, name, email string, st portal.State) {
			u := &portal.User{AccountID: account, UserName: name, Email: email, State: st, CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		add(memberID, "ann", "Ann@example.com", portal.StateInvited)
		add(hubID, "ann", "ann@example.com", portal.StateEnrolled)
		add(memberID, "ann-admin", "ann@EXAMPLE.com", portal.StateEnrolled)
		add(hubID, "bob", "bob@example.com", portal.StateInvited)
		add(hubID, "cy", "", portal.StateInvited) // no address: not listed
		add(memberID, "dee", "dee@example.com", portal.StateEnrolled)
		add(hubID, "dee", "dee@example.com", portal.StateInvited)
		add(hubID, "eve", "eve@example.com", portal.StateEnrolled)
		want := []string{"ann@" + hubID, "ann@" + memberID, "ann-admin@" + memberID, "bob@" + hubID,
			"dee@" + hubID, "dee@" + memberID, "eve@" + hubID}
		key := func(u *portal.User) string { return u.UserName + "@" + u.AccountID }

		all, err := s.FindUsers(ctx, portal.UserFilter{GroupByEmail: true, Sort: portal.SortNameDesc})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range all.Users {
			got = append(got, key(u))
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("grouped order\n got %v\nwant %v", got, want)
		}

		for limit := 1; limit <= len(want)+1; limit++ {
			var walked []string
			after := ""
			for pages := 0; ; pages++ {
				if pages > len(want) {
					t.Fatalf("limit %d: the pages do not end", limit)
				}
				page, err := s.FindUsers(ctx, portal.UserFilter{GroupByEmail: true, Limit: limit, After: after})
				if err != nil {
					t.Fatal(err)
				}
				if len(page.Users) == 0 || len(page.Users) > limit {
					t.Fatalf("limit %d: a page of %d", limit, len(page.Users))
				}
				for _, u := range page.Users {
					walked = append(walked, key(u))
				}
				if page.Next == "" {
					break
				}
				// The next page does not go on with this page's last group,
				// unless that group is the whole page.
				next, err := s.FindUsers(ctx, portal.UserFilter{GroupByEmail: true, Limit: 1, After: page.Next})
				if err != nil {
					t.Fatal(err)
				}
				first, last := page.Users[0], page.Users[len(page.Users)-1]
				if strings.EqualFold(next.Users[0].Email, last.Email) && !strings.EqualFold(first.Email, last.Email) {
					t.Errorf("limit %d: the group of %s is cut after %s", limit, last.Email, key(last))
				}
				after = page.Next
			}
			if strings.Join(walked, " ") != strings.Join(want, " ") {
				t.Errorf("limit %d walks\n %v\nwant %v", limit, walked, want)
			}
		}

		// With a filter: the member account's enrolled users.
		page, err := s.FindUsers(ctx, portal.UserFilter{GroupByEmail: true, Account: memberID, Status: portal.StatusEnrolled, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		got = nil
		for _, u := range page.Users {
			got = append(got, key(u))
		}
		if strings.Join(got, " ") != "ann-admin@"+memberID+" dee@"+memberID {
			t.Errorf("member's enrolled, grouped: %v", got)
		}
	})
}
