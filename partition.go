package portal

import (
	"strings"
)

// Partition is an AWS partition: a separate copy of AWS with its own ARN
// prefix, its own home region for IAM (a global service, signed for that
// one region) and its own console sign-in domain. Gatehouse takes the
// partition from the ARN GetCallerIdentity returns at start and builds every
// ARN, the policy document's resources and the console sign-in URL from it;
// this type is the one place that knows the partitions (docs/running-on-aws.md).
// The zero Partition behaves as the standard partition "aws".
type Partition struct {
	ID           string // "aws", "aws-us-gov" or "aws-cn": the second field of an ARN
	IAMRegion    string // the region IAM requests are signed for
	SigninDomain string // the console sign-in host after "<account>."
}

// The partitions Gatehouse supports. Others (the isolated ones) have no
// public console sign-in URL to hand out, so Gatehouse refuses to start there.
var (
	PartitionAWS      = Partition{ID: "aws", IAMRegion: "us-east-1", SigninDomain: "signin.aws.amazon.com"}
	PartitionGovCloud = Partition{ID: "aws-us-gov", IAMRegion: "us-gov-west-1", SigninDomain: "signin.amazonaws-us-gov.com"}
	PartitionChina    = Partition{ID: "aws-cn", IAMRegion: "cn-north-1", SigninDomain: "signin.amazonaws.cn"}
)

var partitions = []Partition{PartitionAWS, PartitionGovCloud, PartitionChina}

// PartitionByID returns the supported partition named id ("aws",
// "aws-us-gov", "aws-cn").
func PartitionByID(id string) (Partition, bool) {
	for _, p := range partitions {
		if p.ID == id {
			return p, true
		}
	}
	return Partition{}, false
}

// PartitionOfARN returns the partition of an ARN such as the caller ARN of
// GetCallerIdentity (arn:aws-us-gov:iam::123456789012:user/gatehouse).
func PartitionOfARN(arn string) (Partition, error) {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 || parts[0] != "arn" || parts[1] == "" {
		return Partition{}, E(EINVALID, "err.arn.invalid", arn)
	}
	if p, ok := PartitionByID(parts[1]); ok {
		return p, nil
	}
	return Partition{}, E(EINVALID, "err.partition.unsupported", parts[1], arn)
}

// PartitionOfRegion returns the partition a region belongs to, the way the
// SDK's endpoint rules group them: us-gov-* is GovCloud, cn-* is China,
// everything else (including an empty region) the standard partition. It is
// only a first guess for signing before GetCallerIdentity has answered.
func PartitionOfRegion(region string) Partition {
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return PartitionGovCloud
	case strings.HasPrefix(region, "cn-"):
		return PartitionChina
	}
	return PartitionAWS
}

// IAMARN returns arn:PARTITION:iam::ACCOUNT:RESOURCE, for example
// IAMARN("123456789012", "mfa/alice").
func (p Partition) IAMARN(account, resource string) string {
	return "arn:" + p.id() + ":iam::" + account + ":" + resource
}

// SigninURL is the console sign-in address of an account, by its alias
// when it has one, otherwise by its ID.
func (p Partition) SigninURL(accountOrAlias string) string {
	domain := p.SigninDomain
	if domain == "" {
		domain = PartitionAWS.SigninDomain
	}
	return "https://" + accountOrAlias + "." + domain + "/console"
}

// id returns p.ID, "aws" for the zero Partition.
func (p Partition) id() string {
	if p.ID == "" {
		return PartitionAWS.ID
	}
	return p.ID
}
