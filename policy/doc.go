// Package policy parses, evaluates, compares and lints AWS IAM identity
// policies, centred on Gatehouse's seed policy
// forced-mfa-and-my-sec-creds-self-manage.
//
// It is the single source of truth for "what may this IAM user do right now":
// the IAM emulator enforces user-signed calls with Evaluate and answers
// SimulatePrincipalPolicy / SimulateCustomPolicy with Simulate, the portal's
// policy page shows drift with Diff and traps with Lint, and the enrollment
// pages explain the before/after-MFA difference with Matrix.
//
// The rules implemented are described in docs/policy-evaluation.md, which
// comments point into as docs/policy-evaluation.md#<section>. Evaluation is
// literal, as the IAM policy simulator reports it; operations AWS decides
// without consulting policies (docs/policy-evaluation.md#operations-outside-policy)
// are exposed separately by Override so callers choose when to apply them.
//
// The package uses only the standard library and holds no global state
// besides the embedded seed document.
package policy

import _ "embed"

// SeedName is the name of the customer-managed policy Gatehouse creates and
// attaches to every onboarded user.
const SeedName = "forced-mfa-and-my-sec-creds-self-manage"

// Seed is the seed policy document, byte for byte as the portal uploads it
// with CreatePolicy. Keep it identical to shared/reference/seed-policy.json:
// drift detection compares the live managed policy against it.
//
//go:embed seed.json
var Seed string

// MustParseSeed returns the parsed seed document. The seed is embedded and
// covered by tests, so a parse failure is a programming error and panics.
func MustParseSeed() *Document {
	d, err := Parse(Seed)
	if err != nil {
		panic("policy: embedded seed does not parse: " + err.Error())
	}
	return d
}
