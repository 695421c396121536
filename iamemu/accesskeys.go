package iamemu

import (
	"sort"
	"strings"
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
func (c *call) userKeys(u *user) []*accessKey {
	var out []*accessKey
	for _, k := range c.st.AccessKeys {
		if strings.EqualFold(k.UserName, u.Name) {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// createAccessKey: at most 2 keys per user, Inactive ones included (§3).
func createAccessKey(c *call) (any, *apiError) {
	var v checker
	u, err := c.targetUser(&v, ruleUserRef)
	if err != nil {
		return nil, err
	}
	if len(c.userKeys(u)) >= 2 {
		return nil, errf("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
	}
	k := &accessKey{
		ID: newKeyID("AKIA", c.st.AccountID), Secret: newSecret(), UserName: u.Name,
		Status: "Active", Created: c.now, Seq: c.st.next(),
	}
	c.st.AccessKeys[k.ID] = k
	return createAccessKeyResult{xmlAccessKey{u.Name, k.ID, k.Status, k.Secret, isoTime(k.Created)}}, nil
}

type listAccessKeysResult struct {
	AccessKeyMetadata members[xmlAccessKey]
	page
}

func listAccessKeys(c *call) (any, *apiError) {
	var v checker
	type keyItem struct {
		x   xmlAccessKey
		seq int64
	}
	var keys []keyItem
	if c.p.get("UserName") == "" && c.caller.Root {
		keys = append(keys, keyItem{xmlAccessKey{AccessKeyId: c.st.Root.AccessKeyID, Status: "Active", CreateDate: isoTime(c.st.Created)}, 0})
	} else {
		u, err := c.targetUser(&v, ruleUserRef)
		if err != nil {
			return nil, err
		}
		for _, k := range c.userKeys(u) {
			keys = append(keys, keyItem{xmlAccessKey{UserName: u.Name, AccessKeyId: k.ID, Status: k.Status, CreateDate: isoTime(k.Created)}, k.Seq})
		}
	}
	items, pg, err := paginate(c.p, keys, func(k keyItem) string { return seqKey(k.seq) })
	if err != nil {
		return nil, err
	}
	out := listAccessKeysResult{AccessKeyMetadata: list([]xmlAccessKey{}), page: pg}
	for _, k := range items {
		out.AccessKeyMetadata.Member = append(out.AccessKeyMetadata.Member, k.x)
	}
	return out, nil
}

// findKey resolves AccessKeyId for the target user.
func (c *call) findKey() (*accessKey, *apiError) {
	var v checker
	id := v.str(c.p, "AccessKeyId", ruleAccessKeyID, true)
	u, err := c.targetUser(&v, ruleUserRef)
	if err != nil {
		return nil, err
	}
	k := c.st.AccessKeys[id]
	if k == nil || !strings.EqualFold(k.UserName, u.Name) {
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
// (§12.14); never-used keys report "N/A".
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
	out := getAccessKeyLastUsedResult{UserName: k.UserName, AccessKeyLastUsed: xmlKeyLastUsed{ServiceName: "N/A", Region: "N/A"}}
	if lu := k.LastUsed; lu != nil {
		out.AccessKeyLastUsed = xmlKeyLastUsed{optTime(lu.When), lu.Service, lu.Region}
	}
	return out, nil
}
