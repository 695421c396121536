package iamemu

type xmlLoginProfile struct {
	UserName              string
	CreateDate            isoTime
	PasswordResetRequired bool // present even when false in real responses (docs/iam-notes.md#response-shapes)
}

type loginProfileResult struct {
	LoginProfile xmlLoginProfile
}

func createLoginProfile(c *call) (any, *apiError) {
	var v checker
	password := v.str(c.p, "Password", rulePassword, true)
	reset, err := c.p.boolean("PasswordResetRequired")
	if err != nil {
		return nil, err
	}
	u, err := c.targetUser(&v, ruleUserName)
	if err != nil {
		return nil, err
	}
	if u.Login != nil {
		return nil, errf("EntityAlreadyExists", "Login Profile for user %s already exists.", u.Name)
	}
	if err := c.checkPassword(password, nil); err != nil {
		return nil, err
	}
	lp := &loginProfile{Created: c.now, Changed: c.now, ResetRequired: reset}
	lp.setPassword(password)
	u.Login = lp
	return loginProfileResult{xmlLoginProfile{u.Name, isoTime(lp.Created), reset}}, nil
}

// profileOf resolves the target user and its login profile.
func (c *call) profileOf(r rule) (*user, *loginProfile, *apiError) {
	var v checker
	u, err := c.targetUser(&v, r)
	if err != nil {
		return nil, nil, err
	}
	if u.Login == nil {
		return nil, nil, errf("NoSuchEntity", "Login Profile for User %s cannot be found.", u.Name)
	}
	return u, u.Login, nil
}

func getLoginProfile(c *call) (any, *apiError) {
	u, lp, err := c.profileOf(ruleUserName)
	if err != nil {
		return nil, err
	}
	return loginProfileResult{xmlLoginProfile{u.Name, isoTime(lp.Created), lp.ResetRequired}}, nil
}

func updateLoginProfile(c *call) (any, *apiError) {
	var v checker
	password := v.str(c.p, "Password", rulePassword, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	reset, err := c.p.boolean("PasswordResetRequired")
	if err != nil {
		return nil, err
	}
	_, lp, err := c.profileOf(ruleUserName)
	if err != nil {
		return nil, err
	}
	if c.p.has("Password") {
		if err := c.checkPassword(password, lp); err != nil {
			return nil, err
		}
		lp.setPassword(password)
		lp.Changed = c.now
	}
	// PasswordResetRequired is a tri-state pointer boolean: only change it
	// when it was sent (docs/iam-notes.md#wire-protocol).
	if c.p.has("PasswordResetRequired") {
		lp.ResetRequired = reset
	}
	return nil, nil
}

func deleteLoginProfile(c *call) (any, *apiError) {
	u, _, err := c.profileOf(ruleUserName)
	if err != nil {
		return nil, err
	}
	u.Login = nil
	return nil, nil
}

// changePassword acts on the calling IAM user only
// (docs/iam-notes.md#login-profiles-and-password-policy).
func changePassword(c *call) (any, *apiError) {
	var v checker
	oldPw := v.str(c.p, "OldPassword", rulePassword, true)
	newPw := v.str(c.p, "NewPassword", rulePassword, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	if c.caller.UserName == "" {
		return nil, errf("InvalidUserType", "Only IAM users can change their own password.")
	}
	u, err := c.findUser(c.caller.UserName)
	if err != nil {
		return nil, err
	}
	if u.Login == nil {
		return nil, errf("NoSuchEntity", "Login Profile for User %s cannot be found.", u.Name)
	}
	// AWS's code for a wrong old password is unconfirmed; the console
	// reports it as an authorization failure, so answer AccessDenied.
	if !u.Login.matches(oldPw) {
		return nil, errf("AccessDenied", "The old password provided is incorrect.")
	}
	if err := c.checkPassword(newPw, u.Login); err != nil {
		return nil, err
	}
	u.Login.setPassword(newPw)
	u.Login.Changed = c.now
	u.Login.ResetRequired = false
	return nil, nil
}
