package portal_test

import (
	"testing"

	"github.com/gatehouse/portal"
)

func TestPartitions(t *testing.T) {
	for _, tc := range []struct {
		callerARN, region string
		want              portal.Partition
		signin            string
	}{
		{"arn:aws:iam::123456789012:user/gatehouse", "eu-west-1", portal.PartitionAWS, "https://123456789012.signin.aws.amazon.com/console"},
		{"arn:aws-us-gov:sts::123456789012:assumed-role/gh/s", "us-gov-east-1", portal.PartitionGovCloud, "https://123456789012.signin.amazonaws-us-gov.com/console"},
		{"arn:aws-cn:iam::123456789012:root", "cn-northwest-1", portal.PartitionChina, "https://123456789012.signin.amazonaws.cn/console"},
	} {
		t.Run(tc.want.ID, func(t *testing.T) {
			p, err := portal.PartitionOfARN(tc.callerARN)
			if err != nil || p != tc.want {
				t.Fatalf("PartitionOfARN(%s) = %+v, %v", tc.callerARN, p, err)
			}
			if got := portal.PartitionOfRegion(tc.region); got != tc.want {
				t.Fatalf("PartitionOfRegion(%s) = %s", tc.region, got.ID)
			}
			if got := p.SigninURL("123456789012"); got != tc.signin {
				t.Fatalf("sign-in URL %s, want %s", got, tc.signin)
			}
			if got, want := p.IAMARN("123456789012", "mfa/alice"), "arn:"+tc.want.ID+":iam::123456789012:mfa/alice"; got != want {
				t.Fatalf("IAMARN = %s, want %s", got, want)
			}
		})
	}
	t.Run("an unsupported partition is refused with its name", func(t *testing.T) {
		_, err := portal.PartitionOfARN("arn:aws-iso:iam::123456789012:user/x")
		if portal.ErrorCode(err) != portal.EINVALID {
			t.Fatalf("err = %v", err)
		}
		if _, err := portal.PartitionOfARN("not an arn"); err == nil {
			t.Fatal("a non-ARN was accepted")
		}
	})
}
