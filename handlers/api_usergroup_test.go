package handlers_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/gatehouse/portal"
	gh "github.com/gatehouse/portal/client"
)

// The API lists users grouped by e-mail as the user list does: only users
// with an address, by address then name and account, one person's users of
// several accounts together and never split by a page; the account filter
// and the cursor work with it, and an unknown grouping is refused.
func TestAPIUsersGroupedByEmail(t *testing.T) {
	e := newMemberEnvOn(t, "sqlite", memberA)
	ctx := context.Background()
	hub := e.emu.AccountID()
	for _, u := range []portal.NewUser{
		{Account: memberA, UserName: "dana", Email: "dana@example.com"},
		{UserName: "dana", Email: "Dana@Example.com"},
		{UserName: "ann", Email: "zed@example.com"},
		{Account: memberA, UserName: "amy", Email: "amy@example.com"},
		{UserName: "bob"},
	} {
		if _, err := e.onb.Onboard(ctx, testActor, u); err != nil {
			t.Fatal(err)
		}
	}
	aud := gh.New(e.srv.URL, e.apiTokenFor(e.mintOperator("aud", portal.RoleAuditor)))
	names := func(us []gh.User) (out []string) {
		for _, u := range us {
			out = append(out, u.UserName+"@"+u.AccountID)
		}
		return out
	}
	want := []string{"amy@" + memberA, "dana@" + hub, "dana@" + memberA, "ann@" + hub}

	all, err := aud.ListUsers(ctx, "", gh.Page{}, gh.GroupedByEmail())
	if err != nil {
		t.Fatal(err)
	}
	if got := names(all.Users); !slices.Equal(got, want) || all.Next != "" {
		t.Fatalf("grouped: %v (next %q), want %v", got, all.Next, want)
	}
	// The same order as the page's.
	admin := e.clientAs(e.mintOperator("adm", portal.RoleAdmin))
	var page []string
	admin.get("/users?group=email").doc.Find(`[data-testid="user-row"]`).Each(func(_ int, s *goquery.Selection) {
		page = append(page, s.AttrOr("data-user", "")+"@"+s.AttrOr("data-account", ""))
	})
	if !slices.Equal(page, want) {
		t.Errorf("the page lists %v, the API %v", page, want)
	}

	// Pages of two: dana's group does not fit after amy, so it starts the
	// next page whole.
	var pages [][]string
	p := gh.Page{Limit: 2}
	for {
		got, err := aud.ListUsers(ctx, "", p, gh.GroupedByEmail())
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, names(got.Users))
		if got.Next == "" || len(pages) > 5 {
			break
		}
		p.After = got.Next
	}
	if len(pages) != 3 || !slices.Equal(pages[0], want[:1]) || !slices.Equal(pages[1], want[1:3]) || !slices.Equal(pages[2], want[3:]) {
		t.Errorf("pages of two: %v", pages)
	}

	member, err := aud.ListUsers(ctx, "", gh.Page{}, gh.GroupedByEmail(), gh.WithAccount(memberA))
	if err != nil || !slices.Equal(names(member.Users), []string{"amy@" + memberA, "dana@" + memberA}) {
		t.Errorf("grouped in the member account: %v, %v", names(member.Users), err)
	}
	// Without the grouping: by name, bob included.
	if plain, err := aud.ListUsers(ctx, "", gh.Page{}); err != nil || len(plain.Users) != 5 || plain.Users[0].UserName != "amy" {
		t.Errorf("ungrouped: %v, %v", names(plain.Users), err)
	}
	tok := e.apiTokenFor(e.mintOperator("aud2", portal.RoleAuditor))
	wantProblem(t, "unknown group", e.api("GET", "/api/v1/users?group=name", tok, ""), http.StatusUnprocessableEntity, "invalid", "group")
}
