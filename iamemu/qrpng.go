package iamemu

// The QR code's PNG: the one-bit image and a deflate writer made for it.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/adler32"
	"hash/crc32"
	"math/bits"
)

// qrPNGOf writes the modules as a qrSize×qrSize one-bit PNG with a
// white/black palette, each module a factor×factor square, the code centred
// (what image/png writes for that image, without going through image.Image
// one pixel at a time).
func qrPNGOf(code []bool, dim int) ([]byte, error) {
	factor := qrSize / dim
	if factor <= 0 {
		return nil, errors.New("iamemu: QR code wider than the image")
	}
	off := (qrSize - dim*factor) / 2
	const rowLen = 1 + (qrSize+7)/8 // filter byte, then the pixels
	raw := make([]byte, rowLen*qrSize)
	ones := uint64(1)<<factor - 1
	for y := off; y < off+dim*factor; y++ {
		row := raw[y*rowLen+1 : (y+1)*rowLen]
		my := (y - off) / factor
		if (y-off)%factor != 0 {
			copy(row, raw[(y-1)*rowLen+1:y*rowLen])
			continue
		}
		// Pixels enter acc from the right, factor per module, and leave
		// it a byte at a time; the left margin is off light pixels.
		acc, n, i := uint64(0), off, 0
		for mx := range dim {
			acc <<= factor
			if code[mx*dim+my] {
				acc |= ones
			}
			for n += factor; n >= 8; n -= 8 {
				row[i] = byte(acc >> (n - 8))
				i++
			}
		}
		if n > 0 {
			row[i] = byte(acc << (8 - n))
		}
	}
	idat := qrDeflate(raw, rowLen)

	var out bytes.Buffer
	out.Grow(len(idat) + 80)
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(data)))
		out.Write(n[:])
		crc := crc32.NewIEEE()
		crc.Write([]byte(kind))
		crc.Write(data)
		out.WriteString(kind)
		out.Write(data)
		binary.BigEndian.PutUint32(n[:], crc.Sum32())
		out.Write(n[:])
	}
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], qrSize)
	binary.BigEndian.PutUint32(ihdr[4:], qrSize)
	ihdr[8], ihdr[9] = 1, 3 // one bit per pixel, palette; deflate, no interlace
	chunk("IHDR", ihdr[:])
	chunk("PLTE", []byte{0xff, 0xff, 0xff, 0, 0, 0})
	chunk("IDAT", idat)
	chunk("IEND", nil)
	return out.Bytes(), nil
}

// qrDeflate compresses the PNG's image data as a zlib stream of one
// deflate block with the fixed Huffman codes, the only repetitions it looks
// for being what a QR image is made of: a row equal to the one above (a
// copy at the distance of a row) and a run of one byte within a row (a
// copy at distance 1). compress/flate's general search and dynamic codes
// were half the cost of the QR; this stream is about 1.5 times larger.
func qrDeflate(raw []byte, rowLen int) []byte {
	w := deflateBits{out: make([]byte, 0, 2048)}
	w.out = append(w.out, 0x78, 0x01) // zlib: deflate, 32 KiB window, no dictionary
	w.put(1|1<<1, 3)                  // final block, fixed codes
	pending := 0                      // bytes of rows equal to the one above, not yet written
	for y := 0; y*rowLen < len(raw); y++ {
		row := raw[y*rowLen : (y+1)*rowLen]
		if y > 0 && bytes.Equal(row, raw[(y-1)*rowLen:y*rowLen]) {
			pending += rowLen
			continue
		}
		w.copies(pending, rowLen)
		pending = 0
		for i := 0; i < len(row); {
			w.literal(row[i])
			n := 1
			for i+n < len(row) && row[i+n] == row[i] {
				n++
			}
			if n-1 >= 3 {
				w.copies(n-1, 1)
			} else {
				for k := 1; k < n; k++ {
					w.literal(row[i])
				}
			}
			i += n
		}
	}
	w.copies(pending, rowLen)
	w.code(0, 7) // end of block
	w.flush()
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], adler32.Checksum(raw))
	return append(w.out, sum[:]...)
}

// deflateBits writes deflate's bit stream: values least significant bit
// first, Huffman codes most significant bit first.
type deflateBits struct {
	out  []byte
	acc  uint64
	nacc uint
}

func (w *deflateBits) put(v uint64, n uint) {
	w.acc |= v << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

func (w *deflateBits) flush() {
	if w.nacc > 0 {
		w.out = append(w.out, byte(w.acc))
		w.acc, w.nacc = 0, 0
	}
}

// code writes an n-bit Huffman code.
func (w *deflateBits) code(c uint64, n uint) {
	w.put(uint64(bits.Reverse16(uint16(c)))>>(16-n), n)
}

// literal writes byte b with the fixed literal code.
func (w *deflateBits) literal(b byte) {
	if b < 144 {
		w.code(0x30+uint64(b), 8)
	} else {
		w.code(0x190+uint64(b)-144, 9)
	}
}

// copies writes n bytes (n ≥ 3, or 0) as copies from dist bytes back, in
// pieces of at most 258 bytes, none shorter than 3.
func (w *deflateBits) copies(n, dist int) {
	for n > 0 {
		k := min(n, 258)
		if r := n - k; r > 0 && r < 3 {
			k = n - 3
		}
		w.match(k, dist)
		n -= k
	}
}

// deflateLengths and deflateDists are deflate's length and distance
// codes: the first value of each code and its extra bits.
var (
	deflateLengths = [29][2]int{{3, 0}, {4, 0}, {5, 0}, {6, 0}, {7, 0}, {8, 0}, {9, 0}, {10, 0}, {11, 1}, {13, 1}, {15, 1}, {17, 1},
		{19, 2}, {23, 2}, {27, 2}, {31, 2}, {35, 3}, {43, 3}, {51, 3}, {59, 3}, {67, 4}, {83, 4}, {99, 4}, {115, 4},
		{131, 5}, {163, 5}, {195, 5}, {227, 5}, {258, 0}}
	deflateDists = [30][2]int{{1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 1}, {7, 1}, {9, 2}, {13, 2}, {17, 3}, {25, 3}, {33, 4}, {49, 4},
		{65, 5}, {97, 5}, {129, 6}, {193, 6}, {257, 7}, {385, 7}, {513, 8}, {769, 8}, {1025, 9}, {1537, 9}, {2049, 10},
		{3073, 10}, {4097, 11}, {6145, 11}, {8193, 12}, {12289, 12}, {16385, 13}, {24577, 13}}
)

// match writes one copy of length n (3–258) from dist bytes back.
func (w *deflateBits) match(n, dist int) {
	i := len(deflateLengths) - 1
	for deflateLengths[i][0] > n {
		i--
	}
	if sym := 257 + i; sym < 280 {
		w.code(uint64(sym-256), 7)
	} else {
		w.code(0xC0+uint64(sym-280), 8)
	}
	w.put(uint64(n-deflateLengths[i][0]), uint(deflateLengths[i][1]))
	j := len(deflateDists) - 1
	for deflateDists[j][0] > dist {
		j--
	}
	w.code(uint64(j), 5)
	w.put(uint64(dist-deflateDists[j][0]), uint(deflateDists[j][1]))
}
