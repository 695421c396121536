package iamemu

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

const (
	iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
	iamVersion   = "2010-05-08"
	stsVersion   = "2011-06-15"
	maxBodyBytes = 1 << 20 // policies are at most 131,072 chars; leave room for the rest
)

// call carries one request through its action handler. Handlers run with
// e.mu held and read/write c.st directly.
type call struct {
	ctx    context.Context
	e      *Emulator
	st     *state
	p      params
	action string
	caller Principal
	now    time.Time
	region string
}

// actionSpec describes one Query action.
type actionSpec struct {
	sts bool
	run func(c *call) (any, *apiError)
	// resource returns the ARN the Authorizer is asked about; nil means "*".
	resource func(c *call) string
	// alsoResource, if set, is a second ARN the caller needs the action on
	// (UpdateUser: the new name as well as the old).
	alsoResource func(c *call) string
	// authorize, if set, replaces the Authorizer's check (AssumeRole, which
	// weighs the role's trust policy too). It runs without e.mu held.
	authorize func(e *Emulator, c *call) *apiError
	// noAuthz exempts the action from the Authorizer (AWS answers
	// GetCallerIdentity even when denied, and GetSessionToken is how a
	// user obtains MFA context in the first place).
	noAuthz bool
}

// unlockedWork is a result with work left that needs no state: ServeHTTP
// calls finish after releasing the emulator's lock, so expensive rendering
// does not serialise every other request.
type unlockedWork interface{ finish() *apiError }

// ServeHTTP answers IAM (Version 2010-05-08) and STS (Version 2011-06-15)
// Query requests on any path: POST with a form body, or GET with a query;
// and Organizations JSON requests (X-Amz-Target AWSOrganizationsV20161128.*).
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := newRequestID()
	h := w.Header()
	h.Set("x-amzn-RequestId", reqID)
	h.Set("Date", e.opts.WallClock().UTC().Format(http.TimeFormat))
	h.Set("Content-Type", "text/xml")

	ns := iamNamespace
	fail := func(err *apiError) { writeError(w, ns, reqID, err) }

	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		fail(errf("InvalidAction", "Only GET and POST are supported."))
		return
	}
	body, err := readBody(r)
	if err != nil || len(body) > maxBodyBytes {
		fail(errf("InvalidInput", "Request body could not be read or is too large."))
		return
	}
	if target := r.Header.Get("X-Amz-Target"); strings.HasPrefix(target, orgTargetPrefix) {
		e.serveOrganizations(w, r, body, target)
		return
	}
	p, perr := parseParams(r, body)
	if perr != nil {
		fail(perr)
		return
	}
	action := p.get("Action")
	spec, ok := actions[action]
	if ok && spec.sts {
		ns = stsNamespace
	}
	wantVersion := iamVersion
	if ns == stsNamespace {
		wantVersion = stsVersion
	}
	if !ok || p.get("Version") != wantVersion {
		fail(errf("InvalidAction", "Could not find operation %s for version %s", action, p.get("Version")))
		return
	}

	signingName := "iam"
	if spec.sts {
		signingName = "sts"
	}
	caller, region, aerr := e.authenticate(r, body, signingName)
	if aerr != nil {
		fail(aerr)
		return
	}
	c := &call{ctx: r.Context(), e: e, p: p, action: action, caller: caller, region: region}
	// A key's last use is "the last request made with that key" (AWS's
	// GetAccessKeyLastUsed), denied and failed ones included.
	e.mu.Lock()
	c.st, c.now = e.stateOf(caller.Account), e.clock()
	e.touchKey(c)
	e.mu.Unlock()
	if aerr := e.injectFaults(r.Context(), action); aerr != nil {
		fail(aerr)
		return
	}
	authorize := func() *apiError { return e.authorize(c, spec) }
	if spec.authorize != nil {
		authorize = func() *apiError { return spec.authorize(e, c) }
	}
	if aerr := authorize(); aerr != nil {
		fail(aerr)
		return
	}

	e.mu.Lock()
	c.st, c.now = e.stateOf(caller.Account), e.clock()
	result, aerr := spec.run(c)
	e.mu.Unlock()
	if w, ok := result.(unlockedWork); ok && aerr == nil {
		aerr = w.finish()
	}
	if aerr != nil {
		fail(aerr)
		return
	}
	writeResult(w, ns, action, reqID, result)
}

// parseParams merges the query string and the form body. url.ParseQuery
// decodes '+' as a space, as the SDK's url.QueryEscape encoding requires.
func parseParams(r *http.Request, body []byte) (params, *apiError) {
	p := params{}
	if r.URL.RawQuery != "" {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, errf("MalformedQueryString", "The query string is malformed.")
		}
		p = params(q)
	}
	if r.Method == http.MethodPost && len(body) > 0 {
		ct := r.Header.Get("Content-Type")
		if ct != "" && !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			return nil, errf("InvalidInput", "Unsupported Content-Type %s.", ct)
		}
		f, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, errf("MalformedQueryString", "The request body is malformed.")
		}
		if len(p) == 0 {
			return params(f), nil
		}
		for k, v := range f {
			p[k] = append(p[k], v...)
		}
	}
	return p, nil
}

type errorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string
		Code    string
		Message string `xml:",omitempty"`
	}
	RequestID string `xml:"RequestId"`
}

func writeError(w http.ResponseWriter, ns, reqID string, err *apiError) {
	var doc errorResponse
	doc.Xmlns = ns
	doc.Error.Type = faultType(err.Code)
	doc.Error.Code = err.Code
	doc.Error.Message = err.Message
	doc.RequestID = reqID
	out, _ := xml.Marshal(doc) // plain strings cannot fail to marshal
	w.WriteHeader(statusOf(err.Code))
	w.Write(append([]byte(xml.Header), out...))
}

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

// readBody reads the request body, at most maxBodyBytes+1 bytes of it; a
// body of known length is read into a buffer of that size at once.
func readBody(r *http.Request) ([]byte, error) {
	if n := r.ContentLength; n > 0 && n <= maxBodyBytes {
		body := make([]byte, n)
		if _, err := io.ReadFull(r.Body, body); err != nil {
			return nil, err
		}
		return body, nil
	}
	return io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
}

// writeResult renders <OpResponse><OpResult>…</OpResult><ResponseMetadata>.
// result == nil means the operation has no output shape.
func writeResult(w http.ResponseWriter, ns, action, reqID string, result any) {
	x := xmlWriters.Get().(*xmlWriter)
	x.buf.Reset()
	x.buf.WriteString(xml.Header)
	var err error
	if result == nil {
		x.appendEmpty(ns, action, reqID)
	} else {
		err = x.encode(ns, action, reqID, result)
	}
	if err != nil {
		// The encoder may hold half a document: not reused.
		writeError(w, ns, reqID, errf("ServiceFailure", "internal error rendering the response"))
		return
	}
	w.WriteHeader(http.StatusOK)
	w.Write(x.buf.Bytes())
	if x.buf.Cap() <= 1<<20 {
		xmlWriters.Put(x)
	}
}

// xmlWriter is a response buffer with an encoder writing into it, kept
// between responses (an encoder allocates a buffer of 4 KiB of its own).
type xmlWriter struct {
	buf bytes.Buffer
	enc *xml.Encoder
}

var xmlWriters = sync.Pool{New: func() any {
	x := &xmlWriter{}
	x.enc = xml.NewEncoder(&x.buf)
	return x
}}

func (x *xmlWriter) encode(ns, action, reqID string, result any) error {
	start := xml.StartElement{
		Name: xml.Name{Local: action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: ns}},
	}
	err := x.enc.EncodeToken(start)
	if err == nil && result != nil {
		err = x.enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}})
	}
	if err == nil {
		err = x.enc.EncodeElement(responseMetadata{reqID}, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}})
	}
	if err == nil {
		err = x.enc.EncodeToken(start.End())
	}
	if err == nil {
		err = x.enc.Flush()
	}
	return err
}

// appendEmpty writes what encode writes for a nil result (half the
// workload's answers) without the encoder's reflection.
func (x *xmlWriter) appendEmpty(ns, action, reqID string) {
	b := &x.buf
	b.WriteByte('<')
	b.WriteString(action)
	b.WriteString(`Response xmlns="`)
	xml.EscapeText(b, []byte(ns))
	b.WriteString(`"><ResponseMetadata><RequestId>`)
	xml.EscapeText(b, []byte(reqID))
	b.WriteString(`</RequestId></ResponseMetadata></`)
	b.WriteString(action)
	b.WriteString(`Response>`)
}
