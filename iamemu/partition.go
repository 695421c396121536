package iamemu

import (
	"slices"
	"strings"
)

// partition is an AWS partition as IAM and STS see it. IAM is one global
// service per partition whose requests are signed for one fixed region;
// STS answers in every region of the partition. The region lists are those
// of botocore's endpoints.json (sts endpoints, FIPS aliases left out).
type partition struct {
	name      string
	iamRegion string // the only credential-scope region IAM accepts
	regions   []string
}

var partitions = map[string]partition{
	"aws": {name: "aws", iamRegion: "us-east-1", regions: []string{
		"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
		"eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
		"us-west-1", "us-west-2",
	}},
	"aws-us-gov": {name: "aws-us-gov", iamRegion: "us-gov-west-1", regions: []string{"us-gov-east-1", "us-gov-west-1"}},
	"aws-cn":     {name: "aws-cn", iamRegion: "cn-north-1", regions: []string{"cn-north-1", "cn-northwest-1"}},
}

// DefaultPartition is the partition used when Options.Partition is empty.
const DefaultPartition = "aws"

// PartitionRegion returns the region that goes with a partition — the one
// IAM requests must be signed for (us-east-1, us-gov-west-1, cn-north-1) —
// and whether the partition is one the emulator knows.
func PartitionRegion(name string) (string, bool) {
	p, ok := partitions[name]
	return p.iamRegion, ok
}

// hasRegion reports whether region belongs to the partition.
func (p partition) hasRegion(region string) bool { return slices.Contains(p.regions, region) }

// arn builds arn:PARTITION:iam::ACCOUNT:RESOURCE for this account.
func (s *state) arn(resource string) string {
	return "arn:" + s.Partition + ":iam::" + s.AccountID + ":" + resource
}

// arnPartition returns the partition field of an ARN-shaped string, or ""
// when s is not an ARN.
func arnPartition(s string) string {
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return ""
	}
	p, _, _ := strings.Cut(rest, ":")
	return p
}

// checkArnPartition refuses an ARN parameter of another partition the way
// IAM does since it validates input ARNs strictly: ValidationError "Invalid
// ARN partition" (400).
func (c *call) checkArnPartition(arn string) *apiError {
	if strings.HasPrefix(arn, "arn:") && arnPartition(arn) != c.st.Partition {
		return errf("ValidationError", "Invalid ARN partition")
	}
	return nil
}
