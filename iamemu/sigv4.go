package iamemu

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// parseAuthorization splits a SigV4 Authorization header into key id,
// scope date, region, service, signed headers and signature, accepting
// exactly what
//
//	^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$
//
// matches (sigv4_test holds it against that expression); a hand-written
// scan costs a tenth of the regular expression on every request.
func parseAuthorization(h string) (m [6]string, ok bool) {
	rest, ok := strings.CutPrefix(h, "AWS4-HMAC-SHA256 Credential=")
	if !ok {
		return m, false
	}
	// Key id, region and service: non-empty, no slash, each ended by one.
	segment := func() (string, bool) {
		i := strings.IndexByte(rest, '/')
		if i <= 0 {
			return "", false
		}
		seg := rest[:i]
		rest = rest[i+1:]
		return seg, true
	}
	if m[0], ok = segment(); !ok {
		return m, false
	}
	if len(rest) < 9 || rest[8] != '/' {
		return m, false
	}
	for i := range 8 {
		if rest[i] < '0' || rest[i] > '9' {
			return m, false
		}
	}
	m[1], rest = rest[:8], rest[9:]
	if m[2], ok = segment(); !ok {
		return m, false
	}
	if m[3], ok = segment(); !ok {
		return m, false
	}
	if rest, ok = strings.CutPrefix(rest, "aws4_request,"); !ok {
		return m, false
	}
	rest = strings.TrimPrefix(rest, " ")
	if rest, ok = strings.CutPrefix(rest, "SignedHeaders="); !ok {
		return m, false
	}
	i := strings.IndexByte(rest, ',')
	if i <= 0 {
		return m, false
	}
	m[4], rest = rest[:i], rest[i+1:]
	rest = strings.TrimPrefix(rest, " ")
	if rest, ok = strings.CutPrefix(rest, "Signature="); !ok || len(rest) != 64 {
		return m, false
	}
	for i := range 64 {
		if c := rest[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return m, false
		}
	}
	m[5] = rest
	return m, true
}

// sdkSignature signs the request again with the SDK's own signer
// (docs/iam-notes.md#signing), given only the headers the caller signed,
// and returns the signature; false if the request cannot be rebuilt.
func sdkSignature(r *http.Request, body []byte, signedHeaders, keyID string, cred credential, service, region string, signedAt time.Time) (string, bool) {
	vr, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return "", false
	}
	vr.ContentLength = 0
	for _, h := range strings.Split(signedHeaders, ";") {
		switch h {
		case "host":
		case "content-length":
			vr.ContentLength = int64(len(body))
		default:
			for _, v := range r.Header.Values(h) {
				vr.Header.Add(h, v)
			}
		}
	}
	sum := sha256.Sum256(body)
	secretSum := sha256.Sum256([]byte(cred.secret))
	creds := aws.Credentials{AccessKeyID: keyID + "#" + hex.EncodeToString(secretSum[:8]), SecretAccessKey: cred.secret, SessionToken: cred.token}
	if err := verifier.SignHTTP(r.Context(), creds, vr, hex.EncodeToString(sum[:]), service, region, signedAt); err != nil {
		return "", true // a signature that matches nothing
	}
	got := vr.Header.Get("Authorization")
	i := strings.LastIndex(got, "Signature=")
	if i < 0 {
		return "", true
	}
	return got[i+len("Signature="):], true
}

// quickSignature computes what sdkSignature does without rebuilding the
// request, for the requests SDKs and the CLI send: path "/" without a
// query, a plain host name or address with an optional port, and signed
// header names of lower-case letters, digits and dashes. It follows the
// SDK signer step by step (sigv4_test holds the two together on mutated
// requests); anything else returns false and goes to sdkSignature.
func quickSignature(r *http.Request, body []byte, signedHeaders string, cred credential, service, region string, signedAt time.Time) (string, bool) {
	u := r.URL
	if u.Path != "/" || u.RawPath != "" || u.RawQuery != "" || u.ForceQuery || u.Opaque != "" || u.Fragment != "" {
		return "", false
	}
	host, ok := quickHost(r.Host)
	if !ok {
		return "", false
	}
	// The headers the SDK's rebuilt request holds, by canonical key:
	// each signed one the request has (the SDK ignores a few), the date it
	// sets, and the session token it sets when there is one.
	var list [12]sigHeader
	hs := list[:0]
	contentLength := false
	for rest := signedHeaders; ; {
		name, next, more := strings.Cut(rest, ";")
		if name == "" {
			return "", false
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
				return "", false
			}
		}
		switch name {
		case "host":
		case "content-length":
			contentLength = true
		case "authorization", "user-agent", "x-amzn-trace-id", "expect", "transfer-encoding", "x-amz-date", "x-amz-security-token":
			// Ignored by the signer, or replaced by what it sets below.
			if name == "x-amz-security-token" && cred.token == "" {
				hs = addHeader(hs, name, r.Header.Values(name))
			}
		default:
			hs = addHeader(hs, name, r.Header.Values(name))
		}
		if !more {
			break
		}
		rest = next
	}
	amzDate := signedAt.Format(amzDateFormat)
	hs = append(hs, sigHeader{"x-amz-date", []string{amzDate}})
	if cred.token != "" {
		hs = append(hs, sigHeader{"x-amz-security-token", []string{cred.token}})
	}
	hs = append(hs, sigHeader{"host", nil})
	if contentLength && len(body) > 0 {
		hs = append(hs, sigHeader{"content-length", []string{strconv.Itoa(len(body))}})
	}
	slices.SortFunc(hs, func(a, b sigHeader) int { return strings.Compare(a.name, b.name) })

	var b strings.Builder
	b.Grow(512)
	b.WriteString(r.Method)
	b.WriteString("\n/\n\n")
	for _, h := range hs {
		b.WriteString(h.name)
		b.WriteByte(':')
		if h.name == "host" {
			b.WriteString(stripExcessSpaces(host))
		} else {
			for j, v := range h.values {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteString(strings.TrimSpace(stripExcessSpaces(v)))
			}
		}
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	for i, h := range hs {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(h.name)
	}
	b.WriteByte('\n')
	sum := sha256.Sum256(body)
	var hexSum [64]byte
	hex.Encode(hexSum[:], sum[:])
	b.Write(hexSum[:])
	canonical := sha256.Sum256([]byte(b.String()))

	scopeDate := amzDate[:8]
	var sts strings.Builder
	sts.Grow(160)
	sts.WriteString("AWS4-HMAC-SHA256\n")
	sts.WriteString(amzDate)
	sts.WriteByte('\n')
	sts.WriteString(scopeDate + "/" + region + "/" + service + "/aws4_request\n")
	hex.Encode(hexSum[:], canonical[:])
	sts.Write(hexSum[:])
	mac := hmac.New(sha256.New, signingKey(cred.secret, scopeDate, region, service))
	mac.Write([]byte(sts.String()))
	var sig [32]byte
	return hex.EncodeToString(mac.Sum(sig[:0])), true
}

// sigHeader is a header of the canonical request: its lower-case name and
// its values.
type sigHeader struct {
	name   string
	values []string
}

// addHeader adds a signed header's values to hs under its name, after the
// values of the same name already there (a name listed twice).
func addHeader(hs []sigHeader, name string, values []string) []sigHeader {
	if len(values) == 0 {
		return hs
	}
	for i := range hs {
		if hs[i].name == name {
			hs[i].values = append(slices.Clip(hs[i].values), values...)
			return hs
		}
	}
	return append(hs, sigHeader{name, values})
}

// quickHost is the host the SDK signs for a request to host (a name or
// IPv4 address of letters, digits, dots and dashes, with an optional
// port): the port dropped when it is HTTP's default.
func quickHost(host string) (string, bool) {
	name, port, hasPort := strings.Cut(host, ":")
	if name == "" || hasPort && port == "" {
		return "", false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '.' && c != '-' {
			return "", false
		}
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return "", false
		}
	}
	if port == "80" {
		return name, true
	}
	return host, true
}

// stripExcessSpaces trims spaces at both ends of s and folds runs of
// spaces inside it into one, as the SDK signer does to header values.
func stripExcessSpaces(s string) string {
	s = strings.Trim(s, " ")
	if !strings.Contains(s, "  ") {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}

// signingKeys caches derived SigV4 signing keys (four HMACs each) by
// secret, date, region and service; it is emptied when it grows past
// signingKeysMax entries.
var (
	signingKeysMu sync.Mutex
	signingKeys   = map[[4]string][]byte{}
)

const signingKeysMax = 4096

func signingKey(secret, date, region, service string) []byte {
	k := [4]string{secret, date, region, service}
	signingKeysMu.Lock()
	key, ok := signingKeys[k]
	signingKeysMu.Unlock()
	if ok {
		return key
	}
	h := func(key []byte, data string) []byte {
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(data))
		return mac.Sum(nil)
	}
	key = h(h(h(h([]byte("AWS4"+secret), date), region), service), "aws4_request")
	signingKeysMu.Lock()
	if len(signingKeys) >= signingKeysMax {
		clear(signingKeys)
	}
	signingKeys[k] = key
	signingKeysMu.Unlock()
	return key
}

// verifier re-signs requests. One signer for every request keeps its cache
// of derived signing keys (four HMACs per day, region and service); the
// cache is keyed by access key id alone, so the id it is given carries a
// digest of the secret too (the signature does not depend on the id).
var verifier = v4.NewSigner()

const (
	msgBadToken     = "The security token included in the request is invalid."
	msgBadSignature = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	amzDateFormat   = "20060102T150405Z"
	maxSkew         = 15 * time.Minute
)

// credential is what an access key id resolves to.
type credential struct {
	secret, token string
	principal     Principal
}

// authenticate verifies the SigV4 Authorization header by re-signing the
// request with the SDK's own signer (docs/iam-notes.md#signing) and resolves
// the caller. It returns the signing region for key-last-used bookkeeping.
// want is the signing name of the action's service (iam, sts or
// organizations), which decides the scope AWS accepts.
func (e *Emulator) authenticate(r *http.Request, body []byte, want string) (Principal, string, *apiError) {
	authz := r.Header.Get("Authorization")
	if authz == "" {
		return Principal{}, "", errf("MissingAuthenticationToken", "Request is missing Authentication Token")
	}
	m, ok := parseAuthorization(authz)
	if !ok {
		return Principal{}, "", errf("IncompleteSignature", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.")
	}
	keyID, scopeDate, region, service, signedHeaders, signature := m[0], m[1], m[2], m[3], m[4], m[5]
	if aerr := e.checkScope(service, region, want); aerr != nil {
		return Principal{}, "", aerr
	}
	amzDate := r.Header.Get("X-Amz-Date")
	signedAt, err := time.Parse(amzDateFormat, amzDate)
	if err != nil || !strings.HasPrefix(amzDate, scopeDate) {
		return Principal{}, "", errf("IncompleteSignature", "Date must be in ISO-8601 'basic format'. Got '%s'.", amzDate)
	}

	e.mu.Lock()
	cred, cerr := e.lookupCredential(keyID, r.Header.Get("X-Amz-Security-Token"))
	e.mu.Unlock()
	if cerr != nil {
		return Principal{}, "", cerr
	}

	want, quick := quickSignature(r, body, signedHeaders, cred, service, region, signedAt)
	if !quick {
		if want, ok = sdkSignature(r, body, signedHeaders, keyID, cred, service, region, signedAt); !ok {
			return Principal{}, "", errf("IncompleteSignature", "The request could not be parsed.")
		}
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return Principal{}, "", errf("SignatureDoesNotMatch", msgBadSignature)
	}

	// Expiry is checked after the signature so a forged date cannot probe keys.
	wall := e.opts.WallClock().UTC()
	if signedAt.Before(wall.Add(-maxSkew)) || signedAt.After(wall.Add(maxSkew)) {
		return Principal{}, "", errf("SignatureDoesNotMatch", "Signature expired: %s is now earlier than %s (%s - 15 min.)",
			amzDate, wall.Add(-maxSkew).Format(amzDateFormat), wall.Format(amzDateFormat))
	}
	return cred.principal, region, nil
}

// checkScope applies AWS's credential-scope rules: the service must be the
// action's (iam, sts or organizations), IAM must be signed for its
// partition's one region (us-east-1 for aws; terraform-provider-aws#40319,
// vault#9947 for GovCloud), and STS for a region of the partition (cognitect
// aws-api#27). Organizations, global like IAM, is accepted in any region of
// the partition (its single signing region is not checked). AWS's messages
// for both end in ". " with a trailing space.
func (e *Emulator) checkScope(service, region, want string) *apiError {
	if service != want {
		return errf("SignatureDoesNotMatch", "Credential should be scoped to correct service: '%s'. ", want)
	}
	if want != "iam" && !e.part.hasRegion(region) || want == "iam" && region != e.part.iamRegion {
		return errf("SignatureDoesNotMatch", "Credential should be scoped to a valid region, not '%s'. ", region)
	}
	return nil
}

// lookupCredential resolves an access key id (root, IAM user key or STS
// session key) in whichever hosted account issued it. Called with e.mu held.
func (e *Emulator) lookupCredential(keyID, token string) (credential, *apiError) {
	for _, id := range e.order {
		if st := e.accounts[id]; st.owns(keyID) {
			return e.lookupIn(st, keyID, token)
		}
	}
	return credential{}, errf("InvalidClientTokenId", msgBadToken)
}

// owns reports whether keyID is one of the account's credentials.
func (s *state) owns(keyID string) bool {
	if keyID == s.Root.AccessKeyID {
		return true
	}
	if _, ok := s.AccessKeys[keyID]; ok {
		return true
	}
	_, ok := s.Sessions[keyID]
	return ok
}

func (e *Emulator) lookupIn(st *state, keyID, token string) (credential, *apiError) {
	now := e.clock()
	if keyID == st.Root.AccessKeyID {
		return credential{secret: st.Root.Secret, principal: rootPrincipal(st, keyID)}, nil
	}
	if k, ok := st.AccessKeys[keyID]; ok && k.Status == "Active" {
		if k.UserName == "" {
			return credential{secret: k.Secret, principal: rootPrincipal(st, keyID)}, nil
		}
		u := st.Users[strings.ToLower(k.UserName)]
		if u == nil {
			return credential{}, errf("InvalidClientTokenId", msgBadToken)
		}
		return credential{secret: k.Secret, principal: userPrincipal(st, u, keyID)}, nil
	}
	if s, ok := st.Sessions[keyID]; ok {
		if subtle.ConstantTimeCompare([]byte(s.Token), []byte(token)) != 1 {
			return credential{}, errf("InvalidClientTokenId", msgBadToken)
		}
		if !now.Before(s.Expires) {
			return credential{}, errf("ExpiredToken", "The security token included in the request is expired")
		}
		var p Principal
		switch {
		case s.RoleName != "":
			p = rolePrincipal(st, s, keyID)
		case s.UserName == "":
			p = rootPrincipal(st, keyID)
		default:
			u := st.Users[strings.ToLower(s.UserName)]
			if u == nil {
				return credential{}, errf("InvalidClientTokenId", msgBadToken)
			}
			p = userPrincipal(st, u, keyID)
		}
		p.Session, p.MFAPresent, p.MFAAuthTime = true, s.MFA, s.MFAAuthTime
		return credential{secret: s.Secret, token: s.Token, principal: p}, nil
	}
	return credential{}, errf("InvalidClientTokenId", msgBadToken)
}

func rootPrincipal(st *state, keyID string) Principal {
	return Principal{Account: st.AccountID, Root: true, UserID: st.AccountID, Arn: st.arn("root"), AccessKeyID: keyID}
}

func userPrincipal(st *state, u *user, keyID string) Principal {
	return Principal{Account: st.AccountID, UserName: u.Name, UserID: u.ID, Arn: st.userArn(u), AccessKeyID: keyID}
}

// rolePrincipal is the assumed-role identity of an AssumeRole session.
func rolePrincipal(st *state, s *session, keyID string) Principal {
	return Principal{
		Account: st.AccountID, UserID: s.RoleID + ":" + s.SessionName,
		Arn:         st.assumedRoleArn(s.RoleName, s.SessionName),
		AccessKeyID: keyID, RoleName: s.RoleName, RoleArn: s.RoleArn, SessionName: s.SessionName,
	}
}

// touchKey records access-key last use (GetAccessKeyLastUsed, credential
// report). Called with e.mu held.
func (e *Emulator) touchKey(c *call) {
	service := "iam"
	if actions[c.action].sts {
		service = "sts"
	}
	use := &keyUsage{When: c.now, Region: c.region, Service: service}
	if c.caller.AccessKeyID == c.st.Root.AccessKeyID {
		c.st.Root.KeyLastUsed = use
	} else if k, ok := c.st.AccessKeys[c.caller.AccessKeyID]; ok {
		k.LastUsed = use
	}
}
