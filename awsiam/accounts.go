package awsiam

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/smithy-go"

	"github.com/gatehouse/portal"
)

// SessionName is the role session name of Gatehouse's sessions in member
// accounts: CloudTrail shows it in every call made there.
const SessionName = "gatehouse"

// Accounts hands out the client of each account Gatehouse manages: the hub
// client for the hub account, and for a member account a client whose
// credentials come from assuming the account's role from the hub
// (stscreds with the external ID, in a credentials cache that refreshes the
// session before it expires). Sessions live only in memory. Clients are
// kept per account; a changed role or external ID builds a new one.
type Accounts struct {
	cfg Config
	hub *Client
	id  string

	mu      sync.Mutex
	members map[string]*member
}

type member struct {
	roleARN, externalID string
	client              *Client
}

// NewAccounts returns the factory over the hub client (built from cfg, in
// account hubID). Member clients reach the same endpoint with the same
// settings, each with its own pacing (IAM's rate is per account).
func NewAccounts(cfg Config, hub *Client, hubID string) *Accounts {
	cfg.AccessKeyID, cfg.SecretAccessKey = "", ""
	cfg.Pacer = nil
	cfg.Partition = hub.partition
	return &Accounts{cfg: cfg, hub: hub, id: hubID, members: map[string]*member{}}
}

// Hub returns the hub account's client.
func (a *Accounts) Hub() *Client { return a.hub }

// HubID returns the hub account's ID.
func (a *Accounts) HubID() string { return a.id }

// Partition returns the partition of every account (a role can only be
// assumed within its partition).
func (a *Accounts) Partition() portal.Partition { return a.hub.partition }

// Client returns the client of acct: the hub client for the hub, otherwise
// one acting through acct's role. Building it calls nothing; the first call
// made with it assumes the role, and fails with the reason
// (AssumeRoleReason) when the role cannot be assumed.
func (a *Accounts) Client(ctx context.Context, acct *portal.Account) (*Client, error) {
	if acct.Hub || acct.ID == a.id {
		return a.hub, nil
	}
	roleARN := a.roleARN(acct)
	a.mu.Lock()
	defer a.mu.Unlock()
	if m := a.members[acct.ID]; m != nil && m.roleARN == roleARN && m.externalID == acct.ExternalID {
		return m.client, nil
	}
	c, err := a.assume(ctx, roleARN, acct.ExternalID)
	if err != nil {
		return nil, err
	}
	a.members[acct.ID] = &member{roleARN: roleARN, externalID: acct.ExternalID, client: c}
	return c, nil
}

// Forget drops the client of account id, so the next one assumes the role
// anew (after the account was removed or its role changed).
func (a *Accounts) Forget(id string) {
	a.mu.Lock()
	delete(a.members, id)
	a.mu.Unlock()
}

// roleARN is the account's role, or the default GatehouseAdmin role.
func (a *Accounts) roleARN(acct *portal.Account) string {
	if acct.RoleARN != "" {
		return acct.RoleARN
	}
	return a.hub.partition.DefaultRoleARN(acct.ID)
}

// assume builds a client that acts as roleARN, assumed from the hub.
func (a *Accounts) assume(ctx context.Context, roleARN, externalID string) (*Client, error) {
	provider := stscreds.NewAssumeRoleProvider(a.hub.sts, roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = SessionName
		if externalID != "" {
			o.ExternalID = aws.String(externalID)
		}
	})
	cfg := a.cfg
	cfg.credentials = aws.NewCredentialsCache(provider)
	return New(ctx, cfg)
}

// Check assumes acct's role afresh (not from a cached session) and asks
// STS who that session is: nil when it is the account's role, otherwise an
// error whose message says in plain words what failed (AssumeRoleReason).
// A successful check replaces the account's cached client.
func (a *Accounts) Check(ctx context.Context, acct *portal.Account) error {
	if acct.Hub || acct.ID == a.id {
		_, err := a.hub.Identity(ctx)
		return err
	}
	roleARN := a.roleARN(acct)
	c, err := a.assume(ctx, roleARN, acct.ExternalID)
	if err != nil {
		return err
	}
	out, err := c.sts.GetCallerIdentity(ctx, nil)
	if err != nil {
		return checkErr(err)
	}
	if got := aws.ToString(out.Account); got != acct.ID {
		return portal.E(portal.EINVALID, "account.reason.otheraccount", roleARN, got)
	}
	a.mu.Lock()
	a.members[acct.ID] = &member{roleARN: roleARN, externalID: acct.ExternalID, client: c}
	a.mu.Unlock()
	return nil
}

// checkErr explains a failed check: the role could not be assumed (see
// assumeRoleErr), or STS did not answer.
func checkErr(err error) error {
	if e := assumeRoleErr(err); e != nil {
		return e
	}
	return mapErr("GetCallerIdentity", err)
}

// assumeRoleErr returns the reason, in words, when err is the failure of
// assuming a member account's role (the credentials of a call in that
// account), and nil for any other error. STS answers AccessDenied alike for
// a missing role, a role that does not trust the hub and a wrong external
// ID; only an SCP's or the hub's own policy's denial names itself.
func assumeRoleErr(err error) *portal.Error {
	if !fromAssumeRole(err) {
		return nil
	}
	var api smithy.APIError
	if !errors.As(err, &api) {
		var e *portal.Error
		if errors.As(transportErr("AssumeRole", err, err), &e) && e.Code != portal.EINTERNAL {
			return portal.E(portal.EUNAVAILABLE, "account.reason.network", portal.T(e.Key, e.Args...)).WithReason("AssumeRole").Wrap(err)
		}
		return portal.E(portal.EUNAVAILABLE, "account.reason.network", portal.T("error.internal")).WithReason("AssumeRole").Wrap(err)
	}
	msg := api.ErrorMessage()
	var e *portal.Error
	switch code := api.ErrorCode(); {
	case strings.Contains(msg, "service control policy"):
		e = portal.E(portal.EUNAVAILABLE, "account.reason.scp")
	case strings.Contains(msg, "no identity-based policy allows"):
		e = portal.E(portal.EUNAVAILABLE, "account.reason.hubpolicy")
	case code == "AccessDenied" || code == "AccessDeniedException":
		e = portal.E(portal.EUNAVAILABLE, "account.reason.denied")
	case code == CodeNoSuchEntity:
		e = portal.E(portal.EUNAVAILABLE, "account.reason.norole")
	case code == "RegionDisabledException":
		e = portal.E(portal.EUNAVAILABLE, "account.reason.region")
	case code == "InvalidClientTokenId" || code == "ExpiredToken" || code == "SignatureDoesNotMatch":
		e = portal.E(portal.EUNAVAILABLE, "account.reason.hubcreds", code)
	case code == "ValidationError":
		e = portal.E(portal.EUNAVAILABLE, "account.reason.invalid", msg)
	default:
		e = portal.E(portal.EUNAVAILABLE, "account.reason.other", code)
	}
	return e.WithReason("AssumeRole").Wrap(err)
}

// fromAssumeRole reports whether err failed in STS AssumeRole (the
// credentials provider of a member account's client).
func fromAssumeRole(err error) bool {
	for _, e := range unwrapAll(err) {
		var op *smithy.OperationError
		if errors.As(e, &op) && op.OperationName == "AssumeRole" {
			return true
		}
	}
	return false
}

// unwrapAll returns err and every error it wraps, depth first.
func unwrapAll(err error) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		out = append(out, e)
		switch w := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range w.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(w.Unwrap())
		}
	}
	walk(err)
	return out
}

// OrgAccount is an account of the hub's AWS Organization.
type OrgAccount struct {
	ID, Name, Email string
	Active          bool
}

// OrganizationAccounts lists the accounts of the organization the hub
// account belongs to (organizations:ListAccounts, every page). It works
// from the management account or a delegated administrator, and fails
// with EFORBIDDEN where the hub identity may not call it.
func (c *Client) OrganizationAccounts(ctx context.Context) ([]OrgAccount, error) {
	var out []OrgAccount
	p := organizations.NewListAccountsPaginator(c.org, &organizations.ListAccountsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListAccounts", err)
		}
		for _, a := range page.Accounts {
			out = append(out, OrgAccount{ID: aws.ToString(a.Id), Name: aws.ToString(a.Name), Email: aws.ToString(a.Email),
				Active: a.State == orgtypes.AccountStateActive || (a.State == "" && a.Status == orgtypes.AccountStatusActive)})
		}
	}
	return out, nil
}
