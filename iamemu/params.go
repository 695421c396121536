package iamemu

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// params are the decoded Query parameters of one request.
type params map[string][]string

func (p params) get(key string) string {
	if v := p[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (p params) has(key string) bool { _, ok := p[key]; return ok }

// list reads Name.member.1, Name.member.2, … (IAM lists are never
// flattened). A bare "Name=" is the SDK's empty-list sentinel and yields an
// empty, non-nil slice; a missing list yields nil.
func (p params) list(name string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := p[fmt.Sprintf("%s.member.%d", name, i)]
		if !ok {
			break
		}
		out = append(out, v[0])
	}
	if out == nil && p.has(name) {
		out = []string{}
	}
	return out
}

// tags reads Tags.member.N.Key / .Value.
func (p params) tags() []tag {
	var out []tag
	for i := 1; ; i++ {
		prefix := fmt.Sprintf("Tags.member.%d.", i)
		k, kok := p[prefix+"Key"]
		v, vok := p[prefix+"Value"]
		if !kok && !vok {
			break
		}
		t := tag{}
		if kok {
			t.Key = k[0]
		}
		if vok {
			t.Value = v[0]
		}
		out = append(out, t)
	}
	return out
}

// boolean reads a boolean; the SDK omits false non-pointer booleans, so a
// missing key is false.
func (p params) boolean(key string) (bool, *apiError) {
	v := p.get(key)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, validationErr(fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must be a boolean", v, lowerFirst(key)))
	}
	return b, nil
}

// integer reads an optional integer within [min, max]; def if absent.
func (p params) integer(key string, def, min, max int) (int, *apiError) {
	v := p.get(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	member := lowerFirst(key)
	if err != nil {
		return 0, validationErr(fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must be an integer", v, member))
	}
	if n < min {
		return 0, validationErr(fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", n, member, min))
	}
	if n > max {
		return 0, validationErr(fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", n, member, max))
	}
	return n, nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// page is one page of a listing.
type page struct {
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

// paginate returns this request's page (Marker, MaxItems) of items, in the
// order of key, which must be unique per item. It sorts by key itself, so
// the order of a listing and the meaning of its markers cannot disagree
// (ListAccessKeys once listed by creation but searched markers by another
// key, so page 2 repeated page 1 and SDK paginators never stopped). Markers
// are opaque base64 of the next item's key, so deletions between pages
// neither skip nor repeat items.
func paginate[T any](p params, items []T, key func(T) string) ([]T, page, *apiError) {
	max, aerr := p.integer("MaxItems", 100, 1, 1000)
	if aerr != nil {
		return nil, page{}, aerr
	}
	type keyed struct {
		k    string
		item T
	}
	ks := make([]keyed, len(items))
	for i, it := range items {
		ks[i] = keyed{key(it), it}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return strings.Compare(a.k, b.k) })
	start := 0
	if p.has("Marker") {
		raw, err := base64.RawURLEncoding.DecodeString(p.get("Marker"))
		if err != nil || !strings.HasPrefix(string(raw), "m1:") {
			return nil, page{}, errf("ValidationError", "Invalid Marker.")
		}
		from := strings.TrimPrefix(string(raw), "m1:")
		start, _ = slices.BinarySearchFunc(ks, from, func(e keyed, t string) int { return strings.Compare(e.k, t) })
	}
	end := min(start+max, len(ks))
	out := make([]T, 0, end-start)
	for _, e := range ks[start:end] {
		out = append(out, e.item)
	}
	if end == len(ks) {
		return out, page{}, nil
	}
	next := base64.RawURLEncoding.EncodeToString([]byte("m1:" + ks[end].k))
	return out, page{IsTruncated: true, Marker: next}, nil
}

// seqKey is a paginate key that keeps creation order.
func seqKey(seq int64) string { return fmt.Sprintf("%020d", seq) }

// sortBySeq sorts items into creation order.
func sortBySeq[T any](items []T, seq func(T) int64) {
	slices.SortFunc(items, func(a, b T) int { return cmp.Compare(seq(a), seq(b)) })
}
