package auth

import (
	"bytes"
	"image/png"
	"net/url"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpOpts are RFC 6238 defaults, which every authenticator app supports.
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Enrollment is a new TOTP secret to show an operator once, with its QR.
type Enrollment struct {
	Secret string
	URI    string
	QRPNG  []byte
}

// newEnrollment generates a TOTP secret for account under issuer.
func newEnrollment(issuer, account string) (*Enrollment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, err
	}
	return enrollmentFor(key)
}

// enrollmentFrom rebuilds the QR for an existing secret.
func enrollmentFrom(issuer, account, secret string) (*Enrollment, error) {
	q := url.Values{"secret": {secret}, "issuer": {issuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: q.Encode()}
	key, err := otp.NewKeyFromURL(u.String())
	if err != nil {
		return nil, err
	}
	return enrollmentFor(key)
}

func enrollmentFor(key *otp.Key) (*Enrollment, error) {
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &Enrollment{Secret: key.Secret(), URI: key.URL(), QRPNG: buf.Bytes()}, nil
}

// matchStep returns the 30-second step whose code equals code, looking one
// step back and ahead for clock skew, or -1. The step lets the caller refuse
// a code that was used already.
func matchStep(secret, code string, now time.Time) int64 {
	cur := now.Unix() / 30
	for _, step := range []int64{cur, cur - 1, cur + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*30, 0), totpOpts)
		if err == nil && len(code) == 6 && want == code {
			return step
		}
	}
	return -1
}
