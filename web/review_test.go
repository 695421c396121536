package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestBulkSampleIsACSVFile: the sample on the upload page is what a file
// holds, a header line and a row on lines of their own (templ joins the
// lines of literal text, which showed both as one line), with the columns
// the page asks for.
func TestBulkSampleIsACSVFile(t *testing.T) {
	var buf bytes.Buffer
	if err := BulkUploadPage(BulkUploadView{}).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sample := doc.Find(`main pre code`).Text()
	rows, err := csv.NewReader(strings.NewReader(sample)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("the sample %q reads as %d rows (%v), want a header and a row", sample, len(rows), err)
	}
	if got := strings.Join(rows[0], ","); got != "user_name,display_name,email,deadline" {
		t.Errorf("the sample's header is %q", got)
	}
}
