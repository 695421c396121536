package web

import (
	"bytes"
	"encoding/base64"
	"image/png"

	"github.com/a-h/templ"
	"github.com/pquerna/otp"
)

// qrPx is the QR code's size in pixels a side. pquerna/otp scales the code by
// a whole number of pixels per module and centres it on white, so it is drawn
// crisp at this native size (the page never scales it).
const qrPx = 240

// qrImage is a QR code as an inline PNG and its native size in pixels.
type qrImage struct {
	Src  templ.SafeURL
	Size int
}

// qrFor draws an otpauth URI as a QR code with pquerna/otp, the library that
// made the key (and that the IAM emulator draws its QR codes with). It is
// drawn per request from the secret the page shows and never kept: the QR
// carries the TOTP seed.
func qrFor(otpauthURI string) (qrImage, error) {
	key, err := otp.NewKeyFromURL(otpauthURI)
	if err != nil {
		return qrImage{}, err
	}
	img, err := key.Image(qrPx, qrPx)
	if err != nil {
		return qrImage{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return qrImage{}, err
	}
	return qrImage{Src: templ.SafeURL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), Size: qrPx}, nil
}
