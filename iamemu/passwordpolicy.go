package iamemu

type xmlPasswordPolicy struct {
	MinimumPasswordLength      int
	RequireSymbols             bool
	RequireNumbers             bool
	RequireUppercaseCharacters bool
	RequireLowercaseCharacters bool
	AllowUsersToChangePassword bool
	ExpirePasswords            bool
	MaxPasswordAge             int  `xml:",omitempty"`
	PasswordReusePrevention    int  `xml:",omitempty"`
	HardExpiry                 bool `xml:",omitempty"`
}

type passwordPolicyResult struct {
	PasswordPolicy xmlPasswordPolicy
}

// getAccountPasswordPolicy answers NoSuchEntity when no custom policy is set;
// the default policy is never returned
// (docs/iam-notes.md#login-profiles-and-password-policy), though it is
// enforced.
func getAccountPasswordPolicy(c *call) (any, *apiError) {
	pp := c.st.PasswordPolicy
	if pp == nil {
		return nil, errf("NoSuchEntity", "The Password Policy with domain name %s cannot be found.", c.st.AccountID)
	}
	return passwordPolicyResult{xmlPasswordPolicy{
		MinimumPasswordLength:      pp.MinimumPasswordLength,
		RequireSymbols:             pp.RequireSymbols,
		RequireNumbers:             pp.RequireNumbers,
		RequireUppercaseCharacters: pp.RequireUppercase,
		RequireLowercaseCharacters: pp.RequireLowercase,
		AllowUsersToChangePassword: pp.AllowUsersToChangePassword,
		ExpirePasswords:            pp.MaxPasswordAge > 0,
		MaxPasswordAge:             pp.MaxPasswordAge,
		PasswordReusePrevention:    pp.PasswordReusePrevention,
		HardExpiry:                 pp.HardExpiry,
	}}, nil
}

// updateAccountPasswordPolicy replaces the custom policy; omitted settings
// take AWS's defaults (minimum length 6, nothing required).
func updateAccountPasswordPolicy(c *call) (any, *apiError) {
	pp := &passwordPolicy{}
	var err *apiError
	if pp.MinimumPasswordLength, err = c.p.integer("MinimumPasswordLength", 6, 6, 128); err != nil {
		return nil, err
	}
	if pp.MaxPasswordAge, err = c.p.integer("MaxPasswordAge", 0, 1, 1095); err != nil {
		return nil, err
	}
	if pp.PasswordReusePrevention, err = c.p.integer("PasswordReusePrevention", 0, 1, 24); err != nil {
		return nil, err
	}
	for key, dst := range map[string]*bool{
		"RequireSymbols":             &pp.RequireSymbols,
		"RequireNumbers":             &pp.RequireNumbers,
		"RequireUppercaseCharacters": &pp.RequireUppercase,
		"RequireLowercaseCharacters": &pp.RequireLowercase,
		"AllowUsersToChangePassword": &pp.AllowUsersToChangePassword,
		"HardExpiry":                 &pp.HardExpiry,
	} {
		if *dst, err = c.p.boolean(key); err != nil {
			return nil, err
		}
	}
	c.st.PasswordPolicy = pp
	return nil, nil
}

func deleteAccountPasswordPolicy(c *call) (any, *apiError) {
	if c.st.PasswordPolicy == nil {
		return nil, errf("NoSuchEntity", "The account policy with name PasswordPolicy cannot be found.")
	}
	c.st.PasswordPolicy = nil
	return nil, nil
}
