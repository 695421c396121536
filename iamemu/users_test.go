package iamemu

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestCreateUser(t *testing.T) {
	env := newEnv(t, Options{})
	out := must[*iam.CreateUserOutput](t)(env.iam.CreateUser(ctx, &iam.CreateUserInput{
		UserName: aws.String("alice"),
		Tags:     []types.Tag{{Key: aws.String("managed-by"), Value: aws.String("gatehouse")}},
	}))
	u := out.User
	if got, want := aws.ToString(u.Arn), "arn:aws:iam::123456789012:user/alice"; got != want {
		t.Fatalf("Arn = %q, want %q", got, want)
	}
	if got, want := aws.ToString(u.Path), "/"; got != want {
		t.Fatalf("Path = %q, want %q", got, want)
	}
	if id := aws.ToString(u.UserId); !strings.HasPrefix(id, "AIDA") || len(id) != 21 {
		t.Fatalf("UserId = %q, want AIDA + 17 chars", id)
	}
	if got, want := u.CreateDate.UTC(), t0; !got.Equal(want) {
		t.Fatalf("CreateDate = %v, want %v", got, want)
	}
	if got, want := len(u.Tags), 1; got != want {
		t.Fatalf("len(Tags) = %d, want %d", got, want)
	}

	t.Run("duplicate name differing only in case is EntityAlreadyExists", func(t *testing.T) {
		_, err := env.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ALICE")})
		var target *types.EntityAlreadyExistsException
		if !errors.As(err, &target) {
			t.Fatalf("err = %v, want EntityAlreadyExistsException", err)
		}
		if got, want := aws.ToString(target.Message), "User with name ALICE already exists."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
}

func TestCreateUser_Validation_MotoAcceptsAnyName(t *testing.T) {
	env := newEnv(t, Options{})
	cases := []struct {
		name, user, path, want string
	}{
		{"name too long", strings.Repeat("a", 65), "", "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"name with a space", "al ice", "", `1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"path without trailing slash", "bob", "/x", "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := &iam.CreateUserInput{UserName: aws.String(tc.user)}
			if tc.path != "" {
				in.Path = aws.String(tc.path)
			}
			_, err := env.iam.CreateUser(ctx, in)
			if got, want := apiCode(t, err), "ValidationError"; got != want {
				t.Fatalf("code = %q, want %q", got, want)
			}
			if got := apiMessage(t, err); got != tc.want {
				t.Fatalf("message = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestGetUser(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	t.Run("by name, case-insensitively", func(t *testing.T) {
		out := must[*iam.GetUserOutput](t)(env.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("Alice")}))
		if got, want := aws.ToString(out.User.UserName), "alice"; got != want {
			t.Fatalf("UserName = %q, want %q", got, want)
		}
	})
	t.Run("unknown user is NoSuchEntity with AWS's text", func(t *testing.T) {
		_, err := env.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
		var target *types.NoSuchEntityException
		if !errors.As(err, &target) {
			t.Fatalf("err = %v, want NoSuchEntityException", err)
		}
		if got, want := aws.ToString(target.Message), "The user with name nobody cannot be found."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
	t.Run("root without UserName gets the root identity", func(t *testing.T) {
		out := must[*iam.GetUserOutput](t)(env.iam.GetUser(ctx, &iam.GetUserInput{}))
		if got, want := aws.ToString(out.User.Arn), "arn:aws:iam::123456789012:root"; got != want {
			t.Fatalf("Arn = %q, want %q", got, want)
		}
	})
}

func TestListUsers_PaginatesWithOpaqueMarkers_MotoIgnoresMarker(t *testing.T) {
	env := newEnv(t, Options{})
	for _, n := range []string{"carol", "alice", "erin", "bob", "dave"} {
		env.createUser(t, n)
	}
	var names []string
	pages := 0
	p := iam.NewListUsersPaginator(env.iam, &iam.ListUsersInput{MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		out := must[*iam.ListUsersOutput](t)(p.NextPage(ctx))
		pages++
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.UserName))
			if u.Tags != nil {
				t.Fatalf("ListUsers item carries Tags")
			}
		}
	}
	if got, want := strings.Join(names, ","), "alice,bob,carol,dave,erin"; got != want {
		t.Fatalf("users = %s, want %s", got, want)
	}
	if got, want := pages, 3; got != want {
		t.Fatalf("pages = %d, want %d", got, want)
	}

	t.Run("invalid marker", func(t *testing.T) {
		_, err := env.iam.ListUsers(ctx, &iam.ListUsersInput{Marker: aws.String("not-a-marker!")})
		if got, want := apiCode(t, err), "ValidationError"; got != want {
			t.Fatalf("code = %q, want %q", got, want)
		}
		if got, want := apiMessage(t, err), "Invalid Marker."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
}
