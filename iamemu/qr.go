package iamemu

import (
	"bytes"
	"image/png"
	"net/url"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

// otpauthURI is the payload real AWS QR codes decode to (§5.4, §6.6):
// otpauth://totp/Amazon%20Web%20Services:<name>@<account>?secret=…&issuer=Amazon%20Web%20Services
func otpauthURI(deviceName, account, seed string) string {
	const issuer = "Amazon%20Web%20Services"
	return "otpauth://totp/" + issuer + ":" + url.PathEscape(deviceName+"@"+account) +
		"?secret=" + seed + "&issuer=" + issuer
}

// qrPNG renders text as a 200×200 PNG QR code.
func qrPNG(text string) ([]byte, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, err
	}
	code, err = barcode.Scale(code, 200, 200)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, code); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
