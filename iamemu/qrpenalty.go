package iamemu

// Mask scoring: the penalty of a masked QR code, by which the encoder picks
// the mask, as boombuler/barcode (and so pquerna/otp) scores it.

import (
	"math"
	"math/bits"
)

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
