// Package smtptest runs a minimal SMTP server for tests: it accepts every
// message and keeps it, or — set by the test — hangs after the connection
// (a mail server that never greets), or refuses messages with a status
// code. It is the mail side of docs/reliability.md's fault matrix.
package smtptest

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Mode is how the server treats the next connections.
type Mode int

// Modes.
const (
	Accept Mode = iota // take every message
	Hang               // accept the connection and never answer
	Refuse             // answer RCPT TO with the refusal code (SetRefusal)
)

// Message is a message the server took.
type Message struct {
	From, To string
	Data     string
}

// Server is a running test SMTP server.
type Server struct {
	addr    string
	ln      net.Listener
	mu      sync.Mutex
	mode    Mode
	refusal int
	msgs    []Message
	conns   []net.Conn
}

// Start runs a server on a loopback port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{addr: ln.Addr().String(), refusal: 550}
	s.listen(ln)
	t.Cleanup(s.Close)
	return s
}

func (s *Server) listen(ln net.Listener) {
	s.ln = ln
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			mode := s.mode
			s.mu.Unlock()
			if mode == Hang {
				continue // the connection stays open and silent until Close
			}
			go s.serve(c)
		}
	}()
}

// Down stops listening, so connections are refused (a mail server that is
// down), until Up.
func (s *Server) Down() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ln.Close()
}

// Up listens again on the same address after Down.
func (s *Server) Up() error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listen(ln)
	return nil
}

// HostPort returns the server's host and port.
func (s *Server) HostPort() (string, string) {
	h, p, _ := net.SplitHostPort(s.addr)
	return h, p
}

// SetMode sets how later connections are treated.
func (s *Server) SetMode(m Mode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

// SetRefusal sets the status code Refuse answers (default 550; 4xx is a
// temporary refusal).
func (s *Server) SetRefusal(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusal = code
}

// Messages returns the messages taken so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Close stops the server and drops every connection.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ln.Close()
	for _, c := range s.conns {
		c.Close()
	}
}

func (s *Server) serve(c net.Conn) {
	defer c.Close()
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	say := func(line string) { w.WriteString(line + "\r\n"); w.Flush() }
	say("220 test ESMTP")
	var m Message
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 test")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			m.From = strings.TrimSpace(line[10:])
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			s.mu.Lock()
			mode, code := s.mode, s.refusal
			s.mu.Unlock()
			if mode == Refuse {
				say(strconv.Itoa(code) + " refused by the test")
				continue
			}
			m.To = strings.TrimSpace(line[8:])
			say("250 ok")
		case cmd == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			m.Data = b.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}
