package portal

import (
	"testing"
	"time"
)

func TestPrintable(t *testing.T) {
	for _, s := range []string{"Hana Sato", "佐藤 花", "O'Brien-Smith", "Zoë", ""} {
		if !Printable(s) {
			t.Errorf("%q refused", s)
		}
	}
	for _, s := range []string{"a\x00b", "a\tb", "a\u200bb", "a\u200db", "a\u202eb", "a\u2066b", "a\ufeffb", "a\u2028b", "a\ue000b", "a\ufffdb"} {
		if Printable(s) {
			t.Errorf("%q accepted", s)
		}
	}
}

// Display names are shown on every page and export: an invisible or
// bidi character in one is refused like any other bad input.
func TestDisplayNamesMustBePrintable(t *testing.T) {
	now := time.Now()
	for _, name := range []string{"Hana\u202eotaS", "Ha\u200bna", "Hana\nSato"} {
		n := NewUser{UserName: "hana", DisplayName: name}
		if err := n.Validate(now); ErrorCode(err) != EINVALID {
			t.Errorf("display name %q: %v, want EINVALID", name, err)
		}
	}
}
