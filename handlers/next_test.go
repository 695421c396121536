package handlers

import (
	"net/url"
	"strings"
	"testing"
)

var nextCases = []struct {
	next string
	ok   bool
}{
	{"/users", true},
	{"/users/bob?tab=events#top", true},
	{"/audit?from=2026-01-01&to=2026-02-01", true},
	{"/users/a%20b", true},
	{"", false},
	{"users", false},
	{"//evil.example/x", false},
	{"/\t/evil.example/x", false},
	{"/\n/evil.example/x", false},
	{"/\\evil.example", false},
	{"/\\/evil.example", false},
	{"\\\\evil.example", false},
	{"https://evil.example/", false},
	{"javascript:alert(1)", false},
	{"/%2F/evil.example", false},
	{"/%2f%2fevil.example", false},
	{"/%09/evil.example", false},
	{"/%5Cevil.example", false},
	{"/%252F%252Fevil.example", false},
	{"/ /evil.example", false},
	{"/users\x00", false},
	{"/usérs", false},
	{"/\u202e/evil", false},
}

// Finding: next=/<TAB>/evil.example/x came back as the Location after
// sign-in; browsers drop the tab and follow //evil.example.
func TestSafeNext(t *testing.T) {
	for _, tc := range nextCases {
		want := defaultNext
		if tc.ok {
			want = tc.next
		}
		if got := safeNext(tc.next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.next, got, want)
		}
	}
}

// FuzzSafeNext checks that whatever next= holds, the redirect target stays
// on the portal the way a lenient browser reads it: tabs and newlines
// dropped, backslashes read as slashes, percent-escapes decoded.
func FuzzSafeNext(f *testing.F) {
	for _, tc := range nextCases {
		f.Add(tc.next)
	}
	base, _ := url.Parse("https://portal.example/signin")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got == defaultNext {
			return
		}
		if got != next {
			t.Fatalf("safeNext(%q) = %q: neither the input nor the default", next, got)
		}
		lenient := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		for range 3 {
			if strings.HasPrefix(lenient, "//") {
				t.Fatalf("safeNext(%q) = %q reads as a host-relative URL", next, got)
			}
			u, err := url.Parse(lenient)
			if err != nil {
				t.Fatalf("safeNext(%q) = %q does not parse: %v", next, got, err)
			}
			if dest := base.ResolveReference(u); dest.Host != base.Host || dest.Scheme != base.Scheme {
				t.Fatalf("safeNext(%q) = %q leads to %s", next, got, dest)
			}
			dec, err := url.PathUnescape(lenient)
			if err != nil {
				return
			}
			lenient = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(dec)
		}
	})
}
