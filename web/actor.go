package web

import (
	"context"
	"html"
	"io"
	"strings"

	"github.com/a-h/templ"
)

// actorWords names an audit event's actor for people. The audit log
// stores who acted in one of a few forms (the CSV and the API keep them
// as stored, and the actor filter matches them):
//
//   - an operator's user name ("admin", which holds no ':');
//   - "invitee:<user name>": the IAM user acting on their own invite;
//   - "system": Gatehouse itself (a scheduled sync, a deadline, a job);
//   - "console:<user>@<host>": the server's command line;
//   - "test-mode": the accounts a test-mode portal adds at start;
//   - "anonymous": no one signed in (a failed sign-in).
func actorWords(ctx context.Context, actor string) string {
	if kind, name, ok := strings.Cut(actor, ":"); ok && name != "" {
		switch kind {
		case "invitee":
			return T(ctx, "audit.actor.invitee", name)
		case "console":
			return T(ctx, "audit.actor.console", name)
		}
		return actor
	}
	switch actor {
	case "system":
		return T(ctx, "audit.actor.system")
	case "test-mode":
		return T(ctx, "audit.actor.testmode")
	case "anonymous":
		return T(ctx, "audit.actor.anonymous")
	}
	return actor
}

// breakParts cuts s after each ':', '.', '-', '@' and '/': where a long
// name (invitee:a.person.with.a.long.name, mfa.device.create, an e-mail
// address) may wrap, with a <wbr> between the parts, instead of inside a
// word.
func breakParts(s string) []string {
	var parts []string
	for {
		i := strings.IndexAny(s, ":.-@/")
		if i < 0 || i == len(s)-1 {
			break
		}
		parts = append(parts, s[:i+1])
		s = s[i+1:]
	}
	return append(parts, s)
}

// breakable shows s with a line-break opportunity (<wbr>) after each
// ':', '.', '-', '@' and '/' (breakParts), so a long name wraps there and
// not inside a word. It is written in Go, not templ: a templ loop would
// put spaces between the parts.
func breakable(s string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		for i, part := range breakParts(s) {
			if i > 0 {
				if _, err := io.WriteString(w, "<wbr>"); err != nil {
					return err
				}
			}
			if _, err := io.WriteString(w, html.EscapeString(part)); err != nil {
				return err
			}
		}
		return nil
	})
}
