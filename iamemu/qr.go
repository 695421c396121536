package iamemu

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/adler32"
	"hash/crc32"
	"math"
	"math/bits"
	"net/url"
	"strings"
	"sync"
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

// qrPNG renders an otpauth URI as a qrSize×qrSize two-colour PNG QR code,
// pixel for pixel the image pquerna/otp's Key.Image draws (boombuler/barcode,
// byte mode, error correction level M, the mask of lowest penalty, scaled
// by a whole factor and centred), which mfa_test holds it against. The
// library's encoder keeps modules in a bit list read one call per module and
// walks them through channels; scoring its eight masks that way was 70 % of
// the emulator's CPU on an onboarding workload. This one scores the same
// masks the same way on a flat array, about twenty times cheaper.
func qrPNG(uri string) ([]byte, error) {
	if _, err := url.Parse(strings.TrimSpace(uri)); err != nil {
		return nil, err
	}
	code, dim, err := qrModules(strings.TrimSpace(uri))
	if err != nil {
		return nil, err
	}
	return qrPNGOf(code, dim)
}

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

// qrVersionM is, per QR version 1–40 at error correction level M: error
// correction codewords per block, then blocks and data codewords per block
// in group 1 and group 2 (ISO/IEC 18004 table 9).
var qrVersionM = [40][5]int{
	{10, 1, 16, 0, 0}, {16, 1, 28, 0, 0}, {26, 1, 44, 0, 0}, {18, 2, 32, 0, 0}, {24, 2, 43, 0, 0}, {16, 4, 27, 0, 0},
	{18, 4, 31, 0, 0}, {22, 2, 38, 2, 39}, {22, 3, 36, 2, 37}, {26, 4, 43, 1, 44}, {30, 1, 50, 4, 51}, {22, 6, 36, 2, 37},
	{22, 8, 37, 1, 38}, {24, 4, 40, 5, 41}, {24, 5, 41, 5, 42}, {28, 7, 45, 3, 46}, {28, 10, 46, 1, 47}, {26, 9, 43, 4, 44},
	{26, 3, 44, 11, 45}, {26, 3, 41, 13, 42}, {26, 17, 42, 0, 0}, {28, 17, 46, 0, 0}, {28, 4, 47, 14, 48}, {28, 6, 45, 14, 46},
	{28, 8, 47, 13, 48}, {28, 19, 46, 4, 47}, {28, 22, 45, 3, 46}, {28, 3, 45, 23, 46}, {28, 21, 45, 7, 46}, {28, 19, 47, 10, 48},
	{28, 2, 46, 29, 47}, {28, 10, 46, 23, 47}, {28, 14, 46, 21, 47}, {28, 14, 46, 23, 47}, {28, 12, 47, 26, 48}, {28, 6, 47, 34, 48},
	{28, 29, 46, 14, 47}, {28, 13, 46, 32, 47}, {28, 40, 47, 7, 48}, {28, 18, 47, 31, 48},
}

// GF(256) over x^8+x^4+x^3+x^2+1 for the Reed-Solomon codewords.
var gfExp, gfLog = func() (exp [512]byte, log [256]byte) {
	x := 1
	for i := range 255 {
		exp[i], exp[i+255] = byte(x), byte(x)
		log[x] = byte(i)
		if x <<= 1; x >= 256 {
			x ^= 0x11D
		}
	}
	return
}()

func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+int(gfLog[b])]
}

// qrGenerators[n] is the generator polynomial of n error correction
// codewords, (x-α^0)…(x-α^(n-1)), highest power first.
var qrGenerators = func() (g [31][]byte) {
	p := []byte{1}
	for n := 1; n <= 30; n++ {
		q := make([]byte, len(p)+1)
		copy(q, p)
		for j := 1; j < len(q); j++ {
			q[j] ^= gfMul(p[j-1], gfExp[n-1])
		}
		p, g[n] = q, q
	}
	return
}()

// qrECC is the remainder of data·x^n divided by the generator: the n
// error correction codewords of a block.
func qrECC(data []byte, n int) []byte {
	gen := qrGenerators[n]
	ecc := make([]byte, n)
	for _, d := range data {
		f := d ^ ecc[0]
		copy(ecc, ecc[1:])
		ecc[n-1] = 0
		for i := range n {
			ecc[i] ^= gfMul(gen[i+1], f)
		}
	}
	return ecc
}

// qrModules encodes content in byte mode at level M and returns the
// modules (dark = true), indexed x*dim+y, and the width dim.
func qrModules(content string) ([]bool, int, error) {
	version := 0
	for v := 1; v <= 40; v++ {
		countBits := 8
		if v >= 10 {
			countBits = 16
		}
		if qrDataBytes(v)*8 >= 4+len(content)*8+countBits {
			version = v
			break
		}
	}
	if version == 0 {
		return nil, 0, errors.New("iamemu: QR content too long")
	}
	vi := qrVersionM[version-1]
	total := qrDataBytes(version)

	// Mode, count, bytes, up to four zero bits, zero bits to a byte, pad bytes.
	var bits qrBits
	bits.add(4, 4)
	if version >= 10 {
		bits.add(len(content), 16)
	} else {
		bits.add(len(content), 8)
	}
	for i := 0; i < len(content); i++ {
		bits.add(int(content[i]), 8)
	}
	for i := 0; i < 4 && bits.n < total*8; i++ {
		bits.add(0, 1)
	}
	for bits.n%8 != 0 {
		bits.add(0, 1)
	}
	for i := 0; bits.n < total*8; i++ {
		if i%2 == 0 {
			bits.add(236, 8)
		} else {
			bits.add(17, 8)
		}
	}

	// Blocks with their error correction, interleaved.
	type block struct{ data, ecc []byte }
	var blocks []block
	pos := 0
	for g := range 2 {
		n, size := vi[1+2*g], vi[2+2*g]
		for range n {
			d := bits.b[pos : pos+size]
			pos += size
			blocks = append(blocks, block{d, qrECC(d, vi[0])})
		}
	}
	data := make([]byte, 0, total+len(blocks)*vi[0])
	for i := range max(vi[2], vi[4]) {
		for _, b := range blocks {
			if i < len(b.data) {
				data = append(data, b.data[i])
			}
		}
	}
	for i := range vi[0] {
		for _, b := range blocks {
			data = append(data, b.ecc[i])
		}
	}

	l := qrLayoutOf(version)
	if l.dim < 64 {
		return l.bestRows(data), l.dim, nil
	}
	return l.best(data), l.dim, nil
}

// qrLayout is what every code of one version shares: the function
// patterns, where the data modules go in placement order, and (for widths
// under 64) the same as bit rows and columns with each mask's pattern.
type qrLayout struct {
	dim   int
	base  []bool     // function patterns, format area light
	order [][2]uint8 // data modules (x, y) in placement order
	// Rows hold bit y of module (x, y) in word x, columns bit x in word y.
	baseRows, baseCols []uint64
	// maskRows[m] and maskCols[m] are what mask m flips: its pattern on the
	// data modules and its format bits.
	maskRows, maskCols [8][]uint64
}

// qrLayouts caches each version's layout, built on first use.
var qrLayouts [41]struct {
	once sync.Once
	l    *qrLayout
}

func qrLayoutOf(version int) *qrLayout {
	c := &qrLayouts[version]
	c.once.Do(func() { c.l = newQRLayout(version) })
	return c.l
}

func newQRLayout(version int) *qrLayout {
	dim := (version-1)*4 + 21
	base := make([]bool, dim*dim)     // function patterns
	occupied := make([]bool, dim*dim) // modules that hold no data
	setAll := func(x, y int, v bool) { occupied[x*dim+y] = true; base[x*dim+y] = v }

	// Finder patterns with their separators.
	for _, o := range [3][2]int{{0, 0}, {0, dim - 7}, {dim - 7, 0}} {
		for x := -1; x < 8; x++ {
			for y := -1; y < 8; y++ {
				v := (x == 0 || x == 6 || y == 0 || y == 6 || (x > 1 && x < 5 && y > 1 && y < 5)) && (x <= 6 && y <= 6 && x >= 0 && y >= 0)
				if px, py := x+o[0], y+o[1]; px >= 0 && px < dim && py >= 0 && py < dim {
					setAll(px, py, v)
				}
			}
		}
	}
	// Alignment patterns where nothing is drawn yet.
	places := qrAlignment(version, dim)
	for _, ax := range places {
		for _, ay := range places {
			if occupied[ax*dim+ay] {
				continue
			}
			for x := -2; x <= 2; x++ {
				for y := -2; y <= 2; y++ {
					setAll(x+ax, y+ay, x == -2 || x == 2 || y == -2 || y == 2 || (x == 0 && y == 0))
				}
			}
		}
	}
	// Timing patterns and the dark module.
	for i := range dim {
		if !occupied[i*dim+6] {
			setAll(i, 6, i%2 == 0)
		}
		if !occupied[6*dim+i] {
			setAll(6, i, i%2 == 0)
		}
	}
	setAll(8, dim-8, true)
	// Version information (versions 7 and up).
	if version >= 7 {
		info := version<<12 | qrBCH(version, 0x1F25, 12)
		for i := range 18 {
			v := info>>i&1 == 1
			x, y := dim-11+i%3, i/3
			setAll(x, y, v)
			setAll(y, x, v)
		}
	}
	// Format information positions (filled per mask).
	qrFormat(dim, 0x7FFF, func(x, y int, _ bool) { occupied[x*dim+y] = true })

	// Data modules in placement order.
	l := &qrLayout{dim: dim, base: base}
	x, y, up := dim-1, dim-1, true
	for {
		for _, p := range [2][2]int{{x, y}, {x - 1, y}} {
			if !occupied[p[0]*dim+p[1]] {
				l.order = append(l.order, [2]uint8{uint8(p[0]), uint8(p[1])})
			}
		}
		if up {
			y--
			if y < 0 {
				y, x, up = 0, x-2, false
				if x == 6 {
					x--
				}
				if x < 0 {
					break
				}
			}
		} else {
			y++
			if y >= dim {
				y, x, up = dim-1, x-2, true
				if x == 6 {
					x--
				}
				if x < 0 {
					break
				}
			}
		}
	}
	if dim >= 64 {
		return l
	}
	l.baseRows, l.baseCols = make([]uint64, dim), make([]uint64, dim)
	for x := range dim {
		for y := range dim {
			if base[x*dim+y] {
				l.baseRows[x] |= 1 << y
				l.baseCols[y] |= 1 << x
			}
		}
	}
	for mask := range 8 {
		rows, cols := make([]uint64, dim), make([]uint64, dim)
		flip := func(x, y int) { rows[x] ^= 1 << y; cols[y] ^= 1 << x }
		qrFormat(dim, qrFormatBits(mask), func(x, y int, v bool) {
			if v {
				flip(x, y)
			}
		})
		for _, p := range l.order {
			if qrMaskBit(mask, int(p[0]), int(p[1])) {
				flip(int(p[0]), int(p[1]))
			}
		}
		l.maskRows[mask], l.maskCols[mask] = rows, cols
	}
	return l
}

// qrFormatBits is the 15-bit format information of mask at level M, whose
// two indicator bits are 00: the mask's BCH code under the fixed XOR
// pattern.
func qrFormatBits(mask int) int { return (mask<<10 | qrBCH(mask, 0x537, 10)) ^ 0x5412 }

// best places data under each mask and returns the modules of the one of
// lowest penalty (the first of equal ones), indexed x*dim+y.
func (l *qrLayout) best(data []byte) []bool {
	dim := l.dim
	best, bestPenalty := []bool(nil), uint(math.MaxUint)
	cand := make([]bool, dim*dim)
	for mask := range 8 {
		copy(cand, l.base)
		qrFormat(dim, qrFormatBits(mask), func(x, y int, v bool) { cand[x*dim+y] = v })
		for i, p := range l.order {
			bit := i < len(data)*8 && (data[i/8]>>(7-i%8))&1 == 1
			cand[int(p[0])*dim+int(p[1])] = bit != qrMaskBit(mask, int(p[0]), int(p[1]))
		}
		if p := qrPenalty(cand, dim); p < bestPenalty {
			bestPenalty = p
			best = append(best[:0], cand...)
		}
	}
	return best
}

// bestRows is best on bit rows and columns, for widths under 64: the data
// is placed once, each mask is a XOR of its cached pattern, and the
// penalty rules run on whole lines at a time (qrPenaltyRows).
func (l *qrLayout) bestRows(data []byte) []bool {
	dim := l.dim
	buf := make([]uint64, 4*dim)
	rows, cols, cr, cc := buf[:dim], buf[dim:2*dim], buf[2*dim:3*dim], buf[3*dim:]
	copy(rows, l.baseRows)
	copy(cols, l.baseCols)
	for i, p := range l.order[:min(len(l.order), len(data)*8)] {
		if data[i/8]>>(7-i%8)&1 == 1 {
			rows[p[0]] |= 1 << p[1]
			cols[p[1]] |= 1 << p[0]
		}
	}
	bestMask, bestPenalty := 0, uint(math.MaxUint)
	for mask := range 8 {
		mr, mc := l.maskRows[mask], l.maskCols[mask]
		for i := range dim {
			cr[i], cc[i] = rows[i]^mr[i], cols[i]^mc[i]
		}
		if p := qrPenaltyRows(cr, cc, dim); p < bestPenalty {
			bestMask, bestPenalty = mask, p
		}
	}
	out := make([]bool, dim*dim)
	mr := l.maskRows[bestMask]
	for x := range dim {
		r := rows[x] ^ mr[x]
		for y := range dim {
			out[x*dim+y] = r>>y&1 == 1
		}
	}
	return out
}

func qrDataBytes(version int) int {
	vi := qrVersionM[version-1]
	return vi[1]*vi[2] + vi[3]*vi[4]
}

// qrBits is a bit writer, most significant bit first.
type qrBits struct {
	b []byte
	n int
}

func (q *qrBits) add(v, count int) {
	for i := count - 1; i >= 0; i-- {
		if q.n%8 == 0 {
			q.b = append(q.b, 0)
		}
		if v>>i&1 == 1 {
			q.b[q.n/8] |= 0x80 >> (q.n % 8)
		}
		q.n++
	}
}

// qrBCH is the remainder of data·x^deg divided by the generator poly.
func qrBCH(data, poly, deg int) int {
	v := data << deg
	for i := 31; i >= deg; i-- {
		if v>>i&1 == 1 {
			v ^= poly << (i - deg)
		}
	}
	return v
}

// qrFormat places the 15 format bits (bit 14 first) around the finders.
func qrFormat(dim, f int, set func(x, y int, v bool)) {
	bit := func(i int) bool { return f>>(14-i)&1 == 1 }
	near := [15][2]int{{0, 8}, {1, 8}, {2, 8}, {3, 8}, {4, 8}, {5, 8}, {7, 8}, {8, 8}, {8, 7}, {8, 5}, {8, 4}, {8, 3}, {8, 2}, {8, 1}, {8, 0}}
	for i, p := range near {
		set(p[0], p[1], bit(i))
	}
	for i := range 7 {
		set(8, dim-1-i, bit(i))
	}
	for i := 7; i < 15; i++ {
		set(dim-15+i, 8, bit(i))
	}
}

// qrAlignment is where alignment patterns are centred, computed as
// boombuler/barcode does (the images must match it).
func qrAlignment(version, dim int) []int {
	if version == 1 {
		return nil
	}
	first, last := 6, dim-7
	count := int(math.Ceil(float64(last-first)/28)) + 1
	out := make([]int, count)
	out[0], out[count-1] = first, last
	if count > 2 {
		step := int(math.Ceil(float64(last-first) / float64(count-1)))
		if step%2 == 1 {
			frac := float64(last-first) / float64(count-1)
			if _, f := math.Modf(frac); f >= 0.5 {
				frac = math.Ceil(frac)
			} else {
				frac = math.Floor(frac)
			}
			if int(frac)%2 == 0 {
				step--
			} else {
				step++
			}
		}
		for i := 1; i <= count-2; i++ {
			out[i] = last - step*(count-1-i)
		}
	}
	return out
}

func qrMaskBit(mask, x, y int) bool {
	switch mask {
	case 0:
		return (y+x)%2 == 0
	case 1:
		return y%2 == 0
	case 2:
		return x%3 == 0
	case 3:
		return (y+x)%3 == 0
	case 4:
		return (y/2+x/3)%2 == 0
	case 5:
		return (y*x)%2+(y*x)%3 == 0
	case 6:
		return ((y*x)%2+(y*x)%3)%2 == 0
	default:
		return ((y+x)%2+(y*x)%3)%2 == 0
	}
}

// qrPenalty scores a masked code with boombuler/barcode's four rules (runs
// of five or more, 2×2 blocks, finder-like patterns, dark share).
func qrPenalty(m []bool, dim int) uint {
	get := func(x, y int) bool { return m[x*dim+y] }
	var result uint
	// Rule 1.
	for x := range dim {
		checkX, checkY := false, false
		var cntX, cntY uint
		for y := range dim {
			if get(x, y) == checkX {
				cntX++
			} else {
				checkX = !checkX
				if cntX >= 5 {
					result += cntX - 2
				}
				cntX = 1
			}
			if get(y, x) == checkY {
				cntY++
			} else {
				checkY = !checkY
				if cntY >= 5 {
					result += cntY - 2
				}
				cntY = 1
			}
		}
		if cntX >= 5 {
			result += cntX - 2
		}
		if cntY >= 5 {
			result += cntY - 2
		}
	}
	// Rule 2.
	for x := 0; x < dim-1; x++ {
		for y := 0; y < dim-1; y++ {
			c := get(x, y)
			if get(x, y+1) == c && get(x+1, y) == c && get(x+1, y+1) == c {
				result += 3
			}
		}
	}
	// Rule 3: either finder-like pattern, 11 modules along x (fixed y) or
	// along y (fixed x), each match 40; an 11-bit window slides along
	// every line in both directions.
	const pattern1, pattern2 = 0b10111010000, 0b00001011101
	for line := range dim {
		var wx, wy int
		for i := range dim {
			wx = (wx<<1 | b2i(m[i*dim+line])) & 0x7FF
			wy = (wy<<1 | b2i(m[line*dim+i])) & 0x7FF
			if i >= 10 {
				if wx == pattern1 || wx == pattern2 {
					result += 40
				}
				if wy == pattern1 || wy == pattern2 {
					result += 40
				}
			}
		}
	}
	// Rule 4.
	dark := 0
	for _, v := range m {
		if v {
			dark++
		}
	}
	perc := float64(dark) * 100 / float64(len(m))
	floor := math.Abs(math.Floor(perc/5) - 10)
	ceil := math.Abs(math.Ceil(perc/5) - 10)
	return result + uint(math.Min(floor, ceil)*10)
}

// qrPenaltyRows is qrPenalty on a code of width dim < 64 held as bit rows
// (bit y of rows[x] is module (x, y)) and columns (bit x of cols[y]),
// scoring each rule over a whole line with word operations.
func qrPenaltyRows(rows, cols []uint64, dim int) uint {
	var result uint
	low := func(n int) uint64 { return 1<<n - 1 }
	line := func(l uint64) {
		// Rule 1: a run of n ≥ 5 equal modules costs n-2: it holds n-4
		// windows of five equal modules, plus 2 for its first window.
		eq := ^(l ^ (l >> 1)) & low(dim-1) // module i equals module i+1
		five := eq & (eq >> 1) & (eq >> 2) & (eq >> 3)
		result += uint(bits.OnesCount64(five) + 2*bits.OnesCount64(five&^(five<<1)))
		// Rule 3: a finder-like pattern starting at module i, 40 each:
		// dark, light, dark ×3, light, dark, light ×4, or the reverse. Bit
		// k of a pattern's match word is set where module i+k fits.
		n := ^l
		core := (l >> 4) & (n >> 5) & (l >> 6)
		p1 := l & (n >> 1) & (l >> 2) & (l >> 3) & core & (n >> 7) & (n >> 8) & (n >> 9) & (n >> 10)
		p2 := n & (n >> 1) & (n >> 2) & (n >> 3) & core & (l >> 7) & (l >> 8) & (n >> 9) & (l >> 10)
		result += 40 * uint(bits.OnesCount64(p1&low(dim-10))+bits.OnesCount64(p2&low(dim-10)))
	}
	dark := 0
	for i := range dim {
		line(rows[i])
		line(cols[i])
		dark += bits.OnesCount64(rows[i])
	}
	// Rule 2: 2×2 blocks of one colour, 3 each.
	for x := 0; x < dim-1; x++ {
		a, b := rows[x], rows[x+1]
		same := ^(a ^ b)
		result += 3 * uint(bits.OnesCount64(same&(same>>1)&^(a^(a>>1))&low(dim-1)))
	}
	// Rule 4.
	perc := float64(dark) * 100 / float64(dim*dim)
	floor := math.Abs(math.Floor(perc/5) - 10)
	ceil := math.Abs(math.Ceil(perc/5) - 10)
	return result + uint(math.Min(floor, ceil)*10)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
