package iamemu

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func decoded(t *testing.T, doc *string) string {
	t.Helper()
	s, err := url.PathUnescape(aws.ToString(doc))
	if err != nil {
		t.Fatalf("document %q is not percent-encoded: %v", aws.ToString(doc), err)
	}
	return s
}

func TestRoles_CreateGetList(t *testing.T) {
	env := newEnv(t, Options{})
	out := must[*iam.CreateRoleOutput](t)(env.iam.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName: aws.String("Deployer"), Path: aws.String("/ci/"), AssumeRolePolicyDocument: aws.String(trustRoot),
		Description: aws.String("deploys"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ops")}},
	}))
	r := out.Role
	if aws.ToString(r.Arn) != "arn:aws:iam::123456789012:role/ci/Deployer" || !strings.HasPrefix(aws.ToString(r.RoleId), "AROA") || len(aws.ToString(r.RoleId)) != 21 ||
		aws.ToString(r.Path) != "/ci/" || r.CreateDate == nil || aws.ToString(r.Description) != "deploys" || len(r.Tags) != 1 {
		t.Fatalf("created role = %+v", r)
	}
	if got := decoded(t, r.AssumeRolePolicyDocument); got != trustRoot {
		t.Fatalf("AssumeRolePolicyDocument = %q, want the document sent", got)
	}
	if strings.Contains(aws.ToString(r.AssumeRolePolicyDocument), "{") {
		t.Fatalf("AssumeRolePolicyDocument is not URL-encoded: %q", aws.ToString(r.AssumeRolePolicyDocument))
	}
	if r.MaxSessionDuration != nil || r.RoleLastUsed != nil {
		t.Fatalf("CreateRole answered MaxSessionDuration %v / RoleLastUsed %v, which AWS leaves out", r.MaxSessionDuration, r.RoleLastUsed)
	}

	got := must[*iam.GetRoleOutput](t)(env.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deployer")})).Role
	if aws.ToString(got.RoleName) != "Deployer" || aws.ToInt32(got.MaxSessionDuration) != 3600 || got.RoleLastUsed == nil || got.RoleLastUsed.LastUsedDate != nil || len(got.Tags) != 1 {
		t.Fatalf("GetRole = %+v", got)
	}

	t.Run("names are unique without regard to case", func(t *testing.T) {
		_, err := env.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("DEPLOYER"), AssumeRolePolicyDocument: aws.String(trustRoot)})
		var exists *types.EntityAlreadyExistsException
		if !errors.As(err, &exists) || aws.ToString(exists.Message) != "Role with name DEPLOYER already exists." {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("an unknown role is NoSuchEntity", func(t *testing.T) {
		_, err := env.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("nobody")})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
		if got := apiMessage(t, err); got != "The role with name nobody cannot be found." {
			t.Fatalf("message = %q", got)
		}
	})
	t.Run("ListRoles filters by path prefix and carries no tags", func(t *testing.T) {
		env.createRole(t, "Plain")
		all := must[*iam.ListRolesOutput](t)(env.iam.ListRoles(ctx, &iam.ListRolesInput{}))
		if len(all.Roles) != 2 || all.IsTruncated {
			t.Fatalf("ListRoles = %+v", all)
		}
		ci := must[*iam.ListRolesOutput](t)(env.iam.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/ci")}))
		if len(ci.Roles) != 1 || aws.ToString(ci.Roles[0].RoleName) != "Deployer" || ci.Roles[0].Tags != nil || aws.ToInt32(ci.Roles[0].MaxSessionDuration) != 3600 {
			t.Fatalf("ListRoles /ci = %+v", ci.Roles)
		}
		if decoded(t, ci.Roles[0].AssumeRolePolicyDocument) != trustRoot {
			t.Fatalf("listed trust policy = %q", aws.ToString(ci.Roles[0].AssumeRolePolicyDocument))
		}
	})
}

func TestRoles_CreateRefuses(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	stmt := func(s string) string { return `{"Version":"2012-10-17","Statement":[` + s + `]}` }
	big := stmt(`{"Effect":"Allow","Principal":{"AWS":[` + strings.Repeat(`"arn:aws:iam::123456789012:root",`, 70) + `"*"]},"Action":"sts:AssumeRole"}`)
	for _, tc := range []struct {
		name       string
		in         iam.CreateRoleInput
		code, msg  string
		wantStatus int
	}{
		{"a name with a space", iam.CreateRoleInput{RoleName: aws.String("a b"), AssumeRolePolicyDocument: aws.String(trustRoot)},
			"ValidationError", "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", 400},
		{"a 65-character name", iam.CreateRoleInput{RoleName: aws.String(strings.Repeat("r", 65)), AssumeRolePolicyDocument: aws.String(trustRoot)},
			"ValidationError", "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64", 400},
		{"a path without slashes", iam.CreateRoleInput{RoleName: aws.String("r"), Path: aws.String("ci"), AssumeRolePolicyDocument: aws.String(trustRoot)},
			"ValidationError", "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.", 400},
		{"a session limit under one hour", iam.CreateRoleInput{RoleName: aws.String("r"), MaxSessionDuration: aws.Int32(900), AssumeRolePolicyDocument: aws.String(trustRoot)},
			"ValidationError", "1 validation error detected: Value '900' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600", 400},
		{"a trust policy that is not JSON", iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String("{")},
			"MalformedPolicyDocument", "Syntax errors in policy.", 400},
		{"a trust policy without a principal", iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(stmt(`{"Effect":"Allow","Action":"sts:AssumeRole"}`))},
			"MalformedPolicyDocument", "Missing required field Principal", 400},
		{"a trust policy with a resource", iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(stmt(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}`))},
			"MalformedPolicyDocument", "Has prohibited field Resource", 400},
		{"a trust policy granting an IAM action", iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(stmt(`{"Effect":"Allow","Principal":"*","Action":"iam:CreateUser"}`))},
			"MalformedPolicyDocument", "AssumeRole policy may only specify STS AssumeRole actions.", 400},
		{"a trust policy naming a user that does not exist", iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/nobody"},"Action":"sts:AssumeRole"}`))},
			"MalformedPolicyDocument", `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/nobody"`, 400},
		{"a trust policy over 2,048 characters", iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(big)},
			"LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048", 409},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.iam.CreateRole(ctx, &tc.in)
			wantErr(t, err, tc.code, tc.wantStatus)
			if got := apiMessage(t, err); got != tc.msg {
				t.Fatalf("message = %q, want %q", got, tc.msg)
			}
		})
	}
	t.Run("a trust policy naming an existing user, a service or an old version is accepted", func(t *testing.T) {
		for i, doc := range []string{
			stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole"}`),
			stmt(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`),
			`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"210987654321"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`,
		} {
			name := "ok" + string(rune('1'+i))
			if _, err := env.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(doc)}); err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
		}
	})
}

func TestRoles_Policies(t *testing.T) {
	env := newEnv(t, Options{MaxPoliciesPerUser: 2})
	env.createRole(t, "ops")
	role := aws.String("ops")
	p1, p2, p3 := env.createPolicy(t, "p1"), env.createPolicy(t, "p2"), env.createPolicy(t, "p3")
	for _, arn := range []string{p1, p2} {
		must[*iam.AttachRolePolicyOutput](t)(env.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: role, PolicyArn: aws.String(arn)}))
	}
	t.Run("the quota of attached policies", func(t *testing.T) {
		_, err := env.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: role, PolicyArn: aws.String(p3)})
		wantErr(t, err, "LimitExceeded", http.StatusConflict)
		if got := apiMessage(t, err); got != "Cannot exceed quota for PoliciesPerRole: 2" {
			t.Fatalf("message = %q", got)
		}
	})
	t.Run("an unknown policy cannot be attached", func(t *testing.T) {
		_, err := env.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: role, PolicyArn: aws.String("arn:aws:iam::123456789012:policy/none")})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
	})
	t.Run("attachment counts include roles", func(t *testing.T) {
		p := must[*iam.GetPolicyOutput](t)(env.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(p1)}))
		if aws.ToInt32(p.Policy.AttachmentCount) != 1 {
			t.Fatalf("AttachmentCount = %d", aws.ToInt32(p.Policy.AttachmentCount))
		}
	})
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`
	must[*iam.PutRolePolicyOutput](t)(env.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: role, PolicyName: aws.String("read"), PolicyDocument: aws.String(doc)}))
	t.Run("GetRolePolicy answers the document URL-encoded", func(t *testing.T) {
		out := must[*iam.GetRolePolicyOutput](t)(env.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: role, PolicyName: aws.String("read")}))
		if aws.ToString(out.RoleName) != "ops" || aws.ToString(out.PolicyName) != "read" || decoded(t, out.PolicyDocument) != doc {
			t.Fatalf("GetRolePolicy = %+v", out)
		}
		_, err := env.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: role, PolicyName: aws.String("write")})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
		if got := apiMessage(t, err); got != "The role policy with name write cannot be found." {
			t.Fatalf("message = %q", got)
		}
	})
	t.Run("a malformed inline policy is refused", func(t *testing.T) {
		_, err := env.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: role, PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Statement":[]}`)})
		wantErr(t, err, "MalformedPolicyDocument", http.StatusBadRequest)
	})
	t.Run("DeleteRole refuses while policies are attached, then inline", func(t *testing.T) {
		_, err := env.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: role})
		wantErr(t, err, "DeleteConflict", http.StatusConflict)
		if got := apiMessage(t, err); got != "Cannot delete entity, must detach all policies first." {
			t.Fatalf("message = %q", got)
		}
		for _, arn := range []string{p1, p2} {
			must[*iam.DetachRolePolicyOutput](t)(env.iam.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: role, PolicyArn: aws.String(arn)}))
		}
		_, err = env.iam.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: role, PolicyArn: aws.String(p1)})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
		_, err = env.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: role})
		if got := apiMessage(t, err); got != "Cannot delete entity, must delete policies first." {
			t.Fatalf("message = %q", got)
		}
		must[*iam.DeleteRolePolicyOutput](t)(env.iam.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: role, PolicyName: aws.String("read")}))
		must[*iam.DeleteRoleOutput](t)(env.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: role}))
		_, err = env.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: role})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
	})
}

func TestRoles_UpdateAssumeRolePolicy(t *testing.T) {
	env := newEnv(t, Options{})
	env.createRole(t, "ops")
	next := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"210987654321"},"Action":"sts:AssumeRole"}]}`
	must[*iam.UpdateAssumeRolePolicyOutput](t)(env.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("ops"), PolicyDocument: aws.String(next)}))
	r := must[*iam.GetRoleOutput](t)(env.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("ops")})).Role
	if decoded(t, r.AssumeRolePolicyDocument) != next {
		t.Fatalf("trust policy = %q", decoded(t, r.AssumeRolePolicyDocument))
	}
	_, err := env.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("ops"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`)})
	wantErr(t, err, "MalformedPolicyDocument", http.StatusBadRequest)
	_, err = env.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("none"), PolicyDocument: aws.String(next)})
	wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
}

func TestRoles_InTheAuthorizationPicture(t *testing.T) {
	env := newEnv(t, Options{})
	env.createRole(t, "ops")
	arn := env.createPolicy(t, "p1")
	must[*iam.AttachRolePolicyOutput](t)(env.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("ops"), PolicyArn: aws.String(arn)}))
	must[*iam.PutRolePolicyOutput](t)(env.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("ops"), PolicyName: aws.String("i1"), PolicyDocument: aws.String(forceMFA)}))
	ents := must[*iam.ListEntitiesForPolicyOutput](t)(env.iam.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(arn)}))
	if len(ents.PolicyRoles) != 1 || aws.ToString(ents.PolicyRoles[0].RoleName) != "ops" || !strings.HasPrefix(aws.ToString(ents.PolicyRoles[0].RoleId), "AROA") {
		t.Fatalf("PolicyRoles = %+v", ents.PolicyRoles)
	}
	det := must[*iam.GetAccountAuthorizationDetailsOutput](t)(env.iam.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeRole}}))
	if len(det.RoleDetailList) != 1 {
		t.Fatalf("RoleDetailList = %+v", det.RoleDetailList)
	}
	r := det.RoleDetailList[0]
	if aws.ToString(r.RoleName) != "ops" || len(r.AttachedManagedPolicies) != 1 || len(r.RolePolicyList) != 1 || decoded(t, r.AssumeRolePolicyDocument) != trustRoot {
		t.Fatalf("role detail = %+v", r)
	}
}

func TestRoles_UpdateAndTags(t *testing.T) {
	env := newEnv(t, Options{})
	env.createRole(t, "ops")
	role := aws.String("ops")
	must[*iam.UpdateRoleOutput](t)(env.iam.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: role, Description: aws.String("operators"), MaxSessionDuration: aws.Int32(7200)}))
	r := must[*iam.GetRoleOutput](t)(env.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: role})).Role
	if aws.ToString(r.Description) != "operators" || aws.ToInt32(r.MaxSessionDuration) != 7200 {
		t.Fatalf("after UpdateRole: %+v", r)
	}
	_, err := env.iam.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: role, MaxSessionDuration: aws.Int32(50000)})
	wantErr(t, err, "ValidationError", http.StatusBadRequest)
	d := must[*iam.UpdateRoleDescriptionOutput](t)(env.iam.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: role, Description: aws.String("ops team")}))
	if aws.ToString(d.Role.Description) != "ops team" || aws.ToInt32(d.Role.MaxSessionDuration) != 7200 {
		t.Fatalf("UpdateRoleDescription answered %+v", d.Role)
	}

	must[*iam.TagRoleOutput](t)(env.iam.TagRole(ctx, &iam.TagRoleInput{RoleName: role, Tags: []types.Tag{{Key: aws.String("Team"), Value: aws.String("a")}}}))
	must[*iam.TagRoleOutput](t)(env.iam.TagRole(ctx, &iam.TagRoleInput{RoleName: role, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("b")}}}))
	tags := must[*iam.ListRoleTagsOutput](t)(env.iam.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: role})).Tags
	if len(tags) != 1 || aws.ToString(tags[0].Value) != "b" {
		t.Fatalf("tags = %+v, want one tag replaced without regard to case", tags)
	}
	must[*iam.UntagRoleOutput](t)(env.iam.UntagRole(ctx, &iam.UntagRoleInput{RoleName: role, TagKeys: []string{"TEAM"}}))
	if tags := must[*iam.ListRoleTagsOutput](t)(env.iam.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: role})).Tags; len(tags) != 0 {
		t.Fatalf("tags after UntagRole = %+v", tags)
	}
	_, err = env.iam.TagRole(ctx, &iam.TagRoleInput{RoleName: role, Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("1")}}})
	wantErr(t, err, "InvalidInput", http.StatusBadRequest)
	_, err = env.iam.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("none")})
	wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
}
