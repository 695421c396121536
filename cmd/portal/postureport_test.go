package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gatehouse/portal/onboarding"
)

// The weekly posture report's recipients: addresses with an optional
// language each, the default language from PORTAL_POSTURE_REPORT_LANG;
// anything else is refused at start in words that name the variable.
func TestPostureReportRecipientsFromEnv(t *testing.T) {
	smtp := map[string]string{"PORTAL_SMTP_HOST": "mail.example.com", "PORTAL_SMTP_FROM": "gatehouse@example.com"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range smtp {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	lc, _, err := lifecycleFromEnv(envMap(with("PORTAL_POSTURE_REPORT_TO", " sec@example.com, 監査 <x@example.jp>:ja ,ops@example.jp:ja", "PORTAL_POSTURE_REPORT_LANG", "")), "https://gh.example")
	if err == nil {
		t.Fatalf("a display name was accepted as an address: %+v", lc.ReportTo)
	}
	lc, _, err = lifecycleFromEnv(envMap(with("PORTAL_POSTURE_REPORT_TO", " sec@example.com, ops@example.jp:ja,", "PORTAL_POSTURE_REPORT_LANG", "ja")), "https://gh.example")
	if err != nil {
		t.Fatal(err)
	}
	if want := []onboarding.ReportRecipient{{To: "sec@example.com", Lang: "ja"}, {To: "ops@example.jp", Lang: "ja"}}; !reflect.DeepEqual(lc.ReportTo, want) {
		t.Fatalf("recipients %+v, want %+v", lc.ReportTo, want)
	}
	lc, _, _ = lifecycleFromEnv(envMap(with("PORTAL_POSTURE_REPORT_TO", "sec@example.com")), "https://gh.example")
	if len(lc.ReportTo) != 1 || lc.ReportTo[0].Lang != "en" {
		t.Fatalf("default language: %+v", lc.ReportTo)
	}
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"PORTAL_POSTURE_REPORT_TO": "sec@example.com"}, "PORTAL_POSTURE_REPORT_TO is set but PORTAL_SMTP_HOST is not"},
		{with("PORTAL_POSTURE_REPORT_TO", "sec@example.com:de"), "the language after the colon must be en or ja"},
		{with("PORTAL_POSTURE_REPORT_TO", "security team"), `"security team" is not an e-mail address`},
		{with("PORTAL_POSTURE_REPORT_TO", "sec@example.com", "PORTAL_POSTURE_REPORT_LANG", "fr"), `PORTAL_POSTURE_REPORT_LANG="fr": use en or ja`},
	} {
		if _, _, err := lifecycleFromEnv(envMap(c.env), "https://gh.example"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.env, err, c.want)
		}
	}
}
