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
	must[*iam.TagUserOutput](t)(env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: []types.Tag{tag("b", "1"), tag("a", "2"), tag("C", "3")}}))
	out := must[*iam.ListUserTagsOutput](t)(env.iam.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: u}))
	var keys []string
	for _, tg := range out.Tags {
		keys = append(keys, aws.ToString(tg.Key))
	}
	if got, want := strings.Join(keys, ","), "C,a,b"; got != want {
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

// userTags lists a user's tags as "Key=Value" in key order.
func (env *testEnv) userTags(t *testing.T, name string) string {
	t.Helper()
	var out []string
	for _, tg := range must[*iam.ListUserTagsOutput](t)(env.iam.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String(name)})).Tags {
		out = append(out, aws.ToString(tg.Key)+"="+aws.ToString(tg.Value))
	}
	return strings.Join(out, ",")
}

func TestUserTags_RulesAsAWS(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	u := aws.String("alice")
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

	t.Run("keys with the reserved aws: prefix, in any case, are InvalidInput", func(t *testing.T) {
		for _, k := range []string{"aws:owner", "AWS:owner", "Aws:x"} {
			_, err := env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: []types.Tag{tag(k, "v")}})
			wantErr(t, err, "InvalidInput", 400)
			_, err = env.iam.UntagUser(ctx, &iam.UntagUserInput{UserName: u, TagKeys: []string{k}})
			wantErr(t, err, "InvalidInput", 400)
		}
		_, err := env.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob"), Tags: []types.Tag{tag("aws:team", "x")}})
		wantErr(t, err, "InvalidInput", 400)
		if got := env.userTags(t, "alice"); got != "" {
			t.Fatalf("a refused call left tags %s", got)
		}
		// Not a prefix: allowed.
		must[*iam.TagUserOutput](t)(env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: []types.Tag{tag("team:aws", "x")}}))
	})
	t.Run("a user's tag keys are case-insensitive: department replaces Department", func(t *testing.T) {
		must[*iam.TagUserOutput](t)(env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: []types.Tag{tag("Department", "finance")}}))
		must[*iam.TagUserOutput](t)(env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: []types.Tag{tag("department", "hr")}}))
		if got, want := env.userTags(t, "alice"), "department=hr,team:aws=x"; got != want {
			t.Fatalf("tags = %s, want %s", got, want)
		}
		_, err := env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: []types.Tag{tag("Cost", "1"), tag("cost", "2")}})
		wantErr(t, err, "InvalidInput", 400)
		must[*iam.UntagUserOutput](t)(env.iam.UntagUser(ctx, &iam.UntagUserInput{UserName: u, TagKeys: []string{"DEPARTMENT"}}))
		if got, want := env.userTags(t, "alice"), "team:aws=x"; got != want {
			t.Fatalf("tags after untag = %s, want %s", got, want)
		}
	})
	t.Run("keys and values outside the pattern or length are ValidationError", func(t *testing.T) {
		for _, tg := range []types.Tag{tag("", "v"), tag(strings.Repeat("k", 129), "v"), tag("k", strings.Repeat("v", 257)), tag("a#b", "v"), tag("k", "v!")} {
			_, err := env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: []types.Tag{tg}})
			wantErr(t, err, "ValidationError", 400)
		}
	})
	t.Run("policy tag keys stay case-sensitive", func(t *testing.T) {
		_, err := env.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(forceMFA), Tags: []types.Tag{tag("a", "1"), tag("A", "2")}})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an unknown user is NoSuchEntity", func(t *testing.T) {
		_, err := env.iam.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("nobody"), Tags: []types.Tag{tag("k", "v")}})
		wantErr(t, err, "NoSuchEntity", 404)
	})
}
