package scim

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store"
)

// DefaultDeleteGrace is how long a user deleted over SCIM keeps its IAM
// user (disabled) before it is offboarded, so a mistaken unassignment can
// be undone.
const DefaultDeleteGrace = 7 * 24 * time.Hour

// Config holds a Service's dependencies and settings.
type Config struct {
	Store      *store.Store
	Onboarding *onboarding.Service
	Logger     *slog.Logger
	// UserNameAttr says which attribute becomes the IAM user name
	// (ParseUserNameAttr); the zero value is userName.
	UserNameAttr UserNameAttr
	// DeleteGrace is how long after a DELETE the user is offboarded
	// (default DefaultDeleteGrace).
	DeleteGrace time.Duration
	// Wake, if set, tells the local job runner a job was queued.
	Wake func()
}

// Service maps SCIM Users onto managed IAM users.
type Service struct {
	cfg Config
	log *slog.Logger
}

// New checks cfg and returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Onboarding == nil {
		return nil, fmt.Errorf("scim: Store and Onboarding are required")
	}
	if cfg.DeleteGrace <= 0 {
		cfg.DeleteGrace = DefaultDeleteGrace
	}
	if cfg.UserNameAttr.Attr == "" {
		cfg.UserNameAttr.Attr = AttrUserName
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Service{cfg: cfg, log: log}, nil
}

// DeleteGrace returns the grace period of a DELETE.
func (s *Service) DeleteGrace() time.Duration { return s.cfg.DeleteGrace }

// Caller is who sends a SCIM request: the operator owning the token (the
// audit log's actor) and the identity provider (the token's name).
type Caller struct {
	Actor onboarding.Actor
	IdP   string
}

// Base is the URL of the SCIM endpoint, for meta.location.
func (s *Service) Base() string { return s.cfg.Onboarding.Links().Base() + "/scim/v2" }

func (s *Service) now() time.Time { return s.cfg.Onboarding.Now() }

// newID returns a fresh SCIM id: a random UUID (version 4).
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// resource returns the SCIM User of a stored pair.
func (s *Service) resource(su *store.SCIMUser, u *portal.User) User {
	active := Bool(su.Active)
	out := User{Schemas: []string{SchemaUser}, ID: su.SCIMID, ExternalID: su.ExternalID, UserName: su.UserName,
		DisplayName: u.DisplayName, Active: &active,
		Meta: &Meta{ResourceType: "User", Created: su.CreatedAt.UTC(), LastModified: su.UpdatedAt.UTC(), Location: s.Base() + "/Users/" + su.SCIMID}}
	if su.GivenName != "" || su.FamilyName != "" {
		out.Name = &Name{GivenName: su.GivenName, FamilyName: su.FamilyName}
	}
	if u.Email != "" {
		out.Emails = []Email{{Value: u.Email, Type: "work", Primary: true}}
	}
	return out
}

// load returns a stored pair by SCIM id. A user deleted over SCIM (in its
// grace period or offboarded) is not found, as RFC 7644 says of a deleted
// resource, unless deleted is true.
func (s *Service) load(ctx context.Context, id string, deleted bool) (*store.SCIMUser, *portal.User, error) {
	su, err := s.cfg.Store.FindSCIMUser(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.cfg.Store.FindUserByID(ctx, su.UserID)
	if err != nil {
		return nil, nil, err
	}
	if !deleted && (!su.RemoveAfter.IsZero() || u.State == portal.StateOffboarded) {
		return nil, nil, errNotFound(id)
	}
	return su, u, nil
}

// Get returns one User.
func (s *Service) Get(ctx context.Context, id string) (User, error) {
	su, u, err := s.load(ctx, id, false)
	if err != nil {
		return User{}, err
	}
	return s.resource(su, u), nil
}

// List answers a query: filter, 1-based startIndex and count (count < 0:
// the default page; above MaxResults: MaxResults).
func (s *Service) List(ctx context.Context, filter string, startIndex, count int) (ListResponse, error) {
	f, err := ParseFilter(filter)
	if err != nil {
		return ListResponse{}, err
	}
	if startIndex < 1 {
		startIndex = 1
	}
	switch {
	case count < 0:
		count = maxResultsDefault
	case count > MaxResults:
		count = MaxResults
	}
	out := ListResponse{Schemas: []string{SchemaList}, StartIndex: startIndex, Resources: []any{}}
	sus, total, err := s.cfg.Store.FindSCIMUsers(ctx, store.SCIMFilter{UserName: f.UserName, ExternalID: f.ExternalID, Offset: startIndex - 1, Limit: max(count, 1)})
	if err != nil {
		return out, err
	}
	out.TotalResults = total
	if count == 0 {
		return out, nil // only the total was asked for
	}
	for _, su := range sus {
		u, err := s.cfg.Store.FindUserByID(ctx, su.UserID)
		if err != nil {
			return out, err
		}
		out.Resources = append(out.Resources, s.resource(su, u))
	}
	out.ItemsPerPage = len(out.Resources)
	return out, nil
}

// Create provisions a User: the onboarding saga creates the IAM user and
// issues an invite, e-mailed when e-mail is configured. A userName already
// provisioned is a uniqueness conflict, unless that user was deleted and is
// still in its grace period: then the removal is cancelled and the user
// re-enabled (the identity provider assigned the person again). A user that
// exists in Gatehouse but was not provisioned over SCIM is a conflict too:
// taking it over is an operator's decision (adoption).
func (s *Service) Create(ctx context.Context, c Caller, in User) (User, bool, error) {
	in.UserName = strings.TrimSpace(in.UserName)
	if in.UserName == "" {
		return User{}, false, errInvalidValue("userName")
	}
	iamName, err := s.cfg.UserNameAttr.IAMName(in)
	if err != nil {
		return User{}, false, err
	}
	if su, err := s.cfg.Store.FindSCIMUserByName(ctx, in.UserName); err == nil {
		if su.RemoveAfter.IsZero() {
			return User{}, false, errUniqueness(in.UserName)
		}
		return s.restore(ctx, c, su, in)
	} else if portal.ErrorCode(err) != portal.ENOTFOUND {
		return User{}, false, err
	}
	if _, err := s.cfg.Store.FindUser(ctx, s.cfg.Onboarding.Account(), iamName); err == nil {
		return User{}, false, errUniqueness(iamName)
	} else if portal.ErrorCode(err) != portal.ENOTFOUND {
		return User{}, false, err
	}
	h, err := s.cfg.Onboarding.Onboard(ctx, c.Actor, portal.NewUser{UserName: iamName, DisplayName: in.displayName(), Email: in.PrimaryEmail()})
	u := (*portal.User)(nil)
	if h != nil {
		u = h.User
	} else if err != nil {
		if k := portal.ErrorTextOf(err).Key; k == "err.iam.user.exists" || k == "err.user.exists" {
			return User{}, false, errUniqueness(iamName)
		}
		// A saga stopped half-way leaves a record that the resume sweep
		// finishes: map it, so the provider's retry finds the user.
		if u, _ = s.cfg.Store.FindUser(ctx, s.cfg.Onboarding.Account(), iamName); u == nil {
			return User{}, false, asInvalidValue(err, s.cfg.UserNameAttr.Attr)
		}
	}
	now := s.now()
	su := &store.SCIMUser{UserID: u.ID, SCIMID: newID(), ExternalID: in.ExternalID, UserName: in.UserName, IdP: c.IdP, Active: true,
		CreatedAt: now, UpdatedAt: now}
	if in.Name != nil {
		su.GivenName, su.FamilyName = strings.TrimSpace(in.Name.GivenName), strings.TrimSpace(in.Name.FamilyName)
	}
	if cerr := s.cfg.Store.CreateSCIMUser(ctx, su); cerr != nil {
		return User{}, false, cerr
	}
	if err != nil {
		return User{}, false, err
	}
	if !in.IsActive() {
		if err := s.setActive(ctx, c, su, u, false); err != nil {
			return User{}, false, err
		}
	}
	return s.resource(su, u), true, nil
}

// restore cancels the removal of a user deleted over SCIM in its grace
// period, re-enables it with a new invite and takes in's attributes.
func (s *Service) restore(ctx context.Context, c Caller, su *store.SCIMUser, in User) (User, bool, error) {
	u, err := s.cfg.Store.FindUserByID(ctx, su.UserID)
	if err != nil {
		return User{}, false, err
	}
	if u.State == portal.StateOffboarded {
		return User{}, false, errUniqueness(in.UserName)
	}
	su.RemoveAfter, su.RemovalJobID = time.Time{}, 0
	su.IdP, su.UpdatedAt = c.IdP, s.now()
	if err := s.cfg.Store.UpdateSCIMUser(ctx, su); err != nil {
		return User{}, false, err
	}
	s.cfg.Onboarding.Audit(ctx, c.Actor, "user.scim.restore", u, portal.T("audit.scim.restore", c.IdP))
	if !in.IsActive() {
		return s.resource(su, u), true, nil
	}
	out, err := s.update(ctx, c, su, u, in)
	return out, true, err
}

// Replace is PUT: the User becomes in (id and meta are the server's).
func (s *Service) Replace(ctx context.Context, c Caller, id string, in User) (User, error) {
	su, u, err := s.load(ctx, id, false)
	if err != nil {
		return User{}, err
	}
	if in.ID != "" && in.ID != su.SCIMID {
		return User{}, errMutability("id")
	}
	return s.update(ctx, c, su, u, in)
}

// Patch is PATCH: the operations apply to the User as it is.
func (s *Service) Patch(ctx context.Context, c Caller, id string, p PatchOp) (User, error) {
	su, u, err := s.load(ctx, id, false)
	if err != nil {
		return User{}, err
	}
	next := s.resource(su, u)
	if err := p.Apply(&next); err != nil {
		return User{}, err
	}
	return s.update(ctx, c, su, u, next)
}

// update makes the stored user what next says: names, e-mail and
// externalId, and active (disable or enable). The IAM user name cannot
// change (IAM users are not renamed): a userName that would map to
// another IAM name is a mutability error.
func (s *Service) update(ctx context.Context, c Caller, su *store.SCIMUser, u *portal.User, next User) (User, error) {
	next.UserName = strings.TrimSpace(next.UserName)
	if next.UserName == "" {
		return User{}, errInvalidValue("userName")
	}
	iamName, err := s.cfg.UserNameAttr.IAMName(next)
	if err != nil {
		return User{}, err
	}
	if portal.UserNameKey(iamName) != portal.UserNameKey(u.UserName) {
		return User{}, errMutability(s.cfg.UserNameAttr.Attr)
	}
	nu := portal.NewUser{UserName: u.UserName, DisplayName: next.displayName(), Email: next.PrimaryEmail()}
	if err := nu.Validate(s.now()); err != nil {
		return User{}, asInvalidValue(err, portal.ErrorTextOf(err).Key)
	}
	if nu.DisplayName != u.DisplayName || nu.Email != u.Email {
		if err := s.cfg.Store.UpdateUser(ctx, u.ID, store.UserUpdate{DisplayName: &nu.DisplayName, Email: &nu.Email}, s.now()); err != nil {
			return User{}, err
		}
		u.DisplayName, u.Email = nu.DisplayName, nu.Email
	}
	su.UserName, su.ExternalID, su.GivenName, su.FamilyName = next.UserName, next.ExternalID, "", ""
	if next.Name != nil {
		su.GivenName, su.FamilyName = strings.TrimSpace(next.Name.GivenName), strings.TrimSpace(next.Name.FamilyName)
	}
	su.IdP, su.UpdatedAt = c.IdP, s.now()
	if err := s.cfg.Store.UpdateSCIMUser(ctx, su); err != nil {
		if portal.ErrorCode(err) == portal.EINVALID {
			return User{}, errUniqueness(next.UserName)
		}
		return User{}, err
	}
	if next.IsActive() != su.Active {
		if err := s.setActive(ctx, c, su, u, next.IsActive()); err != nil {
			return User{}, err
		}
	}
	return s.resource(su, u), nil
}

// setActive disables or re-enables the user and records it.
func (s *Service) setActive(ctx context.Context, c Caller, su *store.SCIMUser, u *portal.User, active bool) error {
	if active {
		if _, err := s.cfg.Onboarding.Enable(ctx, c.Actor, u.UserName, c.IdP, su.DisabledKeys); err != nil {
			return err
		}
		su.DisabledKeys = nil
	} else {
		keys, err := s.cfg.Onboarding.Disable(ctx, c.Actor, u.UserName, c.IdP)
		if err != nil {
			return err
		}
		su.DisabledKeys = keys
	}
	su.Active, su.UpdatedAt = active, s.now()
	return s.cfg.Store.UpdateSCIMUser(ctx, su)
}

// Delete is DELETE: access ends now (the user is disabled) and the user is
// offboarded once the grace period has passed, by a durable job. Until
// then the user page says "scheduled for removal", and the provider
// assigning the person again (a create with the same userName) cancels it.
func (s *Service) Delete(ctx context.Context, c Caller, id string) error {
	su, u, err := s.load(ctx, id, false)
	if err != nil {
		return err
	}
	if su.Active {
		if err := s.setActive(ctx, c, su, u, false); err != nil {
			return err
		}
	}
	now := s.now()
	su.RemoveAfter, su.IdP, su.UpdatedAt = now.Add(s.cfg.DeleteGrace), c.IdP, now
	if err := s.cfg.Store.ScheduleSCIMRemoval(ctx, su, c.Actor.Name); err != nil {
		return err
	}
	s.cfg.Onboarding.Audit(ctx, c.Actor, "user.scim.delete", u, portal.T("audit.scim.delete", c.IdP, su.RemoveAfter.UTC().Format("2006-01-02 15:04 MST")))
	if s.cfg.Wake != nil {
		s.cfg.Wake()
	}
	return nil
}

// RunRemoval is the store.JobSCIMRemove job: it offboards the user unless
// the removal was cancelled (or replaced by a later one) meanwhile.
func (s *Service) RunRemoval(ctx context.Context, jobID, userID int64) error {
	su, err := s.cfg.Store.FindSCIMUserByUserID(ctx, userID)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if su.RemoveAfter.IsZero() || su.RemovalJobID != jobID {
		return nil // re-activated in the grace period
	}
	u, err := s.cfg.Store.FindUserByID(ctx, userID)
	if err != nil {
		return err
	}
	if u.State == portal.StateOffboarded {
		return nil
	}
	return s.cfg.Onboarding.OffboardBecause(ctx, onboarding.Actor{Name: "system"}, u.UserName, portal.T("audit.scim.removal.reason", su.IdP))
}

// CancelRemoval is an admin cancelling, in the portal, the removal an
// identity provider's DELETE scheduled for user userName (a mistaken
// unassignment). The reason is required and audited. The user stays
// disabled as the DELETE left it: access comes back when the provider
// assigns the person again (it finds the user by userName and sets active),
// and the queued removal job finds nothing to do.
func (s *Service) CancelRemoval(ctx context.Context, a onboarding.Actor, userName, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return portal.FieldE("reason", "err.scim.cancel.reason")
	}
	u, err := s.cfg.Store.FindUserByName(ctx, userName)
	if err != nil {
		return err
	}
	su, err := s.cfg.Store.FindSCIMUserByUserID(ctx, u.ID)
	if portal.ErrorCode(err) == portal.ENOTFOUND || (err == nil && (su.RemoveAfter.IsZero() || u.State == portal.StateOffboarded)) {
		return portal.E(portal.ECONFLICT, "err.scim.cancel.none", u.UserName)
	} else if err != nil {
		return err
	}
	due := su.RemoveAfter
	su.RemoveAfter, su.RemovalJobID, su.UpdatedAt = time.Time{}, 0, s.now()
	if err := s.cfg.Store.UpdateSCIMUser(ctx, su); err != nil {
		return err
	}
	s.cfg.Onboarding.Audit(ctx, a, "user.scim.cancel", u, portal.T("audit.scim.cancel", due.UTC().Format("2006-01-02 15:04 MST"), su.IdP, reason))
	return nil
}
