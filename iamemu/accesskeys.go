package iamemu

import (
	"sort"
	"time"
)

type xmlAccessKey struct {
	UserName        string
	AccessKeyId     string
	Status          string
	SecretAccessKey string `xml:",omitempty"` // CreateAccessKey only
	CreateDate      isoTime
}

type createAccessKeyResult struct {
	AccessKey xmlAccessKey
}

// userKeys returns a user's keys, oldest first (the credential report's key
// 1 and key 2).
func (c *call) userKeys(u *user) []*accessKey { return c.st.ownerKeys(u.Name) }

// ownerKeys returns the keys of a user, or of the root user for "", oldest
// first. The emulator's own root credentials (RootCredentials) are not
// among the root user's keys: they let tests act as root without showing
// in the credential report.
func (s *state) ownerKeys(owner string) []*accessKey {
	var out []*accessKey
	for _, k := range s.AccessKeys {
		if owner == "" && k.UserName == "" || equalFoldName(k.UserName, owner) {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// credentialOwner resolves the optional UserName of the access key and
// signing certificate actions: a named user, the calling user, or "" for the
// root user calling without one (root manages its own credentials that way).
func (c *call) credentialOwner(v *checker) (string, *apiError) {
	name := v.str(c.p, "UserName", ruleUserRef, false)
	if err := v.err(); err != nil {
		return "", err
	}
	if name == "" && c.caller.Root {
		return "", nil
	}
	u, err := c.targetUser(v, ruleUserRef)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

// keyUserName is the UserName AWS shows for a key: the root user's keys
// are shown as "root".
func keyUserName(k *accessKey) string {
	if k.UserName == "" {
		return "root"
	}
	return k.UserName
}

// createAccessKey: at most 2 keys per user (the root user too), Inactive
// ones included: the quota counts keys assigned to the user.
func createAccessKey(c *call) (any, *apiError) {
	var v checker
	owner, err := c.credentialOwner(&v)
	if err != nil {
		return nil, err
	}
	k, err := c.st.newAccessKey(owner, c.now)
	if err != nil {
		return nil, err
	}
	return createAccessKeyResult{xmlAccessKey{keyUserName(k), k.ID, k.Status, k.Secret, isoTime(k.Created)}}, nil
}

// newAccessKey creates an Active key for owner ("" = root).
func (s *state) newAccessKey(owner string, now time.Time) (*accessKey, *apiError) {
	if len(s.ownerKeys(owner)) >= 2 {
		return nil, errf("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
	}
	k := &accessKey{
		ID: newKeyID("AKIA", s.AccountID), Secret: newSecret(), UserName: owner,
		Status: "Active", Created: now, Seq: s.next(),
	}
	s.AccessKeys[k.ID] = k
	return k, nil
}

type listAccessKeysResult struct {
	AccessKeyMetadata members[xmlAccessKey]
	page
}

func listAccessKeys(c *call) (any, *apiError) {
	var v checker
	owner, err := c.credentialOwner(&v)
	if err != nil {
		return nil, err
	}
	items, pg, err := paginate(c.p, c.st.ownerKeys(owner), func(k *accessKey) string { return seqKey(k.Seq) })
	if err != nil {
		return nil, err
	}
	out := listAccessKeysResult{AccessKeyMetadata: list([]xmlAccessKey{}), page: pg}
	for _, k := range items {
		out.AccessKeyMetadata.Member = append(out.AccessKeyMetadata.Member, xmlAccessKey{keyUserName(k), k.ID, k.Status, "", isoTime(k.Created)})
	}
	return out, nil
}

// findKey resolves AccessKeyId for the target user.
func (c *call) findKey() (*accessKey, *apiError) {
	var v checker
	id := v.str(c.p, "AccessKeyId", ruleAccessKeyID, true)
	owner, err := c.credentialOwner(&v)
	if err != nil {
		return nil, err
	}
	k := c.st.AccessKeys[id]
	if k == nil || !(owner == "" && k.UserName == "" || equalFoldName(k.UserName, owner)) {
		return nil, errf("NoSuchEntity", "The Access Key with id %s cannot be found.", id)
	}
	return k, nil
}

func updateAccessKey(c *call) (any, *apiError) {
	var v checker
	status := v.enum(c.p, "Status", true, "Active", "Inactive", "Expired")
	if err := v.err(); err != nil {
		return nil, err
	}
	k, err := c.findKey()
	if err != nil {
		return nil, err
	}
	if status == "Expired" {
		return nil, errf("InvalidInput", "Access keys cannot be set to Expired.")
	}
	k.Status = status
	return nil, nil
}

func deleteAccessKey(c *call) (any, *apiError) {
	k, err := c.findKey()
	if err != nil {
		return nil, err
	}
	delete(c.st.AccessKeys, k.ID)
	return nil, nil
}

type xmlKeyLastUsed struct {
	LastUsedDate *isoTime
	ServiceName  string
	Region       string
}

type getAccessKeyLastUsedResult struct {
	UserName          string
	AccessKeyLastUsed xmlKeyLastUsed
}

// getAccessKeyLastUsed answers AccessDenied for unknown keys, as AWS does
// (docs/iam-notes.md#access-keys); never-used keys report "N/A".
func getAccessKeyLastUsed(c *call) (any, *apiError) {
	var v checker
	id := v.str(c.p, "AccessKeyId", ruleAccessKeyID, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	k := c.st.AccessKeys[id]
	if k == nil {
		return nil, errf("AccessDenied", "User: %s is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key %s", c.caller.Arn, id)
	}
	out := getAccessKeyLastUsedResult{UserName: keyUserName(k), AccessKeyLastUsed: xmlKeyLastUsed{ServiceName: "N/A", Region: "N/A"}}
	if lu := k.LastUsed; lu != nil {
		out.AccessKeyLastUsed = xmlKeyLastUsed{optTime(lu.When), lu.Service, lu.Region}
	}
	return out, nil
}
