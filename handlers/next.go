package handlers

import (
	"net/url"
	"strings"
)

// defaultNext is where sign-in leads when no (acceptable) next= was given.
const defaultNext = "/users"

// localPath reports whether next is a path on this portal and nothing
// else, so that a redirect to it cannot leave the site (an open redirect
// after sign-in would hand a phishing page the portal's credibility).
//
// Browsers are lenient in ways a plain prefix check misses: they drop tabs
// and newlines ("/\t/evil.example" becomes "//evil.example"), read a
// backslash as a slash, and some decode percent-escapes before resolving.
// So next must be printable ASCII without spaces or backslashes, start with
// exactly one slash, and parse as a path with no scheme, host or user —
// and all of this must still hold after percent-decoding, repeatedly.
func localPath(next string) bool {
	if next == "" || len(next) > 2048 || !plainLocal(next, true) {
		return false
	}
	for s, i := next, 0; i < 4; i++ {
		dec, err := url.PathUnescape(s)
		if err != nil || !plainLocal(dec, false) {
			return false
		}
		if dec == s {
			break
		}
		s = dec
	}
	u, err := url.Parse(next)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil && u.Opaque == ""
}

// plainLocal checks one decoding of next: exactly one leading slash, no
// control character or backslash, and for the raw form (asSent) only
// printable ASCII without spaces, as an escaped URL is.
func plainLocal(s string, asSent bool) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c == 0x7f || c == '\\' || (asSent && (c == ' ' || c > 0x7f)) {
			return false
		}
	}
	return true
}

// safeNext returns next if it is a local path, else the default page.
func safeNext(next string) string {
	if localPath(next) {
		return next
	}
	return defaultNext
}

// formNext is next as the sign-in form carries it on: only a local path.
func formNext(next string) string {
	if localPath(next) {
		return next
	}
	return ""
}
