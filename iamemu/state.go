package iamemu

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// state is the whole account. It is serialised as-is by SaveState, so every
// field is exported and JSON-friendly.
type state struct {
	AccountID      string
	Partition      string // empty in files saved before partitions: "aws"
	Created        time.Time
	Seq            int64 // monotonic counter for creation order
	Root           rootAccount
	Users          map[string]*user // key: lower-cased name (names are case-insensitively unique)
	Groups         map[string]*group
	Policies       map[string]*policy    // key: ARN
	Devices        map[string]*mfaDevice // key: serial number
	AccessKeys     map[string]*accessKey // key: access key id
	ServiceCreds   map[string]*serviceCred
	SSHKeys        map[string]*sshKey      // key: SSHPublicKeyId
	Certs          map[string]*signingCert // key: CertificateId
	AccountAlias   string                  // "" when none; AWS allows one
	Sessions       map[string]*session     // key: ASIA access key id
	Roles          map[string]*role        // key: lower-cased name
	PasswordPolicy *passwordPolicy
	Report         *credReport
	// The account's name and root e-mail address in Organizations; empty
	// means AccountName and AccountEmail.
	OrgName  string `json:",omitempty"`
	OrgEmail string `json:",omitempty"`
}

// rootAccount is the root user: the emulator's own root credentials
// (AccessKeyID, Secret; not one of its reported keys, see ownerKeys), its
// virtual MFA state and its last console sign-in. Its access keys are in
// state.AccessKeys with an empty UserName.
type rootAccount struct {
	AccessKeyID, Secret string
	KeyLastUsed         *keyUsage
	MFA                 bool       `json:",omitempty"`
	PasswordUsed        *time.Time `json:",omitempty"`
}

type user struct {
	Name, Path, ID string
	Created        time.Time
	VisibleAt      time.Time // eventual-consistency fault: invisible to reads before this
	PasswordUsed   *time.Time
	Tags           []tag
	Attached       []string                 // managed policy ARNs, in attach order
	Inline         map[string]*inlinePolicy // key: policy name
	Groups         []string                 // lower-cased group keys
	Login          *loginProfile
}

type tag struct{ Key, Value string }

type group struct {
	Name, Path, ID string
	Created        time.Time
	Attached       []string
	Inline         map[string]*inlinePolicy
}

type loginProfile struct {
	Created       time.Time
	Changed       time.Time
	ResetRequired bool
	Salt, Hash    string
	History       []string // previous hashes, newest last (reuse prevention)
}

type keyUsage struct {
	When            time.Time
	Region, Service string
}

type accessKey struct {
	ID, Secret, UserName, Status string
	Created                      time.Time
	Seq                          int64
	LastUsed                     *keyUsage
}

type session struct {
	AccessKeyID, Secret, Token string
	UserName                   string // empty for root sessions
	Expires                    time.Time
	MFA                        bool
	MFAAuthTime                time.Time
	// An AssumeRole session: the role (name, ARN and RoleId when assumed)
	// and the RoleSessionName. Empty for GetSessionToken sessions.
	RoleName, RoleArn, RoleID string `json:",omitempty"`
	SessionName               string `json:",omitempty"`
}

type passwordPolicy struct {
	MinimumPasswordLength                   int
	RequireSymbols, RequireNumbers          bool
	RequireUppercase, RequireLowercase      bool
	AllowUsersToChangePassword, HardExpiry  bool
	MaxPasswordAge, PasswordReusePrevention int
}

func newState(account, partition string, now time.Time) *state {
	s := &state{
		AccountID:    account,
		Partition:    partition,
		Created:      now,
		Root:         rootAccount{AccessKeyID: newKeyID("AKIA", account), Secret: newSecret()},
		Users:        map[string]*user{},
		Groups:       map[string]*group{},
		Policies:     map[string]*policy{},
		Devices:      map[string]*mfaDevice{},
		AccessKeys:   map[string]*accessKey{},
		ServiceCreds: map[string]*serviceCred{},
		SSHKeys:      map[string]*sshKey{},
		Certs:        map[string]*signingCert{},
		Sessions:     map[string]*session{},
		Roles:        map[string]*role{},
	}
	s.addAWSPolicies()
	return s
}

func (s *state) next() int64 { s.Seq++; return s.Seq }

func (s *state) userArn(u *user) string {
	return s.arn("user" + u.Path + u.Name)
}

func (s *state) groupArn(g *group) string { return s.arn("group" + g.Path + g.Name) }

// stateFile is what SaveState writes: the first account's state at the top
// level (the format of single-account files, which still load) and the
// other hosted accounts under MemberAccounts.
type stateFile struct {
	*state
	MemberAccounts []*state `json:",omitempty"`
}

// SaveState writes every hosted account as JSON to path atomically
// (temporary file in the same directory, fsync, rename). It is safe to call
// while requests are being served.
func (e *Emulator) SaveState(path string) error {
	e.mu.Lock()
	f := stateFile{state: e.st}
	for _, id := range e.order[1:] {
		f.MemberAccounts = append(f.MemberAccounts, e.accounts[id])
	}
	data, err := json.MarshalIndent(f, "", "  ")
	e.mu.Unlock()
	if err != nil {
		return fmt.Errorf("iamemu: encode state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("iamemu: save state: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("iamemu: save state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("iamemu: save state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("iamemu: save state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("iamemu: save state: %w", err)
	}
	return nil
}

// LoadState replaces the accounts with those saved at path, including their
// root credentials, so clients configured from a previous run keep working.
// The file's first account must be the emulator's AccountID. A member
// account the emulator hosts but the file lacks starts empty (an account
// added since); a file holding an account the emulator does not host is
// refused, since saving would drop it.
func (e *Emulator) LoadState(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("iamemu: load state: %w", err)
	}
	f := stateFile{state: newState(e.opts.AccountID, "", time.Time{})}
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("iamemu: load state %s: %w", path, err)
	}
	if f.state.AccountID != e.opts.AccountID {
		return fmt.Errorf("iamemu: load state %s: account %s, emulator is %s", path, f.state.AccountID, e.opts.AccountID)
	}
	loaded := map[string]*state{}
	for _, st := range append([]*state{f.state}, f.MemberAccounts...) {
		if st == nil {
			return fmt.Errorf("iamemu: load state %s: an empty account entry", path)
		}
		if st.Partition == "" {
			st.Partition = DefaultPartition // saved before the emulator knew partitions
		}
		if st.Partition != e.opts.Partition {
			return fmt.Errorf("iamemu: load state %s: partition %s, emulator is %s", path, st.Partition, e.opts.Partition)
		}
		if e.accounts[st.AccountID] == nil {
			return fmt.Errorf("iamemu: load state %s: it holds account %s, which the emulator does not host (name it among the accounts)", path, st.AccountID)
		}
		if loaded[st.AccountID] != nil {
			return fmt.Errorf("iamemu: load state %s: account %s appears twice", path, st.AccountID)
		}
		st.ensureMaps()
		st.addAWSPolicies()
		if !strings.HasPrefix(st.Root.AccessKeyID, "AKIA") {
			return fmt.Errorf("iamemu: load state %s: account %s has no root credentials", path, st.AccountID)
		}
		loaded[st.AccountID] = st
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for id, st := range loaded {
		e.accounts[id] = st
	}
	e.st = e.accounts[e.opts.AccountID]
	return nil
}

// ensureMaps replaces maps a hand-edited or older state file left null.
func (s *state) ensureMaps() {
	if s.Users == nil {
		s.Users = map[string]*user{}
	}
	if s.Groups == nil {
		s.Groups = map[string]*group{}
	}
	if s.Policies == nil {
		s.Policies = map[string]*policy{}
	}
	if s.Devices == nil {
		s.Devices = map[string]*mfaDevice{}
	}
	if s.AccessKeys == nil {
		s.AccessKeys = map[string]*accessKey{}
	}
	if s.ServiceCreds == nil {
		s.ServiceCreds = map[string]*serviceCred{}
	}
	if s.SSHKeys == nil {
		s.SSHKeys = map[string]*sshKey{}
	}
	if s.Certs == nil {
		s.Certs = map[string]*signingCert{}
	}
	if s.Sessions == nil {
		s.Sessions = map[string]*session{}
	}
	if s.Roles == nil {
		s.Roles = map[string]*role{}
	}
}
