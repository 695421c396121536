// Package safecsv writes the CSV files people download (users, the audit
// log, bulk onboarding results) so that opening one in a spreadsheet runs
// nothing: every export goes through this one writer.
//
// A spreadsheet reads a cell that starts with = + - or @ (or a tab or a
// line break before one of them) as a formula, so a display name such as
// =HYPERLINK("https://evil.example","Click") would become a live link, or
// worse, in the helpdesk's Excel (OWASP "CSV injection"). Such a cell gets
// a leading apostrophe, which spreadsheets show as text and do not display.
package safecsv

import (
	"encoding/csv"
	"io"
	"strings"
	"unicode"
)

// Writer writes formula-safe CSV records (RFC 4180, UTF-8).
type Writer struct{ w *csv.Writer }

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one record, each cell made safe by Cell.
func (w *Writer) Write(record ...string) error {
	safe := make([]string, len(record))
	for i, c := range record {
		safe[i] = Cell(c)
	}
	return w.w.Write(safe)
}

// Flush writes what is buffered and returns the first error of any write.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}

// Cell returns c so that no spreadsheet reads it as a formula: a cell whose
// first character other than white space is one that starts a formula
// (= + - @, and their full-width forms, which Japanese input produces) or
// is a control character gets a leading apostrophe.
func Cell(c string) string {
	first := strings.TrimLeft(c, " ")
	if first == "" {
		return c
	}
	r := []rune(first)[0]
	if strings.ContainsRune("=+-@＝＋－＠", r) || unicode.IsControl(r) {
		return "'" + c
	}
	return c
}
