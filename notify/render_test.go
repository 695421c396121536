package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal/onboarding"
)

// Every e-mail renders in both languages from its catalog template: the
// user name and the link are in it, no template or fmt artefact is left,
// and the deadline shows only where the notice has one.
func TestEveryMailRendersInBothLanguages(t *testing.T) {
	deadline := time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC)
	for _, kind := range kinds {
		for _, lang := range []string{"en", "ja"} {
			n := onboarding.Notice{Kind: kind, Lang: lang, UserName: "taro", InviteURL: "https://gh.example/invite/x", Deadline: deadline}
			subject, body, err := render(n, "https://gh.example")
			if err != nil {
				t.Fatalf("%s/%s: %v", kind, lang, err)
			}
			if subject == "" || !strings.Contains(body, "taro") || !strings.Contains(body, "https://gh.example") {
				t.Errorf("%s/%s: subject %q, body %q", kind, lang, subject, body)
			}
			for _, bad := range []string{"{{", "}}", "%!", "<no value>"} {
				if strings.Contains(body, bad) {
					t.Errorf("%s/%s: body holds %q: %q", kind, lang, bad, body)
				}
			}
			if (kind != onboarding.NoticeEnrolled) != strings.Contains(body, "2026-12-24 09:00 UTC") {
				t.Errorf("%s/%s: deadline shown wrongly: %q", kind, lang, body)
			}
		}
	}
	if _, _, err := render(onboarding.Notice{Kind: "nonsense"}, ""); err == nil {
		t.Error("an unknown notice kind renders")
	}
}
