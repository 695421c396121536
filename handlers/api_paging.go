package handlers

import (
	"cmp"
	"context"
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

// cursor is how a list's after parameter reads as a key of the list and
// how a key is written as the next page's after.
type cursor[K cmp.Ordered] struct {
	// read returns the key after which the page starts, and false when the
	// request asks for the first page.
	read  func(r *http.Request) (after K, ok bool, err error)
	write func(K) string
}

// The lists' cursors: a name (or serial), an ID (or a row number) in
// ascending order, and an ID newest first (the key is the negated ID).
var (
	byName = cursor[string]{
		read: func(r *http.Request) (string, bool, error) {
			after := r.URL.Query().Get("after")
			return after, after != "", nil
		},
		write: func(k string) string { return k },
	}
	byID = cursor[int64]{
		read: func(r *http.Request) (int64, bool, error) {
			after, err := apiAfterID(r)
			return after, after > 0, err
		},
		write: func(k int64) string { return strconv.FormatInt(k, 10) },
	}
	newestFirst = cursor[int64]{
		read: func(r *http.Request) (int64, bool, error) {
			after, err := apiAfterID(r)
			return -after, after > 0, err
		},
		write: func(k int64) string { return strconv.FormatInt(-k, 10) },
	}
)

// listPage is the paging every list of the API shares: it reads limit and
// after (by the list's cursor), loads the whole list, and returns the page
// asked for, each item as the answer shows it, with the cursor of the next
// page ("" on the last).
func listPage[T any, K cmp.Ordered, V any](r *http.Request, by cursor[K], key func(T) K, load func(context.Context) ([]T, error),
	show func(T) V) ([]V, string, error) {
	limit, err := apiLimit(r)
	if err != nil {
		return nil, "", err
	}
	after, hasAfter, err := by.read(r)
	if err != nil {
		return nil, "", err
	}
	items, err := load(r.Context())
	if err != nil {
		return nil, "", err
	}
	page, more := keyset(items, key, after, hasAfter, limit)
	out := make([]V, 0, len(page))
	for _, it := range page {
		out = append(out, show(it))
	}
	next := ""
	if more {
		next = by.write(key(page[len(page)-1]))
	}
	return out, next, nil
}

// apiList answers a list request with the page listPage gives, as
// {"<name>": [...], "next": "..."} (next only when another page follows).
func apiList[T any, K cmp.Ordered, V any](s *Server, w http.ResponseWriter, r *http.Request, name string, by cursor[K], key func(T) K,
	load func(context.Context) ([]T, error), show func(T) V) {
	items, next, err := listPage(r, by, key, load, show)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := map[string]any{name: items}
	if next != "" {
		out["next"] = next
	}
	s.apiJSON(w, r, http.StatusOK, out)
}
