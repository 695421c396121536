package portal

import "testing"

func TestLinks(t *testing.T) {
	l, err := NewLinks("https://gatehouse.example.com/")
	if err != nil {
		t.Fatal(err)
	}
	for got, want := range map[string]string{
		l.Invite("t1"): "https://gatehouse.example.com/invite/t1",
		l.Join("t2"):   "https://gatehouse.example.com/join/t2",
		l.Setup("t3"):  "https://gatehouse.example.com/setup/t3",
	} {
		if got != want {
			t.Errorf("link %q, want %q", got, want)
		}
	}
	if got := (Links{}).Invite("t"); got != "/invite/t" {
		t.Errorf("zero Links: %q, want a root-relative link", got)
	}
	for _, bad := range []string{"", "gatehouse.example.com", "ftp://x.example", "https://", "https://u:p@x.example", "https://x.example/?a=b", "javascript:alert(1)"} {
		if _, err := NewLinks(bad); ErrorCode(err) != EINVALID {
			t.Errorf("NewLinks(%q) = %v, want EINVALID", bad, err)
		}
	}
}
