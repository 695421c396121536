package iamemu

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"sync"

	"github.com/pquerna/otp"
)

// qrSize is the width and height of the QR PNG in pixels.
const qrSize = 200

// otpauthURI is the payload real AWS QR codes decode to
// (docs/iam-notes.md#totp-and-code-checks):
// otpauth://totp/Amazon%20Web%20Services:<name>@<account>?secret=…&issuer=Amazon%20Web%20Services
func otpauthURI(deviceName, account, seed string) string {
	const issuer = "Amazon%20Web%20Services"
	return "otpauth://totp/" + issuer + ":" + url.PathEscape(deviceName+"@"+account) +
		"?secret=" + seed + "&issuer=" + issuer
}

// qrPalette draws the code in two colours, so the PNG has one bit per pixel.
var qrPalette = color.Palette{color.White, color.Black}

// qrEncoder reuses its compressor between calls (a new one allocates
// more than half a megabyte).
var qrEncoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngBuffers{}}

type pngBuffers struct{ pool sync.Pool }

// Get implements png.EncoderBufferPool.
func (p *pngBuffers) Get() *png.EncoderBuffer {
	b, _ := p.pool.Get().(*png.EncoderBuffer)
	return b
}

// Put implements png.EncoderBufferPool.
func (p *pngBuffers) Put(b *png.EncoderBuffer) { p.pool.Put(b) }

// qrPNG renders an otpauth URI as a qrSize×qrSize PNG QR code with
// pquerna/otp's key image. The image is copied into a two-colour palette
// and encoded at png.BestSpeed: the library's 16-bit grey image at the
// default compression cost ten times as much, and this runs once per
// CreateVirtualMFADevice (outside the emulator's lock).
func qrPNG(uri string) ([]byte, error) {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return nil, err
	}
	src, err := key.Image(qrSize, qrSize)
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	dst := image.NewPaletted(b, qrPalette)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, _, _, _ := src.At(x, y).RGBA(); r < 0x8000 {
				dst.SetColorIndex(x, y, 1)
			}
		}
	}
	var buf bytes.Buffer
	if err := qrEncoder.Encode(&buf, dst); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
