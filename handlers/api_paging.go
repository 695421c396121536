package handlers

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/gatehouse/portal"
)

// API list paging: every list takes limit (1–500, default 50) and after,
// the cursor of the page before (the "next" of its answer). Cursors are
// keys, not offsets, so a row added or removed meanwhile never shifts a
// page.
const (
	apiLimitDefault = 50
	apiLimitMax     = 500
)

// apiLimit reads the limit query parameter.
func apiLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return apiLimitDefault, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > apiLimitMax {
		return 0, portal.FieldE("limit", "err.api.limit")
	}
	return n, nil
}

// apiAfterID reads an after cursor that is a numeric ID (0 when absent).
func apiAfterID(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("after")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, portal.FieldE("after", "err.api.after")
	}
	return n, nil
}

// keyset returns the page of items after the cursor after (all from the
// start when hasAfter is false), in key order, and whether another page
// follows. It pages lists the store returns whole (a few hundred rows at
// most: operators, tokens, devices, candidates, a bulk job's rows).
func keyset[T any, K cmp.Ordered](items []T, key func(T) K, after K, hasAfter bool, limit int) ([]T, bool) {
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
	out := []T{}
	for _, it := range sorted {
		if hasAfter && key(it) <= after {
			continue
		}
		if len(out) == limit {
			return out, true
		}
		out = append(out, it)
	}
	return out, false
}

// pageParams reads limit and a string cursor.
func pageParams(r *http.Request) (limit int, after string, err error) {
	limit, err = apiLimit(r)
	return limit, r.URL.Query().Get("after"), err
}
