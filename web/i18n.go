package web

import (
	"context"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
)

// Lang is a page language (see package i18n, which holds every catalog).
type Lang = i18n.Lang

// Supported languages.
const (
	EN = i18n.EN
	JA = i18n.JA
)

// WithLang returns a context whose pages render in lang.
func WithLang(ctx context.Context, lang Lang) context.Context { return i18n.WithLang(ctx, lang) }

// LangOf returns the language of ctx (English by default).
func LangOf(ctx context.Context) Lang { return i18n.LangOf(ctx) }

// ParseLang returns the supported language named by s, if any.
func ParseLang(s string) (Lang, bool) { return i18n.ParseLang(s) }

// MatchAcceptLanguage picks ja or en from an Accept-Language header.
func MatchAcceptLanguage(header string) Lang { return i18n.MatchAcceptLanguage(header) }

// T returns the message for key in ctx's language, formatted with args.
func T(ctx context.Context, key string, args ...any) string {
	return i18n.T(i18n.LangOf(ctx), key, args...)
}

// Stored returns a kept message (portal.Text) in ctx's language, or old,
// the sentence that rows written before texts were kept by key hold.
func Stored(ctx context.Context, t portal.Text, old string) string {
	return i18n.Stored(i18n.LangOf(ctx), t, old)
}

// ErrorText returns err's message for people in ctx's language.
func ErrorText(ctx context.Context, err error) string {
	return i18n.ErrorText(i18n.LangOf(ctx), err)
}
