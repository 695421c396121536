// Package i18n holds every text Gatehouse shows or sends to people, in
// English and Japanese, by message key: page texts, error messages, policy
// lint findings and e-mails all live in one catalog layout. Each area keeps
// its messages in a file of its own (messages_<area>.go) that registers both
// languages side by side, so a translation is never far from its source.
//
// Errors carry a key and arguments (portal.E); the layer that shows them
// (pages, the API, e-mails) translates with ErrorText. Nothing translates by
// matching English sentences.
package i18n

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/gatehouse/portal"
)

// Lang is a language people read Gatehouse in.
type Lang string

// Supported languages.
const (
	EN Lang = "en"
	JA Lang = "ja"
)

// Langs lists the supported languages.
var Langs = []Lang{EN, JA}

type langKey struct{}

// WithLang returns a context whose texts are in lang.
func WithLang(ctx context.Context, lang Lang) context.Context {
	return context.WithValue(ctx, langKey{}, lang)
}

// LangOf returns the language of ctx (English by default).
func LangOf(ctx context.Context) Lang {
	if l, ok := ctx.Value(langKey{}).(Lang); ok {
		return l
	}
	return EN
}

// ParseLang returns the supported language named by s, if any.
func ParseLang(s string) (Lang, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "en":
		return EN, true
	case "ja":
		return JA, true
	}
	return "", false
}

// MatchAcceptLanguage picks ja or en from an Accept-Language header: the
// first listed language we support wins (quality values are rarely used
// to reorder in practice; browsers list in preference order).
func MatchAcceptLanguage(header string) Lang {
	for _, part := range strings.Split(header, ",") {
		tag := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		if l, ok := ParseLang(strings.SplitN(tag, "-", 2)[0]); ok {
			return l
		}
	}
	return EN
}

// T returns the message for key in lang, formatted with args (fmt verbs;
// a translation may reorder them with %[n]s). A key missing from lang falls
// back to English, and a key missing everywhere shows as itself so the gap
// is visible (and the catalog test finds it).
func T(lang Lang, key string, args ...any) string {
	msg, ok := catalogs[lang][key]
	if !ok {
		if msg, ok = catalogs[EN][key]; !ok {
			return key
		}
	}
	if len(args) > 0 {
		if one, ok := singular(lang, key, args[0]); ok {
			msg = one
		}
		return fmt.Sprintf(msg, localize(lang, args)...)
	}
	return msg
}

// singular returns the message key+".one" when the count a message starts
// with (its first argument) is one and the language has that form:
// "Onboard 1 user", not "Onboard 1 users". Japanese has no plural, so its
// catalog holds the same text under both keys.
func singular(lang Lang, key string, first any) (string, bool) {
	if n, ok := first.(int); !ok || n != 1 {
		return "", false
	}
	msg, ok := catalogs[lang][key+".one"]
	return msg, ok
}

// Text returns a kept message (portal.Text) in lang.
func Text(lang Lang, t portal.Text) string {
	return T(lang, t.Key, t.Args...)
}

// Stored returns a kept message in lang, or old when the message is empty:
// rows written before messages were kept by key hold a sentence (English)
// instead, and keep showing it.
func Stored(lang Lang, t portal.Text, old string) string {
	if t.IsZero() {
		return old
	}
	return Text(lang, t)
}

// localize renders the arguments that are messages themselves (a state,
// a role, an error, a list of steps) in lang.
func localize(lang Lang, args []any) []any {
	out := args
	for i, a := range args {
		var s string
		switch a := a.(type) {
		case portal.Text:
			s = Text(lang, a)
		case []portal.Text:
			parts := make([]string, len(a))
			for j, t := range a {
				parts[j] = Text(lang, t)
			}
			s = strings.Join(parts, T(lang, "list.sep"))
		default:
			continue
		}
		if &out[0] == &args[0] {
			out = slices.Clone(args)
		}
		out[i] = s
	}
	return out
}

// Has reports whether key is in the English catalog.
func Has(key string) bool {
	_, ok := catalogs[EN][key]
	return ok
}

// catalogs holds every message by language and key.
var catalogs = map[Lang]map[string]string{EN: {}, JA: {}}

// register adds messages to a language's catalog, from the init function of
// the file that owns them. A key registered twice is a programming error.
func register(l Lang, msgs map[string]string) {
	for k, v := range msgs {
		if _, dup := catalogs[l][k]; dup {
			panic("i18n: message key registered twice: " + k)
		}
		catalogs[l][k] = v
	}
}

func init() {
	register(EN, messagesEN)
	register(JA, messagesJA)
}

// Keys returns the keys of one language's catalog, sorted.
func Keys(l Lang) []string {
	keys := make([]string, 0, len(catalogs[l]))
	for k := range catalogs[l] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Lookup returns the raw (unformatted) message of key in l.
func Lookup(l Lang, key string) (string, bool) {
	msg, ok := catalogs[l][key]
	return msg, ok
}

// RuntimeKeys returns the keys this package builds at run time.
func RuntimeKeys() []string { return append([]string{"list.sep"}, singularKeys...) }

// singularKeys are the messages with a singular form (T picks it).
var singularKeys = []string{"bulk.start.one", "flash.devices.deleted.one", "err.attempts.toomany.one", "err.ratelimit.one"}
