package web

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// The vendored htmx is the release htmxVersion names, unmodified.
func TestVendoredHTMX(t *testing.T) {
	b, err := staticFS.ReadFile("static/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != htmxSHA256 {
		t.Errorf("static/htmx.min.js has SHA-256 %s, want %s (htmx.org %s): a changed file needs its version and hash recorded in assets.go", got, htmxSHA256, htmxVersion)
	}
	if !strings.Contains(string(b), `version:"`+htmxVersion+`"`) {
		t.Errorf("static/htmx.min.js does not declare version %s", htmxVersion)
	}
}
