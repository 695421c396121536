package portal

import "unicode"

// Printable reports whether s can be shown to people as it is: it has no
// control characters, no format characters (zero-width joiners and spaces,
// bidirectional overrides such as U+202E, which make "alice\u202egnp.exe"
// read differently from what it is), no line or paragraph separators and
// no private-use or surrogate code points. Every name Gatehouse shows that
// people type — display names, operator names, API token names — must be
// Printable.
func Printable(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs, unicode.Zl, unicode.Zp) || r == unicode.ReplacementChar {
			return false
		}
	}
	return true
}
