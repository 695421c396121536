// Package web renders Gatehouse's pages (templ components with typed view
// models), serves the embedded static assets under content-hashed URLs and
// holds the message catalogs (English and Japanese).
package web

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/a-h/templ"
)

// Page is what the layout needs on every page.
type Page struct {
	Title string
	// Operator is the signed-in operator, nil on public and invite pages.
	Operator *OperatorNav
	// Step is the invite flow's current step (1 credentials, 2 MFA, 3 done);
	// 0 shows no step indicator.
	Step int
	// TestMode labels the portal as running against the IAM emulator.
	TestMode bool
	// Path is the current URL path (for the language switcher links).
	Path string
	// Invitee marks the invite flow's pages: nothing on them leads to the
	// operators' sign-in.
	Invitee bool
	// Wide gives the page the screen's width (up to a limit) for a table
	// whose text column needs room.
	Wide bool
}

// Widen returns p with the page's width for wide tables.
func (p Page) Widen() Page {
	p.Wide = true
	return p
}

// OperatorNav identifies the signed-in operator in the header.
type OperatorNav struct {
	Username string
	Role     string
	// Which pages the operator may open (asked of the route table, so the
	// header shows exactly what the role may use).
	CanOnboard, CanDevices, CanAdopt, CanBulk, CanOperators, CanAudit, CanTokensAll, CanWebhooks, CanAccounts bool
}

// FormError is a validation or IAM error shown above a form.
type FormError struct {
	// Err is the error to show, translated when the page renders; Message
	// is used instead when Err is nil (text already in the page language).
	Err     error
	Message string
	Field   string
}

// Text returns the error's message in ctx's language.
func (e FormError) Text(ctx context.Context) string {
	if e.Err != nil {
		return ErrorText(ctx, e.Err)
	}
	return e.Message
}

// pageTitle is the <title> of a page: its title, then the product's name
// unless the title says it already.
func pageTitle(title string) string {
	if strings.Contains(title, "Gatehouse") {
		return title
	}
	return title + " · Gatehouse"
}

// langURL returns path with ?lang=l.
func langURL(path string, l Lang) templ.SafeURL {
	return templ.SafeURL(path + "?lang=" + url.QueryEscape(string(l)))
}

// pngDataURL embeds a PNG in the page. QR codes are inlined rather than
// served from a URL because the QR carries the TOTP seed, which is never
// stored server-side.
func pngDataURL(b []byte) templ.SafeURL {
	return templ.SafeURL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))
}

// groups splits s into blocks of four for reading and typing. The blocks
// are rendered as adjacent spans, so the element's text stays the plain
// secret (copy and automation get no spaces).
func groups(s string) []string {
	var out []string
	for len(s) > 4 {
		out = append(out, s[:4])
		s = s[4:]
	}
	return append(out, s)
}

// errFor returns the message of the error about field, in ctx's language.
func errFor(ctx context.Context, errs []FormError, field string) string {
	for _, e := range errs {
		if e.Field == field {
			return e.Text(ctx)
		}
	}
	return ""
}
