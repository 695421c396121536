package web

import (
	"bytes"
	"encoding/base64"
	"image/png"

	"github.com/a-h/templ"
	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

// qrTargetPx aims the QR code at about this many pixels a side; each module
// is a whole number of pixels, so the code is drawn crisp at its native size
// (the page never scales it).
const qrTargetPx = 240

// qrImage is a QR code as an inline PNG and its native size in pixels.
type qrImage struct {
	Src  templ.SafeURL
	Size int
}

// qrFor draws text as a QR code. It is drawn per request from the secret
// the page shows and never kept: the QR carries the TOTP seed.
func qrFor(text string) (qrImage, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return qrImage{}, err
	}
	modules := code.Bounds().Dx()
	size := max(2, qrTargetPx/modules) * modules
	if code, err = barcode.Scale(code, size, size); err != nil {
		return qrImage{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, code); err != nil {
		return qrImage{}, err
	}
	return qrImage{Src: templ.SafeURL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), Size: size}, nil
}
