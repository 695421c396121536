package iamemu

import (
	"strings"
	"time"
)

type getCallerIdentityResult struct {
	UserId  string
	Account string
	Arn     string
}

// getCallerIdentity: session credentials from GetSessionToken identify as
// the IAM user (or root) that requested them.
func getCallerIdentity(c *call) (any, *apiError) {
	return getCallerIdentityResult{c.caller.UserID, c.st.AccountID, c.caller.Arn}, nil
}

type xmlCredentials struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      isoTime
}

type getSessionTokenResult struct {
	Credentials xmlCredentials
}

const msgBadSTSCode = "MultiFactorAuthentication failed with invalid MFA one time pass code."

// getSessionToken issues ASIA credentials. With SerialNumber+TokenCode the
// code is checked against the caller's assigned device (±1 step around
// now + drift, single use) and the session carries MFAPresent.
func getSessionToken(c *call) (any, *apiError) {
	if c.caller.Session {
		return nil, errf("AccessDenied", "Cannot call GetSessionToken with session credentials")
	}
	def, max := 43200, 129600
	if c.caller.Root {
		def, max = 3600, 3600 // root sessions are limited to one hour
	}
	dur, err := c.p.integer("DurationSeconds", def, 900, max)
	if err != nil {
		return nil, err
	}
	var v checker
	serial := v.str(c.p, "SerialNumber", ruleSerial, false)
	code := v.str(c.p, "TokenCode", ruleAuthCode, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := &session{
		AccessKeyID: newKeyID("ASIA", c.st.AccountID), Secret: newSecret(), Token: newSessionToken(),
		UserName: c.caller.UserName, Expires: c.now.Add(time.Duration(dur) * time.Second),
	}
	if serial != "" || code != "" {
		d := c.st.Devices[serial]
		if d == nil || code == "" || c.caller.Root || !strings.EqualFold(d.UserName, c.caller.UserName) {
			return nil, errf("AccessDenied", msgBadSTSCode)
		}
		key, kerr := decodeSeed(d.Seed)
		if kerr != nil {
			return nil, errf("AccessDenied", msgBadSTSCode)
		}
		step, ok := findSingle(key, code, stepOf(c.now)+d.Drift, 1, d.LastStep)
		if !ok {
			return nil, errf("AccessDenied", msgBadSTSCode)
		}
		d.LastStep = step
		s.MFA, s.MFAAuthTime = true, c.now
	}
	c.st.Sessions[s.AccessKeyID] = s
	c.dropExpiredSessions()
	return getSessionTokenResult{xmlCredentials{s.AccessKeyID, s.Secret, s.Token, isoTime(s.Expires)}}, nil
}

func (c *call) dropExpiredSessions() {
	for id, s := range c.st.Sessions {
		if !c.now.Before(s.Expires) {
			delete(c.st.Sessions, id)
		}
	}
}
