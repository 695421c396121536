package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Drift detection compares what IAM stores with the seed. IAM keeps the
// text we upload, but tools (the console's visual editor, Terraform) may
// reorder lists, turn "x" into ["x"], or reformat. None of that changes a
// decision, so none of it counts as drift here. Spelling does: "IAM:getuser"
// and "iam:GetUser" are equivalent to the evaluator but shown as a change,
// because an administrator edited the text.

type normStatement struct {
	Sid         string                         `json:"Sid,omitempty"`
	Effect      Effect                         `json:"Effect"`
	Action      []string                       `json:"Action,omitempty"`
	NotAction   []string                       `json:"NotAction,omitempty"`
	Resource    []string                       `json:"Resource,omitempty"`
	NotResource []string                       `json:"NotResource,omitempty"`
	Condition   map[string]map[string][]string `json:"Condition,omitempty"`
}

type normDocument struct {
	Version   string          `json:"Version,omitempty"`
	Statement []normStatement `json:"Statement"`
}

// sortedSet returns the distinct strings of list in sorted order, keeping
// nil for nil so Action and NotAction stay distinguishable.
func sortedSet(list []string) []string {
	if list == nil {
		return nil
	}
	out := slices.Clone(list)
	slices.Sort(out)
	return slices.Compact(out)
}

func normalizeStatement(s Statement) normStatement {
	n := normStatement{
		Sid: s.Sid, Effect: s.Effect,
		Action: sortedSet(s.Action), NotAction: sortedSet(s.NotAction),
		Resource: sortedSet(s.Resource), NotResource: sortedSet(s.NotResource),
	}
	for _, c := range s.Conditions {
		if n.Condition == nil {
			n.Condition = map[string]map[string][]string{}
		}
		if n.Condition[c.Operator] == nil {
			n.Condition[c.Operator] = map[string][]string{}
		}
		n.Condition[c.Operator][c.Key] = sortedSet(append(n.Condition[c.Operator][c.Key], c.Values...))
	}
	return n
}

func marshalCanonical(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep "<" and "&" readable on the policy page
	if err := enc.Encode(v); err != nil {
		panic("policy: canonical encoding failed: " + err.Error()) // only strings, slices and maps
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Normalize returns doc as compact canonical JSON: statements always a list
// and sorted, every string-or-list field a sorted list without duplicates,
// conditions keyed in sorted order. Equivalent documents normalize to the
// same text, and the text parses back to an equal document.
func Normalize(doc *Document) string {
	if doc == nil {
		return "null"
	}
	n := normDocument{Version: doc.Version, Statement: []normStatement{}}
	for _, s := range doc.Statements {
		n.Statement = append(n.Statement, normalizeStatement(s))
	}
	sort.SliceStable(n.Statement, func(i, j int) bool {
		return marshalCanonical(n.Statement[i]) < marshalCanonical(n.Statement[j])
	})
	return marshalCanonical(n)
}

// Equal reports whether a and b are the same policy up to formatting, list
// order, duplicates in lists, string-or-list form and statement order.
func Equal(a, b *Document) bool {
	return Normalize(a) == Normalize(b)
}

// Difference is one change from document a to document b.
type Difference struct {
	// Statement names the statement: its Sid in quotes, or "#N" (1-based);
	// empty for document-level fields.
	Statement string
	// Field is "Version", "Effect", "Action", "NotAction", "Resource",
	// "NotResource", "Condition <operator> <key>", or "" when the whole
	// statement was added or removed.
	Field   string
	Removed []string // values only in a
	Added   []string // values only in b
}

// String renders the difference for the policy page, e.g.
// `statement "AllowManageOwnPasswords": Action: +"iam:GetLoginProfile"`.
func (d Difference) String() string {
	var parts []string
	for _, v := range d.Removed {
		parts = append(parts, "-"+fmt.Sprintf("%q", v))
	}
	for _, v := range d.Added {
		parts = append(parts, "+"+fmt.Sprintf("%q", v))
	}
	where := strings.TrimSpace("statement " + d.Statement)
	if d.Statement == "" {
		where = "policy"
	}
	if d.Field == "" {
		return where + ": " + strings.Join(parts, " ")
	}
	return where + ": " + d.Field + ": " + strings.Join(parts, " ")
}

// Diff lists what changed from a to b, statement by statement and field by
// field. Statements are paired by Sid; statements without a Sid pair with
// an identical statement, else in order. It returns nil when Equal(a, b).
func Diff(a, b *Document) []Difference {
	if Equal(a, b) {
		return nil
	}
	if a == nil || b == nil {
		return []Difference{{Removed: []string{Normalize(a)}, Added: []string{Normalize(b)}}}
	}
	var out []Difference
	if a.Version != b.Version {
		out = append(out, Difference{Field: "Version", Removed: nonEmpty(a.Version), Added: nonEmpty(b.Version)})
	}
	pairs, onlyA, onlyB := pairStatements(a.Statements, b.Statements)
	for _, p := range pairs {
		out = append(out, diffStatement(label(b.Statements, p[1]), a.Statements[p[0]], b.Statements[p[1]])...)
	}
	for _, i := range onlyA {
		out = append(out, Difference{Statement: label(a.Statements, i), Removed: []string{marshalCanonical(normalizeStatement(a.Statements[i]))}})
	}
	for _, j := range onlyB {
		out = append(out, Difference{Statement: label(b.Statements, j), Added: []string{marshalCanonical(normalizeStatement(b.Statements[j]))}})
	}
	return out
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func label(list []Statement, i int) string {
	if list[i].Sid != "" {
		return fmt.Sprintf("%q", list[i].Sid)
	}
	return fmt.Sprintf("#%d", i+1)
}
