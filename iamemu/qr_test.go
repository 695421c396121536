package iamemu

import (
	"bytes"
	"compress/zlib"
	"io"
	"math/rand/v2"
	"testing"
)

// TestQRPenaltyRows_MatchesQRPenalty holds the word-wise penalty against the
// module-wise one on every width it serves: real candidates (each version's
// function patterns, random data, every mask, so finder-like patterns and
// long runs occur) and random grids of varied density.
func TestQRPenaltyRows_MatchesQRPenalty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for version := 1; version <= 40; version++ {
		l := qrLayoutOf(version)
		dim := l.dim
		if dim >= 64 {
			if l.baseRows != nil {
				t.Fatalf("version %d (width %d) has bit rows", version, dim)
			}
			continue
		}
		for round := range 20 {
			grid := make([]bool, dim*dim)
			if round < 10 {
				// A real candidate under mask round%8.
				data := make([]byte, len(l.order)/8)
				for i := range data {
					data[i] = byte(rng.Uint32())
				}
				mask := round % 8
				copy(grid, l.base)
				qrFormat(dim, qrFormatBits(mask), func(x, y int, v bool) { grid[x*dim+y] = v })
				for i, p := range l.order {
					bit := i < len(data)*8 && (data[i/8]>>(7-i%8))&1 == 1
					grid[int(p[0])*dim+int(p[1])] = bit != qrMaskBit(mask, int(p[0]), int(p[1]))
				}
			} else {
				dark := rng.Float64()
				for i := range grid {
					grid[i] = rng.Float64() < dark
				}
			}
			rows, cols := make([]uint64, dim), make([]uint64, dim)
			for x := range dim {
				for y := range dim {
					if grid[x*dim+y] {
						rows[x] |= 1 << y
						cols[y] |= 1 << x
					}
				}
			}
			if got, want := qrPenaltyRows(rows, cols, dim), qrPenalty(grid, dim); got != want {
				t.Fatalf("version %d round %d: qrPenaltyRows = %d, qrPenalty = %d", version, round, got, want)
			}
		}
	}
}

// TestQRLayout_RowsAndModulePathsPickTheSameCode holds bestRows against
// best (the module-wise path that widths of 64 and more use) on random data
// for every version with bit rows.
func TestQRLayout_RowsAndModulePathsPickTheSameCode(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for version := 1; version <= 11; version++ {
		l := qrLayoutOf(version)
		for range 10 {
			data := make([]byte, len(l.order)/8)
			for i := range data {
				data[i] = byte(rng.Uint32())
			}
			got, want := l.bestRows(data), l.best(data)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("version %d: module %d differs", version, i)
				}
			}
		}
	}
}

// TestQRDeflate_RoundTrips decodes qrDeflate's stream with compress/zlib:
// rows repeated from 1 to 30 times (copies longer than 258 bytes, and
// lengths that leave 1 or 2 bytes over), runs of every length in a row, and
// bytes from both halves of the literal code.
func TestQRDeflate_RoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, rowLen := range []int{26, 13, 7, 258, 300} {
		var raw []byte
		for len(raw) < 8000 {
			row := make([]byte, rowLen)
			for i := 0; i < rowLen; {
				b, n := byte(rng.Uint32()), 1+rng.IntN(rowLen)
				for ; n > 0 && i < rowLen; n-- {
					row[i] = b
					i++
				}
			}
			for range 1 + rng.IntN(30) {
				raw = append(raw, row...)
			}
		}
		zr, err := zlib.NewReader(bytes.NewReader(qrDeflate(raw, rowLen)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("row length %d: %v", rowLen, err)
		}
		if !bytes.Equal(got, raw) {
			t.Fatalf("row length %d: decoded %d bytes differ from the %d written", rowLen, len(got), len(raw))
		}
	}
}
