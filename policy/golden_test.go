package policy

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// goldenCase is one row of testdata/policy-golden.json
// (docs/policy-evaluation.md#golden-tests), kept in the repository so CI
// needs nothing outside it.
type goldenCase struct {
	ID                  string            `json:"id"`
	ContextKind         string            `json:"contextKind"`
	PrincipalArn        string            `json:"principalArn"`
	Action              string            `json:"action"`
	Resource            string            `json:"resource"`
	Context             map[string]string `json:"context"`
	ExpectedDecision    string            `json:"expectedDecision"`
	ExpectedMatchedSids []string          `json:"expectedMatchedSids"`
}

func loadGolden(t *testing.T) []goldenCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/policy-golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		PolicyFile string       `json:"policyFile"`
		Cases      []goldenCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if got, want := file.PolicyFile, "seed-policy.json"; got != want {
		t.Fatalf("golden file evaluates %q, want %q", got, want)
	}
	if len(file.Cases) < 78 {
		t.Fatalf("golden file has %d cases, want at least 78", len(file.Cases))
	}
	return file.Cases
}

func TestGoldenSeedDecisions(t *testing.T) {
	seed := Source{ID: SeedName, Type: "user-managed", Doc: MustParseSeed()}
	for _, c := range loadGolden(t) {
		t.Run(c.ID, func(t *testing.T) {
			ctx := map[string][]string{}
			for k, v := range c.Context {
				ctx[k] = []string{v}
			}
			r := Evaluate(Request{Action: c.Action, Resource: c.Resource, Context: ctx}, seed)
			if got, want := r.Decision.String(), c.ExpectedDecision; got != want {
				t.Fatalf("decision = %s, want %s", got, want)
			}
			var sids []string
			for _, m := range r.Matched {
				sids = append(sids, m.Sid)
			}
			if got, want := sids, c.ExpectedMatchedSids; !slices.Equal(got, want) {
				t.Fatalf("matched Sids = %q, want %q", got, want)
			}
		})
	}
}

func TestSeedIsTheReferenceDocument(t *testing.T) {
	t.Run("embedded bytes equal policy-eval.md's seed-policy.json", func(t *testing.T) {
		// The reference copy lives outside the module in development only.
		ref, err := os.ReadFile("../../../shared/reference/seed-policy.json")
		if err != nil {
			t.Skip("shared reference not available:", err)
		}
		if got, want := Seed, string(ref); got != want {
			t.Fatalf("embedded seed differs from the reference")
		}
	})
	t.Run("seed has the seven documented statements", func(t *testing.T) {
		d := MustParseSeed()
		if got, want := len(d.Statements), 7; got != want {
			t.Fatalf("statements = %d, want %d", got, want)
		}
		if got, want := d.Statements[6].Sid, "DenyAllExceptListedIfNoMFA"; got != want {
			t.Fatalf("last Sid = %q, want %q", got, want)
		}
		if got, want := d.Statements[6].Start, (Position{Line: 8, Column: 1}); got != want {
			t.Fatalf("deny statement starts at %v, want %v", got, want)
		}
	})
}
