package iamemu

import (
	"encoding/base64"
	"sort"
	"time"
)

type serviceCred struct {
	ID, UserName, ServiceName, ServiceUserName, Password, Status string
	Created                                                      time.Time
}

// supportedServices accept service-specific credentials
// (docs/iam-notes.md#service-specific-credentials).
var supportedServices = map[string]bool{"codecommit.amazonaws.com": true, "cassandra.amazonaws.com": true}

const maxCredsPerService = 2

// userServiceCreds returns a user's service-specific credentials by id.
func (c *call) userServiceCreds(userName string) []*serviceCred {
	var out []*serviceCred
	for _, s := range c.st.ServiceCreds {
		if equalFoldName(s.UserName, userName) {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

type xmlServiceCred struct {
	CreateDate                  isoTime
	ServiceName                 string
	ServiceUserName             string
	ServicePassword             string `xml:",omitempty"`
	ServiceSpecificCredentialId string
	UserName                    string
	Status                      string
}

func credXML(s *serviceCred, withPassword bool) xmlServiceCred {
	x := xmlServiceCred{isoTime(s.Created), s.ServiceName, s.ServiceUserName, "", s.ID, s.UserName, s.Status}
	if withPassword {
		x.ServicePassword = s.Password
	}
	return x
}

type serviceCredResult struct {
	ServiceSpecificCredential xmlServiceCred
}

// newServicePassword mimics AWS's 60-character passwords ending in '='.
func newServicePassword() string { return base64.StdEncoding.EncodeToString(randomBytes(44)) }

// createServiceSpecificCredential: an unsupported service is NoSuchEntity,
// not the modeled NotSupportedService
// (docs/iam-notes.md#service-specific-credentials). moto does not implement
// it.
func createServiceSpecificCredential(c *call) (any, *apiError) {
	var v checker
	userName := v.str(c.p, "UserName", ruleUserName, true)
	service := v.str(c.p, "ServiceName", ruleServiceName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	u, err := c.findUser(userName)
	if err != nil {
		return nil, err
	}
	if !supportedServices[service] {
		return nil, errf("NoSuchEntity", "No such service %s is supported for Service Specific Credentials", service)
	}
	n := 0
	for _, s := range c.userServiceCreds(u.Name) {
		if s.ServiceName == service {
			n++
		}
	}
	if n >= maxCredsPerService {
		return nil, errf("LimitExceeded", "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: %d", maxCredsPerService)
	}
	s := &serviceCred{
		ID: newUniqueID("ACCA"), UserName: u.Name, ServiceName: service,
		ServiceUserName: u.Name + "-at-" + c.st.AccountID, Password: newServicePassword(),
		Status: "Active", Created: c.now,
	}
	c.st.ServiceCreds[s.ID] = s
	return serviceCredResult{credXML(s, true)}, nil
}

type listServiceCredsResult struct {
	ServiceSpecificCredentials members[xmlServiceCred]
	page
}

// listServiceSpecificCredentials lists one user's credentials (the named
// user or the caller), or with AllUsers every user's, paged by Marker.
func listServiceSpecificCredentials(c *call) (any, *apiError) {
	var v checker
	service := v.str(c.p, "ServiceName", ruleServiceName, false)
	all, err := c.p.boolean("AllUsers")
	if err != nil {
		return nil, err
	}
	var creds []*serviceCred
	if all {
		if c.p.get("UserName") != "" {
			return nil, errf("InvalidInput", "AllUsers cannot be specified together with UserName.")
		}
		for _, s := range c.st.ServiceCreds {
			creds = append(creds, s)
		}
	} else {
		u, err := c.targetUser(&v, ruleUserName)
		if err != nil {
			return nil, err
		}
		creds = c.userServiceCreds(u.Name)
	}
	if service != "" && !supportedServices[service] {
		return nil, errf("NoSuchEntity", "No such service %s is supported for Service Specific Credentials", service)
	}
	var kept []*serviceCred
	for _, s := range creds {
		if service == "" || s.ServiceName == service {
			kept = append(kept, s)
		}
	}
	items, pg, err := paginate(c.p, kept, func(s *serviceCred) string { return s.ID })
	if err != nil {
		return nil, err
	}
	out := listServiceCredsResult{ServiceSpecificCredentials: list([]xmlServiceCred{}), page: pg}
	for _, s := range items {
		out.ServiceSpecificCredentials.Member = append(out.ServiceSpecificCredentials.Member, credXML(s, false))
	}
	return out, nil
}

// findServiceCred resolves ServiceSpecificCredentialId for the target user.
func (c *call) findServiceCred() (*serviceCred, *apiError) {
	var v checker
	id := v.str(c.p, "ServiceSpecificCredentialId", ruleCredentialID, true)
	u, err := c.targetUser(&v, ruleUserName)
	if err != nil {
		return nil, err
	}
	s := c.st.ServiceCreds[id]
	if s == nil || !equalFoldName(s.UserName, u.Name) {
		return nil, errf("NoSuchEntity", "No such credential %s exists", id)
	}
	return s, nil
}

func resetServiceSpecificCredential(c *call) (any, *apiError) {
	s, err := c.findServiceCred()
	if err != nil {
		return nil, err
	}
	s.Password = newServicePassword()
	return serviceCredResult{credXML(s, true)}, nil
}

func updateServiceSpecificCredential(c *call) (any, *apiError) {
	var v checker
	status := v.enum(c.p, "Status", true, "Active", "Inactive", "Expired")
	if err := v.err(); err != nil {
		return nil, err
	}
	s, err := c.findServiceCred()
	if err != nil {
		return nil, err
	}
	s.Status = status
	return nil, nil
}

func deleteServiceSpecificCredential(c *call) (any, *apiError) {
	s, err := c.findServiceCred()
	if err != nil {
		return nil, err
	}
	delete(c.st.ServiceCreds, s.ID)
	return nil, nil
}
