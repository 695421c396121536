package iamemu

import (
	"bytes"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base32"
	"encoding/pem"
	"time"
)

// X.509 signing certificates (UploadSigningCertificate and friends): PEM
// certificates with an RSA key, at most 2 per user. Like access keys they
// also exist for the root user, who manages them without a UserName.

const maxCertsPerUser = 2

var ruleCertID = mkRule(24, 128, `[\w]+`, `\w+`)

type signingCert struct {
	ID, Status string
	UserName   string // "" for the root user's certificates
	Body       string // as uploaded
	Uploaded   time.Time
	Seq        int64
}

type xmlSigningCert struct {
	UserName        string
	CertificateId   string
	CertificateBody string
	Status          string
	UploadDate      isoTime
}

func (s *signingCert) xml(accountID string) xmlSigningCert {
	name := s.UserName
	if name == "" {
		name = accountID // the root user's certificates carry the account id
	}
	return xmlSigningCert{name, s.ID, s.Body, s.Status, isoTime(s.Uploaded)}
}

// parseCertificate checks an uploaded body: one PEM CERTIFICATE block
// holding a parseable X.509 certificate, valid now (MalformedCertificate
// otherwise) and with an RSA key (InvalidCertificate otherwise). The id is
// derived from the certificate, so the same certificate always has it.
func parseCertificate(body string, now time.Time) (string, *apiError) {
	block, rest := pem.Decode([]byte(body))
	if block == nil || block.Type != "CERTIFICATE" || len(bytes.TrimSpace(rest)) > 0 {
		return "", errf("MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format.")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return "", errf("MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format.")
	}
	if now.After(cert.NotAfter) {
		return "", errf("MalformedCertificate", "Certificate is no longer valid. The 'Not After' date restriction on the certificate has passed.")
	}
	if now.Before(cert.NotBefore) {
		return "", errf("MalformedCertificate", "Certificate is not yet valid. The 'Not Before' date restriction on the certificate has not been met.")
	}
	if _, ok := cert.PublicKey.(*rsa.PublicKey); !ok {
		return "", errf("InvalidCertificate", "The certificate is invalid: signing certificates must carry an RSA public key.")
	}
	sum := sha1.Sum(cert.Raw) // an identifier, not a security property
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]), nil
}

// ownerCerts returns the certificates of owner ("" = root) in upload order.
func (c *call) ownerCerts(owner string) []*signingCert {
	var out []*signingCert
	for _, s := range c.st.Certs {
		if owner == "" && s.UserName == "" || equalFoldName(s.UserName, owner) {
			out = append(out, s)
		}
	}
	sortBySeq(out, func(s *signingCert) int64 { return s.Seq })
	return out
}

type certResult struct {
	Certificate xmlSigningCert
}

func uploadSigningCertificate(c *call) (any, *apiError) {
	var v checker
	body := v.str(c.p, "CertificateBody", ruleKeyPEM, true)
	owner, err := c.credentialOwner(&v)
	if err != nil {
		return nil, err
	}
	id, err := parseCertificate(body, c.now)
	if err != nil {
		return nil, err
	}
	if _, ok := c.st.Certs[id]; ok {
		return nil, errf("DuplicateCertificate", "The same certificate is already associated with an IAM user in the account.")
	}
	if len(c.ownerCerts(owner)) >= maxCertsPerUser {
		return nil, errf("LimitExceeded", "Cannot exceed quota for SigningCertificatesPerUser: %d", maxCertsPerUser)
	}
	s := &signingCert{ID: id, Status: "Active", UserName: owner, Body: body, Uploaded: c.now, Seq: c.st.next()}
	c.st.Certs[id] = s
	return certResult{s.xml(c.st.AccountID)}, nil
}

type listCertsResult struct {
	Certificates members[xmlSigningCert]
	page
}

func listSigningCertificates(c *call) (any, *apiError) {
	var v checker
	owner, err := c.credentialOwner(&v)
	if err != nil {
		return nil, err
	}
	items, pg, err := paginate(c.p, c.ownerCerts(owner), func(s *signingCert) string { return seqKey(s.Seq) })
	if err != nil {
		return nil, err
	}
	out := listCertsResult{Certificates: list([]xmlSigningCert{}), page: pg}
	for _, s := range items {
		out.Certificates.Member = append(out.Certificates.Member, s.xml(c.st.AccountID))
	}
	return out, nil
}

// findCert resolves CertificateId for the owner; another owner's
// certificate is NoSuchEntity.
func (c *call) findCert(v *checker) (*signingCert, *apiError) {
	id := v.str(c.p, "CertificateId", ruleCertID, true)
	owner, err := c.credentialOwner(v)
	if err != nil {
		return nil, err
	}
	s := c.st.Certs[id]
	if s == nil || !(owner == "" && s.UserName == "" || equalFoldName(s.UserName, owner)) {
		return nil, errf("NoSuchEntity", "The Certificate with id %s cannot be found.", id)
	}
	return s, nil
}

func updateSigningCertificate(c *call) (any, *apiError) {
	var v checker
	status := v.enum(c.p, "Status", true, "Active", "Inactive", "Expired")
	s, err := c.findCert(&v)
	if err != nil {
		return nil, err
	}
	if status == "Expired" {
		return nil, errf("InvalidInput", "Signing certificates cannot be set to Expired.")
	}
	s.Status = status
	return nil, nil
}

func deleteSigningCertificate(c *call) (any, *apiError) {
	var v checker
	s, err := c.findCert(&v)
	if err != nil {
		return nil, err
	}
	delete(c.st.Certs, s.ID)
	return nil, nil
}
