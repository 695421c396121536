package main

import (
	"io"
	"strings"
	"testing"
)

func TestServeConfigIAMRate(t *testing.T) {
	key := strings.Repeat("k", 32)
	for _, c := range []struct {
		name, value string
		want        float64
		err         string
	}{
		{"unset means no pacing", "", 0, ""},
		{"a whole number", "20", 20, ""},
		{"a fraction", "2.5", 2.5, ""},
		{"not a number", "fast", 0, `PORTAL_IAM_RATE="fast" is not a number from 0.1 to 10000`},
		{"zero", "0", 0, `PORTAL_IAM_RATE="0" is not a number from 0.1 to 10000`},
		{"not a real number", "NaN", 0, `PORTAL_IAM_RATE="NaN" is not a number`},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := parseServe(nil, envMap(map[string]string{"PORTAL_SECRET_KEY": key, "PORTAL_BASE_URL": "https://gatehouse.example.com", "PORTAL_IAM_RATE": c.value}), io.Discard)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.iamRate; got != c.want {
				t.Fatalf("iamRate = %v, want %v", got, c.want)
			}
		})
	}
}
