package portal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Text is a message for people that is kept and shown later (an audit
// event's detail, a bulk row's failure, a saga step's error, the sync run's
// result): a key in the catalogs (package i18n) and its arguments, rendered
// in the reader's language when it is shown, never stored as a sentence.
//
// An argument is a string, an integer, a Text (a nested message, such as a
// state name or an error, translated too) or a []Text (a list, joined the
// way the reader's language joins lists). Times are passed as formatted
// strings. Stored Texts are JSON (see MarshalJSON).
type Text struct {
	Key  string
	Args []any
}

// T returns the Text of key with args.
func T(key string, args ...any) Text { return Text{Key: key, Args: args} }

// IsZero reports whether t holds no message.
func (t Text) IsZero() bool { return t.Key == "" }

// StateText returns the name of a state for people (key "status.<state>").
func StateText(s State) Text { return T("status." + string(s)) }

// RoleText returns the name of a role for people (key "role.<role>").
func RoleText(r Role) Text { return T("role." + string(r)) }

// ErrorTextOf returns err as a Text to keep: the message key and arguments
// of a *Error, and "error.internal" for an internal or foreign error, so no
// internal detail is ever stored for people.
func ErrorTextOf(err error) Text {
	var e *Error
	if err == nil {
		return Text{}
	}
	if !errors.As(err, &e) || e.Code == EINTERNAL || e.Key == "" {
		return T("error.internal")
	}
	return Text{Key: e.Key, Args: e.Args}
}

// textJSON is a Text's stored form: {"key": "...", "args": [...]}.
type textJSON struct {
	Key  string            `json:"key"`
	Args []json.RawMessage `json:"args,omitempty"`
}

// MarshalJSON stores t with its arguments: strings and numbers as
// themselves, nested Texts as objects, lists of Texts as arrays. Any other
// argument is stored as its fmt text, so nothing is lost.
func (t Text) MarshalJSON() ([]byte, error) {
	out := textJSON{Key: t.Key}
	for _, a := range t.Args {
		var v any
		switch a := a.(type) {
		case string, Text, []Text, bool,
			int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
			v = a
		case fmt.Stringer:
			v = a.String()
		default:
			v = fmt.Sprint(a)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out.Args = append(out.Args, b)
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a stored Text. Whole numbers come back as int64 (so a
// %d verb formats them), objects as Texts and arrays as []Text.
func (t *Text) UnmarshalJSON(b []byte) error {
	var in textJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	t.Key, t.Args = in.Key, nil
	for _, raw := range in.Args {
		raw = bytes.TrimSpace(raw)
		var v any
		switch {
		case len(raw) > 0 && raw[0] == '{':
			var nested Text
			if err := nested.UnmarshalJSON(raw); err != nil {
				return err
			}
			v = nested
		case len(raw) > 0 && raw[0] == '[':
			var list []Text
			if err := json.Unmarshal(raw, &list); err != nil {
				return err
			}
			v = list
		case len(raw) > 0 && raw[0] == '"':
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return err
			}
			v = s
		default:
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			var x any
			if err := dec.Decode(&x); err != nil {
				return err
			}
			if n, ok := x.(json.Number); ok {
				if i, err := n.Int64(); err == nil {
					x = i
				} else if f, err := n.Float64(); err == nil {
					x = f
				}
			}
			v = x
		}
		t.Args = append(t.Args, v)
	}
	return nil
}

// EncodeText returns t's stored form, "" for no message.
func EncodeText(t Text) string {
	if t.IsZero() {
		return ""
	}
	b, err := json.Marshal(t)
	if err != nil { // only for an argument JSON cannot hold; keep the key
		b, _ = json.Marshal(Text{Key: t.Key})
	}
	return string(b)
}

// DecodeText reads a stored Text; "" (an older row) is no message.
func DecodeText(s string) (Text, error) {
	var t Text
	if s == "" {
		return t, nil
	}
	err := json.Unmarshal([]byte(s), &t)
	return t, err
}

// TextKeys returns the message keys StateText and RoleText build, so the
// catalog test knows they are used.
func TextKeys() []string {
	var out []string
	for _, s := range []State{StateProvisioning, StateInvited, StateClaimed, StateEnrolled, StateMFARemoved, StateOffboarded} {
		out = append(out, "status."+string(s))
	}
	out = append(out, "status."+string(StatusOverdue))
	for _, r := range []Role{RoleAdmin, RoleHelpdesk, RoleAuditor} {
		out = append(out, "role."+string(r))
	}
	return out
}
