package iamemu

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// totpStep is the RFC 6238 time step AWS virtual MFA uses
// (docs/iam-notes.md#totp-and-code-checks).
const totpStep = 30

// hotp computes the RFC 4226 6-digit code for counter.
func hotp(key []byte, counter int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", bin%1000000)
}

// stepOf is the TOTP counter for t (T0 = 0).
func stepOf(t time.Time) int64 { return t.Unix() / totpStep }

func decodeSeed(seed string) ([]byte, error) {
	seed = strings.ToUpper(strings.TrimRight(seed, "="))
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(seed)
}

// GenerateCode returns the 6-digit TOTP code (SHA-1, 30 s) of a base32 seed
// at time t — what an authenticator app would show. Tests and the portal's
// test-mode virtual authenticator use it with SeedForTest.
func GenerateCode(base32Seed string, t time.Time) (string, error) {
	key, err := decodeSeed(base32Seed)
	if err != nil {
		return "", fmt.Errorf("iamemu: bad base32 seed: %w", err)
	}
	return hotp(key, stepOf(t)), nil
}

// findConsecutive searches steps s in [center-past, center+future-1] for
// code(s) == c1 and code(s+1) == c2, newest first, skipping pairs at or
// before notAfter (replay protection). It returns s+1, the step of the
// second code.
func findConsecutive(key []byte, c1, c2 string, center int64, past, future int, notAfter int64) (int64, bool) {
	for s := center + int64(future) - 1; s >= center-int64(past); s-- {
		if s <= notAfter {
			break
		}
		if hotp(key, s) == c1 && hotp(key, s+1) == c2 {
			return s + 1, true
		}
	}
	return 0, false
}

// findSingle searches one code within ±window steps of center.
func findSingle(key []byte, code string, center int64, window int, notAfter int64) (int64, bool) {
	for s := center + int64(window); s >= center-int64(window); s-- {
		if s > notAfter && hotp(key, s) == code {
			return s, true
		}
	}
	return 0, false
}
