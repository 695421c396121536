// Package iamemutest serves the IAM emulator over HTTP for tests and builds
// clients against it — the portal's own awsiam client and the raw SDK — the
// wiring every package's tests share (the emulator's twin of storetest).
package iamemutest

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
)

// Server is an emulator served over HTTP until the test ends.
type Server struct {
	*iamemu.Emulator
	// URL is the emulator's endpoint.
	URL string
}

// Start serves a new emulator built with opts.
func Start(t testing.TB, opts iamemu.Options) *Server {
	t.Helper()
	return Serve(t, iamemu.New(opts))
}

// Serve serves emu (for tests that set faults or a clock before serving).
func Serve(t testing.TB, emu *iamemu.Emulator) *Server {
	t.Helper()
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &Server{Emulator: emu, URL: srv.URL}
}

// Client returns the portal's IAM client for s, signed with the account's
// root credentials for the partition's IAM region. cfg sets everything else (attempts, pacing, observers,
// an HTTP client); ConsistencyWait defaults to one second so a test of
// eventual consistency does not wait ten.
func (s *Server) Client(t testing.TB, cfg awsiam.Config) *awsiam.Client {
	t.Helper()
	cfg.Endpoint = s.URL
	if cfg.AccessKeyID == "" {
		cfg.AccessKeyID, cfg.SecretAccessKey = s.RootCredentials()
	}
	if cfg.Region == "" {
		cfg.Region = s.Region() // the partition's IAM signing region
	}
	if cfg.ConsistencyWait == 0 {
		cfg.ConsistencyWait = time.Second
	}
	c, err := awsiam.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// SDK returns a raw aws-sdk-go-v2 IAM client for s signed with key and
// secret, or with the root credentials when key is "" — for tests that act
// as an IAM user or do what the portal never does.
func (s *Server) SDK(t testing.TB, key, secret string) *iam.Client {
	t.Helper()
	if key == "" {
		key, secret = s.RootCredentials()
	}
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(s.Region()),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(key, secret, "")))
	if err != nil {
		t.Fatal(err)
	}
	return iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(s.URL) })
}
