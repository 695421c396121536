package iamemu

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestUserTags_SortedAndLimited_MotoDoesNotValidate(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	u := aws.String("alice")
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	must[*iam.TagUserOutput](t)(env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: []types.Tag{tag("b", "1"), tag("a", "2"), tag("A", "3")}}))
	out := must[*iam.ListUserTagsOutput](t)(env.iam.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: u}))
	var keys []string
	for _, tg := range out.Tags {
		keys = append(keys, aws.ToString(tg.Key))
	}
	if got, want := strings.Join(keys, ","), "A,a,b"; got != want {
		t.Fatalf("keys = %s, want %s", got, want)
	}
	must[*iam.UntagUserOutput](t)(env.iam.UntagUser(ctx, &iam.UntagUserInput{UserName: u, TagKeys: []string{"a"}}))
	t.Run("duplicate keys", func(t *testing.T) {
		_, err := env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: []types.Tag{tag("x", "1"), tag("x", "2")}})
		var target *types.InvalidInputException
		if !errors.As(err, &target) || aws.ToString(target.Message) != "Duplicate tag keys found." {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("more than 50 in total", func(t *testing.T) {
		var many []types.Tag
		for i := 0; i < 49; i++ {
			many = append(many, tag(fmt.Sprintf("k%02d", i), "v"))
		}
		_, err := env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: many})
		var target *types.LimitExceededException
		if !errors.As(err, &target) {
			t.Fatalf("err = %v, want LimitExceededException", err)
		}
	})
}
