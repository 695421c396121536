package onboarding

import (
	"crypto/rand"
	"math/big"
	"strings"

	"github.com/gatehouse/portal/awsiam"
)

// Character classes of generated passwords. Look-alike characters (0/O,
// 1/l/I) are left out because people type these passwords from a screen.
const (
	upper   = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	lower   = "abcdefghijkmnopqrstuvwxyz"
	digits  = "23456789"
	symbols = "!@#$%^&*()_+-=[]{}|"
)

// GeneratePassword returns a random password that meets policy: at least
// 20 characters (or the policy's minimum if longer) with every character
// class, so it also meets IAM's default "3 of 4 classes" rule.
func GeneratePassword(policy awsiam.PasswordPolicy) string {
	n := max(20, policy.MinLength)
	all := upper + lower + digits + symbols
	out := []byte{pick(upper), pick(lower), pick(digits), pick(symbols)}
	for len(out) < n {
		out = append(out, pick(all))
	}
	// Shuffle so the class-guaranteeing characters are not always first.
	for i := len(out) - 1; i > 0; i-- {
		j := randInt(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func pick(set string) byte { return set[randInt(len(set))] }

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return int(v.Int64())
}

// meetsPolicy reports whether p satisfies policy (used by tests and as a
// guard before calling IAM).
func meetsPolicy(p string, policy awsiam.PasswordPolicy) bool {
	return len(p) >= policy.MinLength &&
		(!policy.RequireUpper || strings.ContainsAny(p, upper)) &&
		(!policy.RequireLower || strings.ContainsAny(p, lower)) &&
		(!policy.RequireDigit || strings.ContainsAny(p, digits)) &&
		(!policy.RequireSymbol || strings.ContainsAny(p, symbols))
}
