package iamemu

import (
	"errors"
	"math"
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
