package iamemu

import "time"

type serviceCred struct {
	ID, UserName, ServiceName, ServiceUserName, Password, Status string
	Created                                                      time.Time
}

// userServiceCreds returns a user's service-specific credentials.
func (c *call) userServiceCreds(userName string) []*serviceCred {
	var out []*serviceCred
	for _, s := range c.st.ServiceCreds {
		if equalFoldName(s.UserName, userName) {
			out = append(out, s)
		}
	}
	return out
}
