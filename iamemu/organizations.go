package iamemu

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// AWS Organizations, the part the portal needs: ListAccounts lists the
// hosted accounts as one organization whose management account is the
// first (docs/iam-notes.md#organizations). Organizations speaks the JSON 1.1
// protocol: POST with X-Amz-Target AWSOrganizationsV20161128.<Operation>
// and a JSON body, signed for the service "organizations"; errors are a
// JSON body naming the exception in __type, with HTTP 400.

const orgTargetPrefix = "AWSOrganizationsV20161128."

// orgError is an Organizations exception.
type orgError struct {
	Type    string `json:"__type"`
	Message string `json:"Message"`
	Reason  string `json:"Reason,omitempty"`
}

// orgAuthErrors maps the Query protocol's authentication codes to the
// exception names JSON services answer with.
var orgAuthErrors = map[string]string{
	"InvalidClientTokenId":       "UnrecognizedClientException",
	"SignatureDoesNotMatch":      "InvalidSignatureException",
	"IncompleteSignature":        "IncompleteSignatureException",
	"MissingAuthenticationToken": "MissingAuthenticationTokenException",
	"ExpiredToken":               "ExpiredTokenException",
}

func writeOrgJSON(w http.ResponseWriter, status int, v any) {
	out, _ := json.Marshal(v) // plain strings and numbers cannot fail to marshal
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if e, ok := v.(orgError); ok {
		w.Header().Set("X-Amzn-ErrorType", e.Type)
	}
	w.WriteHeader(status)
	w.Write(out)
}

// serveOrganizations answers one Organizations request; body is already
// read.
func (e *Emulator) serveOrganizations(w http.ResponseWriter, r *http.Request, body []byte, target string) {
	fail := func(typ, msg string) { writeOrgJSON(w, http.StatusBadRequest, orgError{Type: typ, Message: msg}) }
	op := strings.TrimPrefix(target, orgTargetPrefix)
	if r.Method != http.MethodPost {
		fail("InvalidAction", "Only POST is supported.")
		return
	}
	caller, _, aerr := e.authenticate(r, body, "organizations")
	if aerr != nil {
		typ := orgAuthErrors[aerr.Code]
		if typ == "" {
			typ = aerr.Code
		}
		fail(typ, aerr.Message)
		return
	}
	if op != "ListAccounts" {
		fail("UnknownOperationException", "")
		return
	}
	var in struct {
		NextToken  *string
		MaxResults *int
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			fail("SerializationException", "Start of structure or map found where not expected.")
			return
		}
	}
	if oerr := e.orgCaller(r, caller); oerr != nil {
		writeOrgJSON(w, http.StatusBadRequest, *oerr)
		return
	}
	out, oerr := e.listAccounts(in.NextToken, in.MaxResults)
	if oerr != nil {
		writeOrgJSON(w, http.StatusBadRequest, *oerr)
		return
	}
	writeOrgJSON(w, http.StatusOK, out)
}

const msgOrgDenied = "You don't have permissions to access this resource."

// orgCaller decides whether caller may list the organization's accounts:
// only from the management account (a member account is refused with
// AccessDeniedException, like any principal whose identity policies do
// not allow organizations:ListAccounts); without an organization every
// account gets AWSOrganizationsNotInUseException.
func (e *Emulator) orgCaller(r *http.Request, caller Principal) *orgError {
	if e.opts.NoOrganization {
		return &orgError{Type: "AWSOrganizationsNotInUseException", Message: "Your account is not a member of an organization."}
	}
	if caller.Account != e.opts.AccountID {
		return &orgError{Type: "AccessDeniedException", Message: msgOrgDenied}
	}
	e.mu.Lock()
	a := e.authz
	e.mu.Unlock()
	if caller.Root || a == nil {
		return nil
	}
	req := AuthzRequest{Principal: caller, Action: "organizations:ListAccounts", Resource: "*"}
	if err := a.Authorize(r.Context(), e, req); err != nil {
		if ae := deniedError(caller, req, err); ae.Code != "AccessDenied" {
			typ := orgAuthErrors[ae.Code]
			if typ == "" {
				typ = ae.Code
			}
			return &orgError{Type: typ, Message: ae.Message}
		}
		return &orgError{Type: "AccessDeniedException", Message: msgOrgDenied}
	}
	return nil
}

// orgAccount is an Organizations Account; JoinedTimestamp is epoch seconds,
// as JSON 1.1 sends timestamps.
type orgAccount struct {
	Id, Arn, Email, Name, Status, State, JoinedMethod string
	JoinedTimestamp                                   float64
}

type listAccountsOutput struct {
	Accounts  []orgAccount
	NextToken string `json:",omitempty"`
}

// OrganizationID returns the id of the organization the hosted accounts
// form (o- and ten characters derived from the management account id).
func (e *Emulator) OrganizationID() string {
	sum := sha256.Sum256([]byte("org:" + e.opts.AccountID))
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 10)
	for i := range b {
		b[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return "o-" + string(b)
}

// listAccounts pages the hosted accounts in their order, MaxResults (1–20,
// default 20) at a time; NextToken is opaque.
func (e *Emulator) listAccounts(token *string, maxResults *int) (*listAccountsOutput, *orgError) {
	limit := 20
	if maxResults != nil {
		switch {
		case *maxResults < 1:
			return nil, &orgError{Type: "InvalidInputException", Message: "You provided a value that is less than the minimum allowed value.", Reason: "MIN_VALUE_EXCEEDED"}
		case *maxResults > 20:
			return nil, &orgError{Type: "InvalidInputException", Message: "You provided a value that exceeds the maximum allowed value.", Reason: "MAX_VALUE_EXCEEDED"}
		}
		limit = *maxResults
	}
	start := 0
	if token != nil {
		raw, err := base64.RawURLEncoding.DecodeString(*token)
		n, nerr := strconv.Atoi(strings.TrimPrefix(string(raw), "a1:"))
		if err != nil || nerr != nil || !strings.HasPrefix(string(raw), "a1:") || n < 0 || n > len(e.order) {
			return nil, &orgError{Type: "InvalidInputException", Message: "The specified token is invalid.", Reason: "INVALID_NEXT_TOKEN"}
		}
		start = n
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	org := e.OrganizationID()
	out := &listAccountsOutput{Accounts: []orgAccount{}}
	end := min(start+limit, len(e.order))
	for i, id := range e.order[start:end] {
		st := e.accounts[id]
		method := "CREATED"
		if start+i == 0 {
			method = "INVITED" // the management account joined the organization it created
		}
		out.Accounts = append(out.Accounts, orgAccount{
			Id:    id,
			Arn:   "arn:" + e.part.name + ":organizations::" + e.opts.AccountID + ":account/" + org + "/" + id,
			Email: cmp.Or(st.OrgEmail, AccountEmail(id)), Name: cmp.Or(st.OrgName, AccountName(id)),
			Status: "ACTIVE", State: "ACTIVE", JoinedMethod: method,
			JoinedTimestamp: float64(st.Created.Truncate(time.Second).Unix()),
		})
	}
	if end < len(e.order) {
		out.NextToken = base64.RawURLEncoding.EncodeToString([]byte("a1:" + strconv.Itoa(end)))
	}
	return out, nil
}

// AccountName is the name Organizations gives a hosted account unless
// Account.SetName named it.
func AccountName(id string) string { return "account-" + id }

// AccountEmail is the root e-mail address Organizations gives a hosted
// account (example.com, which never receives mail).
func AccountEmail(id string) string { return "account-" + id + "@example.com" }
