package policy

import (
	"slices"
	"strings"
	"testing"
)

func TestInPartition(t *testing.T) {
	t.Run("aws leaves the seed byte for byte", func(t *testing.T) {
		if InPartition(Seed, "aws") != Seed || InPartition(Seed, "") != Seed {
			t.Fatal("the standard partition changed the seed")
		}
	})
	for _, p := range []string{"aws-us-gov", "aws-cn"} {
		t.Run(p+" rewrites every resource and nothing else", func(t *testing.T) {
			doc := InPartition(Seed, p)
			if strings.Contains(doc, `"arn:aws:`) {
				t.Fatalf("an arn:aws: resource is left:\n%s", doc)
			}
			if got, want := strings.Count(doc, `"arn:`+p+`:iam::*:`), strings.Count(Seed, `"arn:aws:iam::*:`); got != want || want == 0 {
				t.Fatalf("%d resources in %s form, want %d", got, p, want)
			}
			if got, want := strings.Count(doc, "\n"), strings.Count(Seed, "\n"); got != want {
				t.Fatalf("layout changed: %d lines, want %d", got, want)
			}
			if _, err := Parse(doc); err != nil {
				t.Fatal(err)
			}
		})
		t.Run(p+" form lints like the seed does in aws", func(t *testing.T) {
			want := findingIDs(Lint(MustParseSeed(), LintOptions{UserPath: "/team/", PasswordResetRequired: true}))
			got := findingIDs(Lint(mustParse(t, InPartition(Seed, p)), LintOptions{Partition: p, UserPath: "/team/", PasswordResetRequired: true}))
			if !slices.Equal(got, want) {
				t.Fatalf("findings in %s = %v, want %v (as for the seed in aws)", p, got, want)
			}
		})
		t.Run(p+" user is not granted anything by the aws form", func(t *testing.T) {
			// The reason the rewrite exists: the unconverted seed gives a
			// GovCloud or China user nothing, so enrollment is blocked.
			got := findingIDs(Lint(MustParseSeed(), LintOptions{Partition: p}))
			if !slices.Contains(got, "mfa-enrollment-blocked") {
				t.Fatalf("findings = %v, want mfa-enrollment-blocked", got)
			}
		})
	}
}
