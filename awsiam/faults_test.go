package awsiam_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/iamemu/iamfault"
)

// faultyClient is a client whose calls pass through an IAM fault proxy,
// with a short call deadline.
func faultyClient(t *testing.T) (*awsiam.Client, *iamfault.Proxy) {
	t.Helper()
	emu := iamemu.New(iamemu.Options{})
	f := iamfault.New(emu)
	srv := &iamemutest.Server{Emulator: emu, URL: f.Serve(t)}
	return srv.Client(t, awsiam.Config{CallTimeout: 300 * time.Millisecond}), f
}

// A hung IAM cannot hold a call longer than its deadline, and the error
// says IAM did not answer.
func TestCallDeadline(t *testing.T) {
	c, f := faultyClient(t)
	f.Set(iamfault.Any, iamfault.Hang)
	errc := make(chan error, 1)
	go func() { _, err := c.GetUser(context.Background(), "alice"); errc <- err }()
	var err error
	select {
	case err = <-errc:
	case <-time.After(30 * time.Second): // a guard far above the 300 ms deadline
		t.Fatal("a call to a hung IAM did not end at its deadline")
	}
	if got, want := portal.ErrorCode(err), portal.EUNAVAILABLE; got != want {
		t.Fatalf("code %s, want %s: %v", got, want, err)
	}
	if got, want := i18n.ErrorText(i18n.EN, err), i18n.T(i18n.EN, "err.iam.timeout"); got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}

// Every way of getting no IAM answer is reported as IAM being unavailable,
// with words that say which way (never the generic internal error).
func TestTransportFaultsAreExplained(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault iamfault.Fault
		key   string
	}{
		{"a proxy answers 502", iamfault.BadGateway, "err.iam.status"},
		{"the connection drops after IAM acted", iamfault.DropAfterActing, "err.iam.dropped"},
		{"the connection drops before IAM acted", iamfault.Down, "err.iam.dropped"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, f := faultyClient(t)
			f.Set(iamfault.Any, tc.fault)
			_, err := c.GetUser(context.Background(), "alice")
			if got, want := portal.ErrorCode(err), portal.EUNAVAILABLE; got != want {
				t.Fatalf("code %s, want %s: %v", got, want, err)
			}
			var e *portal.Error
			if !asPortal(err, &e) || e.Key != tc.key {
				t.Fatalf("key %q, want %q: %v", e.Key, tc.key, err)
			}
			if tc.key == "err.iam.status" && (len(e.Args) != 1 || e.Args[0] != 502) {
				t.Fatalf("the message does not name the status: %v", e.Args)
			}
		})
	}
	t.Run("nothing listens at the endpoint", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		srv := &iamemutest.Server{Emulator: iamemu.New(iamemu.Options{}), URL: "http://" + addr}
		_, err = srv.Client(t, awsiam.Config{}).GetUser(context.Background(), "alice")
		var e *portal.Error
		if portal.ErrorCode(err) != portal.EUNAVAILABLE || !asPortal(err, &e) || e.Key != "err.iam.unreachable" {
			t.Fatalf("got %v, want iam.unreachable", err)
		}
	})
}

func asPortal(err error, target **portal.Error) bool {
	e, ok := err.(*portal.Error)
	if ok {
		*target = e
	} else {
		*target = &portal.Error{}
	}
	return ok
}
