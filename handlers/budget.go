package handlers

import (
	"context"
	"net/http"
	"time"
)

// DefaultPageBudget is how long one request may take in all unless
// Deps.PageBudget says otherwise: every IAM call and database query it
// makes shares the budget, so a slow IAM makes a page fail with a message
// instead of hanging (each IAM call also has its own deadline, see
// awsiam.Config.CallTimeout). It is well above a normal onboarding (eight
// IAM calls) and inside the server's write timeout.
const DefaultPageBudget = 30 * time.Second

// budget bounds each request by the page budget.
func (s *Server) budget(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.PageBudget)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
