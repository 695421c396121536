// Package iamfault injects the IAM faults of docs/reliability.md in tests:
// an http.Handler that stands in front of an IAM endpoint (the emulator, or
// a reverse proxy to one) and, for the actions a test names, hangs, answers
// 502 without acting, or lets IAM act and then drops the connection before
// the answer reaches the caller. The emulator's own fault injection
// (throttling, error rate, latency) covers the rest.
package iamfault

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
)

// Fault is what happens to a call.
type Fault int

// Faults.
const (
	// Pass forwards the call.
	Pass Fault = iota
	// Hang never answers and never forwards: the call waits until the
	// caller gives up (its deadline) or Release is called.
	Hang
	// BadGateway answers 502 without forwarding, as a proxy or load
	// balancer in front of IAM does when it cannot reach it.
	BadGateway
	// DropAfterActing forwards the call, so IAM acts, then closes the
	// connection without an answer: the caller cannot know it worked.
	DropAfterActing
	// Down closes the connection without forwarding (IAM unreachable).
	Down
)

// Any matches every action in Set.
const Any = "*"

// Proxy is the fault-injecting handler.
type Proxy struct {
	next    http.Handler
	mu      sync.Mutex
	faults  map[string]Fault
	seen    map[string]int
	waiters map[string][]chan struct{}
	hooks   map[string]func()
	release chan struct{}
}

// New returns a Proxy in front of next.
func New(next http.Handler) *Proxy {
	return &Proxy{next: next, faults: map[string]Fault{}, seen: map[string]int{}, waiters: map[string][]chan struct{}{},
		hooks: map[string]func(){}, release: make(chan struct{})}
}

// To returns a Proxy in front of the IAM endpoint at rawURL (a separate
// emulator process).
func To(rawURL string) *Proxy {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic("iamfault: " + err.Error())
	}
	return New(httputil.NewSingleHostReverseProxy(u))
}

// Serve runs p on a loopback port until the test ends and returns its URL.
func (p *Proxy) Serve(t interface{ Cleanup(func()) }) string {
	srv := httptest.NewServer(p)
	t.Cleanup(func() {
		p.Release()
		srv.Close()
	})
	return srv.URL
}

// Set makes every later call of action (or Any) meet fault; Pass clears it.
func (p *Proxy) Set(action string, f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if f == Pass {
		delete(p.faults, action)
		return
	}
	p.faults[action] = f
}

// OnFault makes fn run when a call of action meets its fault, before the
// connection is dropped (for DropAfterActing, after IAM acted). A test kills
// the caller there: kill -9 at that call. fn may Set the fault to Pass.
func (p *Proxy) OnFault(action string, fn func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hooks[action] = fn
}

// Release ends every hanging call (with a dropped connection) and makes
// Hang answer at once from now on.
func (p *Proxy) Release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.release:
	default:
		close(p.release)
	}
}

// Seen returns how many calls of action have arrived.
func (p *Proxy) Seen(action string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen[action]
}

// Arrived returns a channel that closes when the next call of action
// arrives (before its fault applies).
func (p *Proxy) Arrived(action string) <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	ch := make(chan struct{})
	p.waiters[action] = append(p.waiters[action], ch)
	return ch
}

// ServeHTTP implements http.Handler.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	action := ""
	if v, err := url.ParseQuery(string(body)); err == nil {
		action = v.Get("Action")
	}
	p.mu.Lock()
	p.seen[action]++
	for _, ch := range p.waiters[action] {
		close(ch)
	}
	delete(p.waiters, action)
	f, ok := p.faults[action]
	if !ok {
		f = p.faults[Any]
	}
	release := p.release
	hook := p.hooks[action]
	p.mu.Unlock()
	if hook == nil || f == Pass {
		hook = func() {}
	}

	switch f {
	case Hang:
		select {
		case <-r.Context().Done():
		case <-release:
		}
		hook()
		drop(w)
	case BadGateway:
		hook()
		http.Error(w, "502 Bad Gateway", http.StatusBadGateway)
	case DropAfterActing:
		p.next.ServeHTTP(httptest.NewRecorder(), r)
		hook()
		drop(w)
	case Down:
		hook()
		drop(w)
	default:
		p.next.ServeHTTP(w, r)
	}
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
