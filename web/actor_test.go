package web

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// The audit log and a user's timeline name who acted readably (the
// invitee, Gatehouse itself) in both languages, keep the stored form in
// data-actor, and let long names wrap only after : . - @ (an action stays one word
// in its column: TestDetailColumnHasRoom).
func TestAuditActorsReadAndBreakAtSeparators(t *testing.T) {
	const long = "a.person.with.a.rather-long@user.name"
	for _, tc := range []struct {
		lang              Lang
		invitee, system   string
		anonymous, oper   string
		wantLongActionTag string
	}{
		{EN, long + " (invitee)", "Gatehouse (automatic)", "not signed in", "admin", ""},
		{JA, long + "（招待されたユーザー）", "Gatehouse（自動）", "サインインしていない利用者", "admin", ""},
	} {
		ctx := WithLang(context.Background(), tc.lang)
		rows := []struct{ actor, want string }{
			{"invitee:" + long, tc.invitee},
			{"system", tc.system},
			{"anonymous", tc.anonymous},
			{"admin", tc.oper},
		}
		wbr := func(s string) string {
			for _, c := range []string{":", ".", "-", "@"} {
				s = strings.ReplaceAll(s, c, c+"<wbr>")
			}
			return s
		}
		var audit, timeline bytes.Buffer
		v := AuditView{}
		u := UserView{}
		for _, r := range rows {
			v.Rows = append(v.Rows, AuditRow{Actor: r.actor, Action: "mfa.device.create", Kind: "user", Target: long})
			u.Events = append(u.Events, EventRow{Actor: r.actor, Action: "mfa.device.create"})
		}
		if err := AuditPage(v).Render(ctx, &audit); err != nil {
			t.Fatal(err)
		}
		if err := UserPage(u).Render(ctx, &timeline); err != nil {
			t.Fatal(err)
		}
		for page, html := range map[string]string{"audit": audit.String(), "timeline": timeline.String()} {
			for _, r := range rows {
				cell := `data-actor="` + r.actor + `">` + wbr(r.want) + `</td>`
				if !strings.Contains(html, cell) {
					t.Errorf("%s %s: no actor cell %s in\n%s", tc.lang, page, cell, actorCells(html))
				}
			}
		}
		if !strings.Contains(audit.String(), `data-col="target">`+wbr(long)+`</td>`) {
			t.Errorf("%s audit: the target does not break after . - @", tc.lang)
		}
	}
}

// actorCells returns the actor cells of html, to say what was rendered.
func actorCells(html string) string {
	var out []string
	for _, s := range strings.Split(html, `data-col="actor"`)[1:] {
		out = append(out, s[:strings.Index(s, "</td>")])
	}
	return strings.Join(out, "\n")
}

func TestBreakParts(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "",
		"admin":              "admin",
		"invitee:new-hire":   "invitee:|new-|hire",
		"a@b.c:":             "a@|b.|c:",
		"console:ops@host-1": "console:|ops@|host-|1",
	} {
		if got := strings.Join(breakParts(in), "|"); got != want {
			t.Errorf("breakParts(%q) = %q, want %q", in, got, want)
		}
	}
}
