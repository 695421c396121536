package iamemu

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
)

// idAlphabet is the upper-case base32 alphabet AWS unique ids and access key
// ids are drawn from (A–Z, 2–7).
const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("iamemu: crypto/rand: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// newUniqueID returns a 21-character IAM unique id such as AIDA… or ANPA….
func newUniqueID(prefix string) string { return prefix + randomString(idAlphabet, 17) }

// newKeyID returns a 20-character access key id (AKIA…/ASIA…). Like real keys
// (and moto), characters 5–12 vary with the account so keys of different
// emulated accounts do not collide by accident.
func newKeyID(prefix, account string) string {
	var sum byte
	for i := 0; i < len(account); i++ {
		sum = sum*31 + account[i]
	}
	return prefix + string(idAlphabet[int(sum)%32]) + randomString(idAlphabet, 15)
}

// newSecret returns a 40-character secret access key.
func newSecret() string {
	return randomString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("iamemu: crypto/rand: " + err.Error())
	}
	return b
}

// newSessionToken returns an opaque STS session token.
func newSessionToken() string {
	return "FwoGZXIvYXdzE" + strings.TrimRight(base64.StdEncoding.EncodeToString(randomBytes(96)), "=")
}

// newRequestID returns a UUID-shaped request id.
func newRequestID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&0xf])
	}
	return string(out)
}
