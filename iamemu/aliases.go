package iamemu

import "strings"

// Account aliases. An account has at most one: creating a new alias
// replaces the old one (observed on AWS, floci-io/floci#2103), creating the
// alias the account already has is EntityAlreadyExists, and deleting needs
// the current alias by name.

// aliasPattern is the model's pattern; Go's regexp has no look-ahead, so
// validAlias checks the "no two dashes in a row" part by hand.
const aliasPattern = `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`

var ruleAlias = mkRule(3, 63, "", "")

func validAlias(s string) bool {
	if s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// aliasParam validates AccountAlias with AWS's ValidationError texts.
func (c *call) aliasParam() (string, *apiError) {
	var v checker
	alias := v.str(c.p, "AccountAlias", ruleAlias, true)
	if len(v.msgs) == 0 && !validAlias(alias) {
		v.msgs = append(v.msgs, "Value at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: "+aliasPattern)
	}
	return alias, v.err()
}

type listAccountAliasesResult struct {
	AccountAliases members[string]
	page
}

func listAccountAliases(c *call) (any, *apiError) {
	var aliases []string
	if c.st.AccountAlias != "" {
		aliases = append(aliases, c.st.AccountAlias)
	}
	items, pg, err := paginate(c.p, aliases, func(s string) string { return s })
	if err != nil {
		return nil, err
	}
	return listAccountAliasesResult{list(append([]string{}, items...)), pg}, nil
}

func createAccountAlias(c *call) (any, *apiError) {
	alias, err := c.aliasParam()
	if err != nil {
		return nil, err
	}
	if alias == c.st.AccountAlias {
		return nil, errf("EntityAlreadyExists", "The account alias %s already exists.", alias)
	}
	c.st.AccountAlias = alias
	return nil, nil
}

func deleteAccountAlias(c *call) (any, *apiError) {
	alias, err := c.aliasParam()
	if err != nil {
		return nil, err
	}
	if alias != c.st.AccountAlias {
		return nil, errf("NoSuchEntity", "The account alias %s cannot be found.", alias)
	}
	c.st.AccountAlias = ""
	return nil, nil
}

// otpauthAccount is the account name in QR codes: the alias when there is
// one, else the account id, as the QR codes AWS draws do.
func (s *state) otpauthAccount() string {
	if s.AccountAlias != "" {
		return s.AccountAlias
	}
	return s.AccountID
}
