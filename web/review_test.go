package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
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

// TestConsoleSignInIsALink: the walkthrough's first step and the done page
// link the console's sign-in page (a new employee who has never seen AWS
// should not have to copy an address out of a sentence), in a new tab so
// the step stays open, in both languages.
func TestConsoleSignInIsALink(t *testing.T) {
	const signin = "https://123456789012.signin.aws.amazon.com/console"
	for _, lang := range []Lang{EN, JA} {
		ctx := WithLang(context.Background(), lang)
		for name, page := range map[string]templ.Component{
			"walkthrough": ConsolePage(ConsoleView{UserName: "hana", SigninURL: signin, Account: "123456789012"}),
			"done":        DonePage(DoneView{UserName: "hana", SigninURL: signin, Serial: "arn:aws:iam::123456789012:mfa/hana"}),
		} {
			var buf bytes.Buffer
			if err := page.Render(ctx, &buf); err != nil {
				t.Fatal(err)
			}
			doc, err := goquery.NewDocumentFromReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			a := doc.Find(`main a[href="` + signin + `"]`)
			if a.Length() != 1 || a.AttrOr("target", "") != "_blank" || !strings.Contains(a.AttrOr("rel", ""), "noopener") || strings.TrimSpace(a.Text()) == "" {
				t.Errorf("%s %s: the sign-in page is linked %d times (target %q, rel %q, text %q)", lang, name, a.Length(), a.AttrOr("target", ""), a.AttrOr("rel", ""), a.Text())
			}
		}
	}
}

// TestPostureOffersAFixOnlyWithSomeoneToFix: a failing control whose users
// Gatehouse all manages already lists them with a link, and offers no
// "Adopt and invite the selected users" button with nobody to select.
func TestPostureOffersAFixOnlyWithSomeoneToFix(t *testing.T) {
	for _, tc := range []struct {
		users []ControlUser
		fix   bool
	}{
		{[]ControlUser{{Name: "hana", Managed: true}, {Name: "ken", Managed: true}}, false},
		{[]ControlUser{{Name: "hana", Managed: true}, {Name: "legacy"}}, true},
	} {
		var buf bytes.Buffer
		c := ControlView{ID: "iam_user_mfa_enabled_console_access", Result: "fail", Fix: "adopt", CanFix: true, Users: tc.users}
		if err := controlUsers(c, "").Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(buf.String(), `data-testid="fix"`); got != tc.fix {
			t.Errorf("users %+v: the adopt button is shown: %v, want %v", tc.users, got, tc.fix)
		}
	}
}
