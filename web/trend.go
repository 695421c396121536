package web

import (
	"strconv"
	"strings"
)

// trendGeo is the drawing of the MFA-coverage trend: a line over 0–100 %
// with one dot per day, in a fixed coordinate space the SVG scales.
type trendGeo struct {
	ViewBox, W string
	Line       string
	Dots       []struct{ X, Y string }
	Grid       []struct{ Y, LabelY, Label string }
}

const trendW, trendH, trendPad = 600.0, 200.0, 10.0

func coord(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// trendGeometry places the points evenly from left to right (one per day
// with a snapshot), 100 % at the top.
func trendGeometry(points []TrendPoint) trendGeo {
	g := trendGeo{ViewBox: "0 0 " + coord(trendW) + " " + coord(trendH), W: coord(trendW)}
	y := func(pct float64) float64 { return trendPad + (100-pct)*(trendH-2*trendPad)/100 }
	left, right := 40.0, trendW-trendPad
	var line []string
	for i, p := range points {
		x := (left + right) / 2
		if len(points) > 1 {
			x = left + float64(i)*(right-left)/float64(len(points)-1)
		}
		line = append(line, coord(x)+","+coord(y(p.Coverage)))
		g.Dots = append(g.Dots, struct{ X, Y string }{coord(x), coord(y(p.Coverage))})
	}
	g.Line = strings.Join(line, " ")
	for _, pct := range []float64{0, 50, 100} {
		g.Grid = append(g.Grid, struct{ Y, LabelY, Label string }{coord(y(pct)), coord(y(pct) + 4), Percent(pct)})
	}
	return g
}
