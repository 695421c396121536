package iamemu

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// SSH public keys for CodeCommit (UploadSSHPublicKey and friends). AWS
// accepts RSA keys of at least 2048 bits, in OpenSSH ("ssh-rsa AAAA…
// comment") or PEM form, at most 5 per user; GetSSHPublicKey converts
// between the two encodings.

const (
	maxSSHKeysPerUser = 5
	minSSHKeyBits     = 2048
)

var (
	ruleKeyID  = mkRule(20, 128, `[\w]+`, `\w+`)
	ruleKeyPEM = mkRule(1, 16384, `[\u0009\u000A\u000D\u0020-\u00FF]+`, `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+`)
)

type sshKey struct {
	ID, UserName, Status string
	Body                 string // as uploaded
	Encoding             string // SSH or PEM: the form Body is in
	Blob                 []byte // the key in SSH wire format
	Fingerprint          string
	Uploaded             time.Time
	Seq                  int64
}

type xmlSSHKey struct {
	UserName         string
	SSHPublicKeyId   string
	Fingerprint      string
	SSHPublicKeyBody string
	Status           string
	UploadDate       isoTime
}

type xmlSSHKeyMetadata struct {
	UserName       string
	SSHPublicKeyId string
	Status         string
	UploadDate     isoTime
}

type sshKeyResult struct {
	SSHPublicKey xmlSSHKey
}

// parseSSHKey reads an uploaded key. Neither encoding →
// UnrecognizedPublicKeyEncoding; an encoding that is recognised but does
// not hold a usable RSA key of 2048 bits or more → InvalidPublicKey.
func parseSSHKey(body string) (blob []byte, encoding string, aerr *apiError) {
	unrecognized := errf("UnrecognizedPublicKeyEncoding", "The public key encoding format is unsupported or unrecognized.")
	invalid := errf("InvalidPublicKey", "The public key is malformed or otherwise invalid.")
	text := strings.TrimSpace(body)
	var pub *rsa.PublicKey
	switch {
	case strings.HasPrefix(text, "-----BEGIN "):
		block, rest := pem.Decode([]byte(text))
		if block == nil || len(bytes.TrimSpace(rest)) > 0 {
			return nil, "", unrecognized // no END line, or more than one block
		}
		switch block.Type {
		case "PUBLIC KEY":
			k, err := x509.ParsePKIXPublicKey(block.Bytes)
			if err != nil {
				return nil, "", invalid
			}
			rk, ok := k.(*rsa.PublicKey)
			if !ok {
				return nil, "", invalid
			}
			pub = rk
		case "RSA PUBLIC KEY":
			k, err := x509.ParsePKCS1PublicKey(block.Bytes)
			if err != nil {
				return nil, "", invalid
			}
			pub = k
		default:
			return nil, "", unrecognized
		}
		encoding = "PEM"
	case looksLikeSSHKeyType(text):
		fields := strings.Fields(text)
		if len(fields) < 2 || fields[0] != ssh.KeyAlgoRSA {
			return nil, "", invalid
		}
		raw, err := base64.StdEncoding.DecodeString(fields[1])
		if err != nil {
			return nil, "", invalid
		}
		k, err := ssh.ParsePublicKey(raw)
		if err != nil || k.Type() != fields[0] {
			return nil, "", invalid // a blob whose own type is not its label
		}
		ck, ok := k.(ssh.CryptoPublicKey)
		if !ok {
			return nil, "", invalid
		}
		if pub, ok = ck.CryptoPublicKey().(*rsa.PublicKey); !ok {
			return nil, "", invalid
		}
		encoding = "SSH"
	default:
		return nil, "", unrecognized
	}
	if pub.N.BitLen() < minSSHKeyBits {
		return nil, "", invalid
	}
	sk, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil, "", invalid
	}
	return sk.Marshal(), encoding, nil
}

// looksLikeSSHKeyType reports whether text starts with an OpenSSH key type
// token (ssh-rsa, ssh-ed25519, ecdsa-sha2-…, sk-…).
func looksLikeSSHKeyType(text string) bool {
	first, _, _ := strings.Cut(text, " ")
	for _, p := range []string{"ssh-", "ecdsa-sha2-", "sk-"} {
		if strings.HasPrefix(first, p) {
			return true
		}
	}
	return false
}

// render returns the key in the requested encoding: the uploaded text when
// it was uploaded in that encoding, otherwise a conversion.
func (k *sshKey) render(encoding string) (string, *apiError) {
	if encoding == k.Encoding {
		return k.Body, nil
	}
	pk, err := ssh.ParsePublicKey(k.Blob)
	if err != nil {
		return "", errf("ServiceFailure", "Stored SSH public key is corrupt.")
	}
	if encoding == "SSH" {
		return strings.TrimSuffix(string(ssh.MarshalAuthorizedKey(pk)), "\n"), nil
	}
	der, err := x509.MarshalPKIXPublicKey(pk.(ssh.CryptoPublicKey).CryptoPublicKey())
	if err != nil {
		return "", errf("ServiceFailure", "Stored SSH public key is corrupt.")
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

func (k *sshKey) xml(withBody string) xmlSSHKey {
	return xmlSSHKey{k.UserName, k.ID, k.Fingerprint, withBody, k.Status, isoTime(k.Uploaded)}
}

// userSSHKeys returns a user's keys in upload order.
func (c *call) userSSHKeys(userName string) []*sshKey {
	var out []*sshKey
	for _, k := range c.st.SSHKeys {
		if equalFoldName(k.UserName, userName) {
			out = append(out, k)
		}
	}
	sortBySeq(out, func(k *sshKey) int64 { return k.Seq })
	return out
}

func uploadSSHPublicKey(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserName, true)
	body := v.str(c.p, "SSHPublicKeyBody", ruleKeyPEM, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	u, err := c.findUser(name)
	if err != nil {
		return nil, err
	}
	blob, encoding, err := parseSSHKey(body)
	if err != nil {
		return nil, err
	}
	keys := c.userSSHKeys(u.Name)
	for _, k := range keys {
		if bytes.Equal(k.Blob, blob) {
			return nil, errf("DuplicateSSHPublicKey", "The SSH public key is already associated with the specified IAM user.")
		}
	}
	if len(keys) >= maxSSHKeysPerUser {
		return nil, errf("LimitExceeded", "Cannot exceed quota for SSHPublicKeysPerUser: %d", maxSSHKeysPerUser)
	}
	pk, _ := ssh.ParsePublicKey(blob) // blob came from ssh.NewPublicKey
	k := &sshKey{
		ID: newUniqueID("APKA"), UserName: u.Name, Status: "Active", Body: body, Encoding: encoding, Blob: blob,
		Fingerprint: strings.TrimPrefix(ssh.FingerprintLegacyMD5(pk), "MD5:"), Uploaded: c.now, Seq: c.st.next(),
	}
	c.st.SSHKeys[k.ID] = k
	return sshKeyResult{k.xml(body)}, nil
}

type listSSHKeysResult struct {
	SSHPublicKeys members[xmlSSHKeyMetadata]
	page
}

// listSSHPublicKeys lists the named user's keys, or the caller's; the root
// user has none.
func listSSHPublicKeys(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserName, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	var keys []*sshKey
	if name != "" || !c.caller.Root {
		u, err := c.targetUser(&v, ruleUserName)
		if err != nil {
			return nil, err
		}
		keys = c.userSSHKeys(u.Name)
	}
	items, pg, err := paginate(c.p, keys, func(k *sshKey) string { return seqKey(k.Seq) })
	if err != nil {
		return nil, err
	}
	out := listSSHKeysResult{SSHPublicKeys: list([]xmlSSHKeyMetadata{}), page: pg}
	for _, k := range items {
		out.SSHPublicKeys.Member = append(out.SSHPublicKeys.Member, xmlSSHKeyMetadata{k.UserName, k.ID, k.Status, isoTime(k.Uploaded)})
	}
	return out, nil
}

// findSSHKey resolves UserName + SSHPublicKeyId; another user's key is
// NoSuchEntity.
func (c *call) findSSHKey(v *checker) (*sshKey, *apiError) {
	name := v.str(c.p, "UserName", ruleUserName, true)
	id := v.str(c.p, "SSHPublicKeyId", ruleKeyID, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	u, err := c.findUser(name)
	if err != nil {
		return nil, err
	}
	k := c.st.SSHKeys[id]
	if k == nil || !equalFoldName(k.UserName, u.Name) {
		return nil, errf("NoSuchEntity", "The Public Key with id %s cannot be found.", id)
	}
	return k, nil
}

// getSSHPublicKey answers an unknown Encoding with
// UnrecognizedPublicKeyEncoding, the error the model lists for it.
func getSSHPublicKey(c *call) (any, *apiError) {
	var v checker
	enc, ok := c.p["Encoding"]
	if !ok {
		v.msgs = append(v.msgs, "Value null at 'encoding' failed to satisfy constraint: Member must not be null")
	}
	k, err := c.findSSHKey(&v)
	if err != nil {
		return nil, err
	}
	if enc[0] != "SSH" && enc[0] != "PEM" {
		return nil, errf("UnrecognizedPublicKeyEncoding", "The encoding %s is not supported; use SSH or PEM.", enc[0])
	}
	body, err := k.render(enc[0])
	if err != nil {
		return nil, err
	}
	return sshKeyResult{k.xml(body)}, nil
}

func updateSSHPublicKey(c *call) (any, *apiError) {
	var v checker
	status := v.enum(c.p, "Status", true, "Active", "Inactive", "Expired")
	k, err := c.findSSHKey(&v)
	if err != nil {
		return nil, err
	}
	if status == "Expired" {
		return nil, errf("InvalidInput", "SSH public keys cannot be set to Expired.")
	}
	k.Status = status
	return nil, nil
}

func deleteSSHPublicKey(c *call) (any, *apiError) {
	var v checker
	k, err := c.findSSHKey(&v)
	if err != nil {
		return nil, err
	}
	delete(c.st.SSHKeys, k.ID)
	return nil, nil
}
