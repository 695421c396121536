package awsiam

import (
	"context"
	"time"
)

// NewPacerWithClock is newPacer for the external tests: a pacer on a fake
// clock whose sleep is given by the test.
func NewPacerWithClock(rate float64, burst int, now func() time.Time, sleep func(context.Context, time.Duration) error) *Pacer {
	return newPacer(rate, burst, now, sleep)
}

// PacedBackoff exposes pacedBackoff.
var PacedBackoff = pacedBackoff
