// Package awsiam is Gatehouse's adapter over aws-sdk-go-v2 (IAM and STS):
// portal-shaped calls, SDK errors mapped to *portal.Error, and retries for
// IAM's eventual consistency. No SDK type leaves this package.
package awsiam

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"

	"github.com/gatehouse/portal"
)

// Config says how to reach IAM.
type Config struct {
	// Endpoint, when set, points IAM and STS at that URL (the emulator in
	// test mode). Empty means real AWS through the SDK's defaults.
	Endpoint string
	// Region is the region STS is called in. Empty means the SDK's chain
	// (AWS_REGION, AWS_DEFAULT_REGION, the profile's region), and
	// DefaultRegion only when none of them is set.
	Region string
	// Partition is the partition of the account (GetCallerIdentity's ARN;
	// Connect fills it in). IAM is a global service signed for the
	// partition's IAM region, whatever Region is: against AWS the SDK's
	// endpoint rules pick the partition's IAM endpoint from it, and with a
	// custom Endpoint it is the signing region the endpoint checks. The zero
	// value means the partition of Region.
	Partition portal.Partition
	// AccessKeyID and SecretAccessKey, when set, replace the SDK's default
	// credential chain (env, profile, web identity, instance role).
	AccessKeyID, SecretAccessKey string
	// PageSize, when above 0, is the MaxItems of every paged listing; 0
	// means IAM's default (100) for the per-user listings offboarding walks
	// and IAM's largest page (1,000) for account-wide listings (virtual MFA
	// devices). Tests set small pages to prove that every page is followed.
	PageSize int32
	// HTTPClient overrides the SDK's HTTP client (tests). It is given to the
	// IAM and STS clients as it is: AWS_CA_BUNDLE does not apply to it.
	HTTPClient *http.Client
	// MaxAttempts overrides the SDK's retry attempts (default 3). Retries
	// use the SDK's adaptive mode (see retryer), or with Rate the standard
	// mode with a short back-off (see pacedRetryer).
	MaxAttempts int
	// Rate, when above 0, paces every attempt of every call of this client
	// at Rate calls per second (see Pacer); Burst is the pacer's burst
	// (default a tenth of a second of calls, at least 1). Set it at or a
	// little below the account's IAM rate.
	Rate  float64
	Burst int
	// Pacer, if set, is used instead of a pacer of its own built from Rate
	// (to share one budget between clients).
	Pacer *Pacer
	// Observe, if set, is told every call's action, outcome and duration.
	Observe ObserveFunc
	// ConsistencyWait bounds how long follow-up calls retry NoSuchEntity
	// right after CreateUser (eventual consistency). Default 10 s.
	ConsistencyWait time.Duration
	// CallTimeout bounds one call with all its retries (default
	// DefaultCallTimeout); see deadline.go.
	CallTimeout time.Duration

	// credentials, when set, replaces every other source of credentials:
	// a member account's assumed role (accounts.go).
	credentials aws.CredentialsProvider
}

// DefaultRegion is the region used when neither Config.Region nor the SDK's
// configuration chain names one.
const DefaultRegion = "us-east-1"

// Client calls IAM and STS.
type Client struct {
	iam             *iam.Client
	sts             *sts.Client
	org             *organizations.Client
	consistencyWait time.Duration
	region          string
	partition       portal.Partition
	pageSize        int32
}

// maxItems is the MaxItems parameter of a paged listing: nil (IAM's
// default of 100) unless a test asked for small pages.
func (c *Client) maxItems() *int32 {
	if c.pageSize <= 0 {
		return nil
	}
	return aws.Int32(c.pageSize)
}

// largestPage is the MaxItems of an account-wide listing: IAM's largest
// page (1,000), so a listing over 10,000 entries is 10 calls, unless a test
// asked for small pages.
func (c *Client) largestPage() *int32 {
	if c.pageSize <= 0 {
		return aws.Int32(1000)
	}
	return aws.Int32(c.pageSize)
}

// New builds a client from cfg. It does not call AWS; use Identity to check
// that credentials work, or Connect, which also learns the partition.
func New(ctx context.Context, cfg Config) (*Client, error) {
	var opts []func(*config.LoadOptions) error
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.AccessKeyID != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, "")))
	}
	if cfg.credentials != nil {
		opts = append(opts, config.WithCredentialsProvider(cfg.credentials))
	}
	apiOpts := []func(*middleware.Stack) error{deadlineMiddleware(cfg.CallTimeout)}
	if p := cfg.Pacer; p != nil || cfg.Rate > 0 {
		if p == nil {
			burst := cfg.Burst
			if burst == 0 {
				burst = defaultBurst(cfg.Rate)
			}
			p = NewPacer(cfg.Rate, burst)
		}
		opts = append(opts, config.WithRetryer(pacedRetryer(cfg.MaxAttempts, p.Interval())))
		apiOpts = append(apiOpts, paceMiddleware(p))
	} else {
		opts = append(opts, config.WithRetryer(retryer(cfg.MaxAttempts)))
	}
	if cfg.Observe != nil {
		apiOpts = append(apiOpts, observeMiddleware(cfg.Observe))
	}
	opts = append(opts, config.WithAPIOptions(apiOpts))
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = DefaultRegion
	}
	c := &Client{consistencyWait: cfg.ConsistencyWait, region: awsCfg.Region, partition: cfg.Partition,
		pageSize: cfg.PageSize}
	if c.consistencyWait == 0 {
		c.consistencyWait = 10 * time.Second
	}
	if c.partition.ID == "" {
		c.partition = portal.PartitionOfRegion(awsCfg.Region)
	}
	c.iam = iam.NewFromConfig(awsCfg, func(o *iam.Options) {
		o.Region = c.partition.IAMRegion
		if cfg.HTTPClient != nil {
			o.HTTPClient = cfg.HTTPClient
		}
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
	})
	c.sts = sts.NewFromConfig(awsCfg, func(o *sts.Options) {
		if cfg.HTTPClient != nil {
			o.HTTPClient = cfg.HTTPClient
		}
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
	})
	c.org = organizations.NewFromConfig(awsCfg, func(o *organizations.Options) {
		o.Region = c.partition.IAMRegion
		if cfg.HTTPClient != nil {
			o.HTTPClient = cfg.HTTPClient
		}
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
	})
	return c, nil
}

// Connect builds a client, asks STS who its credentials belong to, and
// returns a client that signs IAM for that identity's partition, with the
// identity. Only the first answer can tell the partition, so when it differs
// from the one guessed from the region the client is built again.
func Connect(ctx context.Context, cfg Config) (*Client, Identity, error) {
	c, err := New(ctx, cfg)
	if err != nil {
		return nil, Identity{}, err
	}
	id, err := c.Identity(ctx)
	if err != nil {
		return nil, Identity{}, err
	}
	if id.Partition != c.partition {
		cfg.Partition = id.Partition
		if c, err = New(ctx, cfg); err != nil {
			return nil, Identity{}, err
		}
	}
	return c, id, nil
}

// Region returns the region STS is called in.
func (c *Client) Region() string { return c.region }

// Partition returns the partition IAM is signed for.
func (c *Client) Partition() portal.Partition { return c.partition }

// Identity is who Gatehouse is in AWS: the account, the caller's ARN (an IAM
// user, an assumed role's session, or root) and the partition it names.
type Identity struct {
	Account   string
	ARN       string
	Partition portal.Partition
}

// Probe asks STS who Gatehouse is, once and without retries, for a
// readiness check: a probe must report what happened on one attempt (IAM
// refused the connection: down) instead of retrying into its own timeout
// and calling a dead endpoint slow.
func (c *Client) Probe(ctx context.Context) error {
	_, err := c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.Options) { o.Retryer = aws.NopRetryer{} })
	if err != nil {
		return mapErr("GetCallerIdentity", err)
	}
	return nil
}

// Identity asks STS who the configured credentials belong to. It is the
// start-up check: without credentials it fails with a message that says
// what to configure.
func (c *Client) Identity(ctx context.Context) (Identity, error) {
	out, err := c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		if isNoCredentials(err) {
			return Identity{}, portal.E(portal.EUNAVAILABLE, "err.iam.nocreds.start").Wrap(err)
		}
		return Identity{}, mapErr("GetCallerIdentity", err)
	}
	id := Identity{Account: aws.ToString(out.Account), ARN: aws.ToString(out.Arn)}
	if id.Partition, err = portal.PartitionOfARN(id.ARN); err != nil {
		return Identity{}, err
	}
	return id, nil
}
