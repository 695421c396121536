package iamemu

import (
	"sort"
	"strings"
)

const maxTags = 50

// tagUser adds or overwrites tags by key, at most 50 per user
// (docs/iam-notes.md#tags).
// tagsToAdd reads a Tag* call's Tags, which must be given (an empty
// list is not null) and valid, keys compared ignoring case.
func (c *call) tagsToAdd() ([]tag, *apiError) {
	tags := c.p.tags()
	if tags == nil {
		return nil, validationErr("Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	if err := checkTags(tags, true); err != nil {
		return nil, err
	}
	return tags, nil
}

func tagUser(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserRef, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	tags, err := c.tagsToAdd()
	if err != nil {
		return nil, err
	}
	u, err := c.findUser(name)
	if err != nil {
		return nil, err
	}
	return nil, mergeTags(&u.Tags, tags, "TagsPerUser")
}

// mergeTags adds or overwrites tags by key. The tag keys of users and roles
// are case-insensitive: department=hr replaces Department=finance.
func mergeTags(have *[]tag, tags []tag, quota string) *apiError {
	merged := append([]tag{}, *have...)
	for _, t := range tags {
		replaced := false
		for i := range merged {
			if strings.EqualFold(merged[i].Key, t.Key) {
				merged[i], replaced = t, true
			}
		}
		if !replaced {
			merged = append(merged, t)
		}
	}
	if len(merged) > maxTags {
		return errf("LimitExceeded", "Cannot exceed quota for %s: %d", quota, maxTags)
	}
	*have = merged
	return nil
}

// dropTags removes tags by key, without regard to case.
func dropTags(have []tag, keys []string) []tag {
	drop := map[string]bool{}
	for _, k := range keys {
		drop[strings.ToLower(k)] = true
	}
	var kept []tag
	for _, t := range have {
		if !drop[strings.ToLower(t.Key)] {
			kept = append(kept, t)
		}
	}
	return kept
}

// tagKeysParam reads the required TagKeys list of an Untag action.
func (c *call) tagKeysParam(v *checker) []string {
	keys := c.p.list("TagKeys")
	if keys == nil {
		v.msgs = append(v.msgs, "Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
	}
	return keys
}

// sortedTagPage pages tags sorted by key in byte order (A before a).
func sortedTagPage(c *call, have []tag) (any, *apiError) {
	tags := tagsXML(have)
	sort.Slice(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
	items, pg, err := paginate(c.p, tags, func(t xmlTag) string { return t.Key })
	if err != nil {
		return nil, err
	}
	return listUserTagsResult{list(append([]xmlTag{}, items...)), pg}, nil
}

func untagUser(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserRef, true)
	keys := c.tagKeysParam(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	for _, k := range keys {
		if reservedTagKey(k) {
			return nil, errf("InvalidInput", "Tag keys starting with 'aws:' are reserved for internal use.")
		}
	}
	u, err := c.findUser(name)
	if err != nil {
		return nil, err
	}
	u.Tags = dropTags(u.Tags, keys)
	return nil, nil
}

type listUserTagsResult struct {
	Tags members[xmlTag]
	page
}

// listUserTags sorts by key in byte order (A before a).
func listUserTags(c *call) (any, *apiError) {
	u, err := c.namedUser()
	if err != nil {
		return nil, err
	}
	return sortedTagPage(c, u.Tags)
}
