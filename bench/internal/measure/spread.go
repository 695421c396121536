package measure

import (
	"fmt"
	"slices"
)

// Spread is the minimum, median and maximum of repeated measurements.
type Spread struct{ Min, Median, Max float64 }

// SpreadOf returns the spread of vs (zero for none). The median of an even
// count is the mean of the middle two.
func SpreadOf(vs []float64) Spread {
	if len(vs) == 0 {
		return Spread{}
	}
	s := slices.Sorted(slices.Values(vs))
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + m) / 2
	}
	return Spread{s[0], m, s[len(s)-1]}
}

// Format writes the spread with verb (e.g. "%.1f") as "min–median–max", or
// one value when all three are equal.
func (s Spread) Format(verb string) string {
	if s.Min == s.Max {
		return fmt.Sprintf(verb, s.Median)
	}
	return fmt.Sprintf(verb+"–"+verb+"–"+verb, s.Min, s.Median, s.Max)
}
