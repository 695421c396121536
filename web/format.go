package web

import "time"

// Times are shown to people in UTC, in these forms; the zero time shows as
// nothing.

// DateLayout is the layout of Date, and of the value of <input type="date">.
const DateLayout = "2006-01-02"

// Date formats a day: "2026-11-28".
func Date(t time.Time) string { return format(t, DateLayout) }

// Time formats a moment to the minute: "2026-11-28 09:30 UTC".
func Time(t time.Time) string { return format(t, "2006-01-02 15:04 UTC") }

// Stamp formats the moment of an event to the second, as logs and timelines
// show it: "2026-11-28 09:30:05".
func Stamp(t time.Time) string { return format(t, "2006-01-02 15:04:05") }

// Clock formats a time of day: "09:30:05 UTC".
func Clock(t time.Time) string { return format(t, "15:04:05 UTC") }

func format(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(layout)
}
