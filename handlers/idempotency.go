package handlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/gatehouse/portal"
)

// idempotencyTTL is how long an Idempotency-Key is remembered.
const idempotencyTTL = 24 * time.Hour

// idempotent makes a JSON API POST safe to retry: a request carrying an
// Idempotency-Key header that its operator used before for the same request
// (method, path, query and body) gets the first answer again, marked
// Idempotent-Replayed: true, instead of acting twice — a retried create
// never onboards twice. The same key with another request is refused (422),
// and while the first request runs a second one is told to wait (409). An
// answer of 500 or more is not kept, so the retry runs. Secrets are never
// kept: a replayed answer leaves out the invite URL (POST
// /api/v1/users/{name}/invite issues a new one), and likewise the other
// secretFields. Keys are remembered for a day, per operator.
func (s *Server) idempotent(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if key == "" {
			next(w, r)
			return
		}
		if len(key) > 255 || !printableASCII(key) {
			s.apiError(w, r, portal.E(portal.EINVALID, "err.idem.key"))
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				err = portal.E(portal.ETOOLARGE, "err.body.toolarge", tooBig.Limit>>10)
			}
			s.apiError(w, r, err)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		// The query is part of the request: the same key with another
		// ?account= is another request, not a replay.
		target := r.URL.Path
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		sum := sha256.Sum256(append([]byte(r.Method+" "+target+"\n"), body...))
		hash := hex.EncodeToString(sum[:])
		op := operatorFrom(r.Context())
		now := s.Now()
		claimed, rec, err := s.Store.ClaimIdempotencyKey(r.Context(), op.ID, key, hash, now, now.Add(-idempotencyTTL))
		switch {
		case err != nil:
			s.apiError(w, r, err)
			return
		case !claimed && rec.RequestHash != hash:
			s.apiError(w, r, portal.E(portal.EINVALID, "err.idem.mismatch"))
			return
		case !claimed && rec.Status == 0:
			s.apiError(w, r, portal.E(portal.ECONFLICT, "err.idem.inflight"))
			return
		case !claimed:
			ct := "application/json; charset=utf-8"
			if rec.Status >= 400 {
				ct = "application/problem+json; charset=utf-8"
			}
			w.Header().Set("Content-Type", ct)
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(rec.Status)
			io.WriteString(w, rec.Body)
			return
		}
		cw := &capture{ResponseWriter: w, status: http.StatusOK}
		next(cw, r)
		// The answer is recorded whatever happens to the client: it is what
		// a retry must get.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
		defer cancel()
		if cw.status >= 500 {
			err = s.Store.ReleaseIdempotencyKey(ctx, op.ID, key)
		} else {
			err = s.Store.FinishIdempotencyKey(ctx, op.ID, key, cw.status, withoutSecrets(cw.body.Bytes()))
		}
		if err != nil {
			s.Logger.ErrorContext(r.Context(), "record idempotency key", "err", err, "path", r.URL.Path)
		}
	}
}

// secretFields are the members of an answer that exist in the first
// answer only: invite links, operators' join links and a webhook
// endpoint's signing secret.
var secretFields = []string{"invite_url", "join_url", "secret"}

// withoutSecrets returns an answer as it may be kept: without the
// secretFields, at any depth (a bulk job's rows carry invite links).
func withoutSecrets(body []byte) string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return string(body)
	}
	if !dropSecrets(v) {
		return string(body)
	}
	out, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(out) + "\n"
}

// dropSecrets deletes the secretFields from v in place and reports
// whether it found any.
func dropSecrets(v any) bool {
	found := false
	switch v := v.(type) {
	case map[string]any:
		for _, f := range secretFields {
			if _, ok := v[f]; ok {
				delete(v, f)
				found = true
			}
		}
		for _, x := range v {
			found = dropSecrets(x) || found
		}
	case []any:
		for _, x := range v {
			found = dropSecrets(x) || found
		}
	}
	return found
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// capture passes an answer through and keeps a copy.
type capture struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (c *capture) WriteHeader(status int) {
	c.status = status
	c.ResponseWriter.WriteHeader(status)
}

func (c *capture) Write(b []byte) (int, error) {
	c.body.Write(b)
	return c.ResponseWriter.Write(b)
}

// IdempotencyTTL is how long an Idempotency-Key is remembered; the job
// runner's periodic purge (jobs.PurgeIdempotencyKeys) deletes older records.
const IdempotencyTTL = idempotencyTTL
