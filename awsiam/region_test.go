package awsiam_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
)

// signed records, per service, the host and credential-scope region of every
// request a client sends, and forwards it (or, with no next, fails it
// without touching the network).
type signed struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen map[string][]string // "iam" or "sts" → "host region"
}

func (s *signed) RoundTrip(r *http.Request) (*http.Response, error) {
	// Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/REGION/SERVICE/aws4_request, …
	cred := r.Header.Get("Authorization")
	if i := strings.Index(cred, "Credential="); i >= 0 {
		scope := strings.Split(strings.SplitN(cred[i+len("Credential="):], ",", 2)[0], "/")
		if len(scope) == 5 {
			s.mu.Lock()
			if s.seen == nil {
				s.seen = map[string][]string{}
			}
			s.seen[scope[3]] = append(s.seen[scope[3]], r.URL.Host+" "+scope[2])
			s.mu.Unlock()
		}
	}
	if s.next == nil {
		return nil, errors.New("no network in this test")
	}
	return s.next.RoundTrip(r)
}

func (s *signed) last(service string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.seen[service]; len(l) > 0 {
		return l[len(l)-1]
	}
	return ""
}

// noAWSConfig makes the SDK's chain see nothing but what the test sets.
func noAWSConfig(t *testing.T) {
	dir := t.TempDir()
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_STS"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
}

func TestRegionComesFromTheSDKChain(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		partition portal.Partition // the emulated account's
		setup     func(t *testing.T)
		want      string // STS's signing region
	}{
		{"nothing set: us-east-1", portal.PartitionAWS, func(t *testing.T) {}, "us-east-1"},
		{"AWS_REGION", portal.PartitionAWS, func(t *testing.T) { t.Setenv("AWS_REGION", "eu-west-1") }, "eu-west-1"},
		{"AWS_DEFAULT_REGION", portal.PartitionAWS, func(t *testing.T) { t.Setenv("AWS_DEFAULT_REGION", "eu-central-1") }, "eu-central-1"},
		{"the profile's region", portal.PartitionAWS, func(t *testing.T) {
			if err := os.WriteFile(os.Getenv("AWS_CONFIG_FILE"), []byte("[profile gh]\nregion = ap-northeast-1\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("AWS_PROFILE", "gh")
		}, "ap-northeast-1"},
		{"GovCloud: STS in us-gov-east-1, IAM in us-gov-west-1", portal.PartitionGovCloud,
			func(t *testing.T) { t.Setenv("AWS_REGION", "us-gov-east-1") }, "us-gov-east-1"},
		{"China: STS in cn-northwest-1, IAM in cn-north-1", portal.PartitionChina,
			func(t *testing.T) { t.Setenv("AWS_REGION", "cn-northwest-1") }, "cn-northwest-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noAWSConfig(t)
			tc.setup(t)
			// The emulator refuses a scope AWS would refuse: IAM signed for
			// another region than the partition's, STS for another partition.
			emu := iamemu.New(iamemu.Options{Partition: tc.partition.ID})
			srv := httptest.NewServer(emu)
			t.Cleanup(srv.Close)
			key, secret := emu.RootCredentials()
			rec := &signed{next: http.DefaultTransport}
			c, id, err := awsiam.Connect(ctx, awsiam.Config{Endpoint: srv.URL, AccessKeyID: key, SecretAccessKey: secret,
				HTTPClient: &http.Client{Transport: rec}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetUser(ctx, "nobody"); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Fatalf("GetUser: %v", err)
			}
			host := strings.TrimPrefix(srv.URL, "http://")
			if got, want := rec.last("sts"), host+" "+tc.want; got != want || c.Region() != tc.want {
				t.Fatalf("STS signed as %q (client region %s), want %q", got, c.Region(), want)
			}
			// IAM is global: signed for the partition's IAM region whatever
			// the client region, or AWS refuses the scope.
			if got, want := rec.last("iam"), host+" "+tc.partition.IAMRegion; got != want || id.Partition != tc.partition {
				t.Fatalf("IAM signed as %q in partition %q, want %q", got, id.Partition.ID, want)
			}
		})
	}
}

// TestIAMEndpointFollowsThePartition checks, without a network, where the
// SDK sends IAM and STS calls for real AWS in each partition, and with what
// signing region.
func TestIAMEndpointFollowsThePartition(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		region    string
		partition portal.Partition
		sts, iam  string
	}{
		{"eu-west-1", portal.PartitionAWS, "sts.eu-west-1.amazonaws.com eu-west-1", "iam.amazonaws.com us-east-1"},
		{"us-gov-east-1", portal.PartitionGovCloud, "sts.us-gov-east-1.amazonaws.com us-gov-east-1", "iam.us-gov.amazonaws.com us-gov-west-1"},
		{"cn-northwest-1", portal.PartitionChina, "sts.cn-northwest-1.amazonaws.com.cn cn-northwest-1", "iam.cn-north-1.amazonaws.com.cn cn-north-1"},
	} {
		t.Run(tc.partition.ID, func(t *testing.T) {
			noAWSConfig(t)
			rec := &signed{}
			c, err := awsiam.New(ctx, awsiam.Config{Region: tc.region, AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "secret",
				HTTPClient: &http.Client{Transport: rec}, MaxAttempts: 1})
			if err != nil {
				t.Fatal(err)
			}
			if c.Partition() != tc.partition {
				t.Fatalf("partition guessed from %s = %s", tc.region, c.Partition().ID)
			}
			c.Identity(ctx)
			c.GetUser(ctx, "x")
			if got := rec.last("sts"); got != tc.sts {
				t.Errorf("STS: %q, want %q", got, tc.sts)
			}
			if got := rec.last("iam"); got != tc.iam {
				t.Errorf("IAM: %q, want %q", got, tc.iam)
			}
		})
	}
	t.Run("the partition of the identity wins over the region's", func(t *testing.T) {
		noAWSConfig(t)
		rec := &signed{}
		c, err := awsiam.New(ctx, awsiam.Config{Region: "us-east-1", Partition: portal.PartitionGovCloud, AccessKeyID: "AKIAEXAMPLE",
			SecretAccessKey: "secret", HTTPClient: &http.Client{Transport: rec}, MaxAttempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		c.GetUser(ctx, "x")
		if got, want := rec.last("iam"), "iam.us-gov.amazonaws.com us-gov-west-1"; got != want {
			t.Fatalf("IAM: %q, want %q", got, want)
		}
	})
}
