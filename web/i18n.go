package web

import (
	"context"
	"fmt"
	"strings"
)

// Lang is a page language.
type Lang string

// Supported languages.
const (
	EN Lang = "en"
	JA Lang = "ja"
)

type langKey struct{}

// WithLang returns a context whose pages render in lang.
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

// T returns the message for key in ctx's language, formatted with args.
// A key missing from the language falls back to English, and a key missing
// everywhere shows as itself so the gap is visible (and a test finds it).
func T(ctx context.Context, key string, args ...any) string {
	msg, ok := catalogs[LangOf(ctx)][key]
	if !ok {
		if msg, ok = catalogs[EN][key]; !ok {
			return key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// catalogs holds every message by language and key.
var catalogs = map[Lang]map[string]string{EN: {}, JA: {}}

// register adds messages to a language's catalog. Each feature keeps its
// messages in its own file (messages_<feature>.go) and registers them from
// init, so features do not edit one shared map. A key registered twice is a
// programming error.
func register(l Lang, msgs map[string]string) {
	for k, v := range msgs {
		if _, dup := catalogs[l][k]; dup {
			panic("web: message key registered twice: " + k)
		}
		catalogs[l][k] = v
	}
}

func init() {
	register(EN, messagesEN)
	register(JA, messagesJA)
}

// CatalogKeys returns the keys of one language's catalog (for tests).
func CatalogKeys(l Lang) []string {
	keys := make([]string, 0, len(catalogs[l]))
	for k := range catalogs[l] {
		keys = append(keys, k)
	}
	return keys
}
