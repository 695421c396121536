package web

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
)

func TestTimeFormats(t *testing.T) {
	at := time.Date(2026, 11, 28, 18, 30, 5, 0, time.FixedZone("JST", 9*3600))
	for _, tc := range []struct{ got, want string }{
		{Date(at), "2026-11-28"},
		{Time(at), "2026-11-28 09:30 UTC"},
		{Stamp(at), "2026-11-28 09:30:05"},
		{Clock(at), "09:30:05 UTC"},
		{Date(time.Time{}), ""},
		{Time(time.Time{}), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestPaths(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{string(UserPath("alice")), "/users/alice"},
		{string(UserPath("a.b@example+c", "offboard")), "/users/a.b@example+c/offboard"},
		{string(UserPath("a/b c")), "/users/a%2Fb%20c"},
		{string(UsersPath("")), "/users"},
		{string(UsersPath(portal.StatusMFARemoved)), "/users?status=mfa-removed"},
		{string(BulkJobPath(7)), "/users/bulk/7"},
		{string(BulkJobPath(7, "result.csv")), "/users/bulk/7/result.csv"},
		{string(OperatorPath(3, "role")), "/operators/3/role"},
		{string(TokenRevokePath(4, false)), "/tokens/4/revoke"},
		{string(TokenRevokePath(4, true)), "/operators/tokens/4/revoke"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// The status filter offers every status and every order, from the lists in
// package portal.
func TestUserFilterOffersEveryStatusAndOrder(t *testing.T) {
	var buf bytes.Buffer
	if err := UsersPage(UsersView{}).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	for _, s := range portal.Statuses {
		if !strings.Contains(buf.String(), `<option value="`+string(s)+`"`) {
			t.Errorf("the status filter does not offer %q", s)
		}
	}
	for _, s := range portal.UserSorts {
		if !strings.Contains(buf.String(), `<option value="`+string(s)+`"`) {
			t.Errorf("the list does not offer order %q", s)
		}
	}
}

// Views take their paths from paths.go, their lists of statuses from package
// portal, and handlers their date formats from format.go: no template builds
// a path by concatenation or spells out the statuses, and no handler carries
// a time layout of its own.
func TestViewsUseTheSharedHelpers(t *testing.T) {
	check := func(glob string, forbidden ...string) {
		files, err := filepath.Glob(glob)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %v (%d files)", glob, err, len(files))
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "_templ.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range forbidden {
				if strings.Contains(string(b), s) {
					t.Errorf("%s contains %q", f, s)
				}
			}
		}
	}
	check("*.templ", `templ.SafeURL("/`, `"mfa-removed"`, `"-name"`)
	check("../handlers/*.go", `"2006-01-02`, `"15:04:05`, `"/users/"+`, `"/users/bulk/"+`)
}
