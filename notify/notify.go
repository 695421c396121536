// Package notify sends Gatehouse's e-mail notices to IAM users over SMTP
// (net/smtp): invites (the link only, never a password), deadline
// reminders, overdue notices, "MFA reset" and "MFA enrolled", in English or
// Japanese.
package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
)

// Config says how to reach the SMTP server.
type Config struct {
	Host     string // host name (also used for TLS verification)
	Port     string // default "587"
	Username string // empty: no authentication
	Password string
	From     string // sender address, required
	// PortalURL is shown in notices that have no invite link.
	PortalURL string
	// Timeout bounds one delivery (default 20 s).
	Timeout time.Duration
}

// Mailer sends notices. It implements onboarding.Notifier.
type Mailer struct {
	cfg Config
}

// New checks cfg and returns a Mailer.
func New(cfg Config) (*Mailer, error) {
	if cfg.Host == "" || cfg.From == "" {
		return nil, errors.New("notify: Host and From are required")
	}
	if cfg.Port == "" {
		cfg.Port = "587"
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 20 * time.Second
	}
	return &Mailer{cfg: cfg}, nil
}

// Notify sends one notice. STARTTLS is used whenever the server offers it;
// credentials are sent only over TLS or to localhost (net/smtp's PlainAuth
// rule).
//
// A failure comes back as a *portal.Error that says what went wrong in
// words a helpdesk can act on (the mail server could not be reached, did
// not answer in time, refused the message); a refusal that retrying cannot
// change (5xx) carries the reason onboarding.NoticePermanent.
func (m *Mailer) Notify(ctx context.Context, n onboarding.Notice) error {
	return explain(m.send(ctx, n), m.cfg.Timeout)
}

func (m *Mailer) send(ctx context.Context, n onboarding.Notice) error {
	msg, err := Compose(m.cfg.From, n, m.cfg.PortalURL)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(m.cfg.Host, m.cfg.Port))
	if err != nil {
		return fmt.Errorf("notify: connect: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	// A cancelled ctx (shutdown, a lost job lease) ends the conversation at
	// once instead of at the deadline: a mail server that never answers
	// must not hold the process for the whole timeout.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	c, err := smtp.NewClient(conn, m.cfg.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("notify: greeting: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(tlsConfig(m.cfg.Host)); err != nil {
			return fmt.Errorf("notify: starttls: %w", err)
		}
	}
	if m.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.cfg.Username, m.cfg.Password, m.cfg.Host)); err != nil {
			return fmt.Errorf("notify: auth: %w", err)
		}
	}
	if err := c.Mail(m.cfg.From); err != nil {
		return fmt.Errorf("notify: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(n.To); err != nil {
		return fmt.Errorf("notify: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("notify: DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("notify: write: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("notify: end of data: %w", err)
	}
	// The server took the message with its answer to the end of data; a
	// failed QUIT after that must not make it send a second copy.
	c.Quit()
	return nil
}

// explain turns a delivery error into a *portal.Error for people, keeping
// the cause for logs.
func explain(err error, timeout time.Duration) error {
	if err == nil {
		return nil
	}
	var proto *textproto.Error
	var ne net.Error
	var op *net.OpError
	switch {
	case errors.As(err, &proto) && proto.Code >= 500:
		return portal.E(portal.EUNAVAILABLE, "err.smtp.refused", proto.Code).WithReason(onboarding.NoticePermanent).Wrap(err)
	case errors.As(err, &proto):
		return portal.E(portal.EUNAVAILABLE, "err.smtp.later", proto.Code).Wrap(err)
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return portal.E(portal.EUNAVAILABLE, "err.smtp.timeout", timeout.String()).Wrap(err)
	case errors.As(err, &op) && op.Op == "dial":
		return portal.E(portal.EUNAVAILABLE, "err.smtp.unreachable").Wrap(err)
	}
	return portal.E(portal.EUNAVAILABLE, "err.smtp.failed").Wrap(err)
}

// Compose renders a notice as an RFC 5322 message (UTF-8, base64 body).
func Compose(from string, n onboarding.Notice, portalURL string) ([]byte, error) {
	if strings.ContainsAny(n.To+from, "\r\n") {
		return nil, errors.New("notify: address contains a line break")
	}
	subject, body, err := render(n, portalURL)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\n", from, n.To, mime.BEncoding.Encode("UTF-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		time.Now().UTC().Format(time.RFC1123Z))
	writeBase64(&b, []byte(body))
	return b.Bytes(), nil
}
