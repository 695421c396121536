package iamemu

import (
	"encoding/base64"
	"time"
)

// isoTime renders as 2006-01-02T15:04:05Z, the form real IAM emits.
type isoTime time.Time

// MarshalText implements encoding.TextMarshaler.
func (t isoTime) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format("2006-01-02T15:04:05Z")), nil
}

// optTime is an optional timestamp element: nil for the zero time.
func optTime(t time.Time) *isoTime {
	if t.IsZero() {
		return nil
	}
	v := isoTime(t)
	return &v
}

// blob renders as single-line standard base64; the SDK rejects whitespace.
type blob []byte

// MarshalText implements encoding.TextMarshaler.
func (b blob) MarshalText() ([]byte, error) {
	return []byte(base64.StdEncoding.EncodeToString(b)), nil
}

// members is an IAM list: <Name><member>…</member></Name>, <Name></Name> when
// empty.
type members[T any] struct {
	Member []T `xml:"member"`
}

func list[T any](items []T) members[T] { return members[T]{Member: items} }

type xmlTag struct {
	Key   string
	Value string
}

type xmlUser struct {
	Path             string `xml:",omitempty"`
	UserName         string `xml:",omitempty"`
	UserId           string
	Arn              string
	CreateDate       isoTime
	PasswordLastUsed *isoTime
	Tags             *members[xmlTag]
}

func tagsXML(tags []tag) []xmlTag {
	out := make([]xmlTag, 0, len(tags))
	for _, t := range tags {
		out = append(out, xmlTag(t))
	}
	return out
}

// userXML renders a user; withTags adds <Tags> when the user has any
// (GetUser, CreateUser) — listings never carry tags
// (docs/iam-notes.md#response-shapes).
func (c *call) userXML(u *user, withTags bool) *xmlUser {
	x := &xmlUser{
		Path:       u.Path,
		UserName:   u.Name,
		UserId:     u.ID,
		Arn:        c.st.userArn(u),
		CreateDate: isoTime(u.Created),
	}
	if u.PasswordUsed != nil {
		x.PasswordLastUsed = optTime(*u.PasswordUsed)
	}
	if withTags && len(u.Tags) > 0 {
		t := list(tagsXML(u.Tags))
		x.Tags = &t
	}
	return x
}
