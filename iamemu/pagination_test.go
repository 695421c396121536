package iamemu

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal/internal/testkeys"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// pager is what every SDK paginator offers.
type pager[O any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*iam.Options)) (O, error)
}

// drain runs an SDK paginator to the end and returns its pages. It stops
// after max pages: a marker that does not advance would loop forever.
func drain[O any](t *testing.T, p pager[O], items func(O) []string, max int) [][]string {
	t.Helper()
	var pages [][]string
	for p.HasMorePages() {
		if len(pages) == max {
			t.Fatalf("still more pages after %d: %v", max, pages)
		}
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, items(out))
	}
	return pages
}

func names[T any](items []T, name func(T) *string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, aws.ToString(name(it)))
	}
	return out
}

// pagingCase lists several items of one kind through the real SDK
// paginator with MaxItems=1.
type pagingCase struct {
	action string
	// setup creates the items and returns them in listing order.
	setup func(t *testing.T, env *testEnv) []string
	// pages lists them one per page.
	pages func(t *testing.T, env *testEnv, max int) [][]string
}

// pagingRepeat runs a case on several fresh accounts where the order under
// test depends on random ids: two access key ids are in creation order half
// the time, which hid the ListAccessKeys marker bug.
var pagingRepeat = map[string]int{"ListAccessKeys": 8}

var one = aws.Int32(1)

func pagingCases() []pagingCase {
	return []pagingCase{
		{"ListUsers", func(t *testing.T, env *testEnv) []string {
			for _, n := range []string{"carol", "Alice", "bob"} {
				env.createUser(t, n)
			}
			return []string{"Alice", "bob", "carol"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListUsersPaginator(env.iam, &iam.ListUsersInput{MaxItems: one}), func(o *iam.ListUsersOutput) []string {
				return names(o.Users, func(u types.User) *string { return u.UserName })
			}, max)
		}},
		{"ListAccessKeys", func(t *testing.T, env *testEnv) []string {
			env.createUser(t, "alice")
			var ids []string
			for range 2 { // the quota; both in the same second
				k := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")}))
				ids = append(ids, aws.ToString(k.AccessKey.AccessKeyId))
			}
			return ids
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListAccessKeysPaginator(env.iam, &iam.ListAccessKeysInput{UserName: aws.String("alice"), MaxItems: one}), func(o *iam.ListAccessKeysOutput) []string {
				return names(o.AccessKeyMetadata, func(k types.AccessKeyMetadata) *string { return k.AccessKeyId })
			}, max)
		}},
		{"ListMFADevices", func(t *testing.T, env *testEnv) []string {
			env.createUser(t, "alice")
			var serials []string
			for _, n := range []string{"c-phone", "a-phone", "b-key"} {
				d := must[*iam.CreateVirtualMFADeviceOutput](t)(env.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(n)})).VirtualMFADevice
				seed := string(d.Base32StringSeed)
				if err := env.enable("alice", aws.ToString(d.SerialNumber), code(t, seed, t0.Add(-30*time.Second)), code(t, seed, t0)); err != nil {
					t.Fatal(err)
				}
				serials = append(serials, aws.ToString(d.SerialNumber))
			}
			slices.Sort(serials)
			return serials
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListMFADevicesPaginator(env.iam, &iam.ListMFADevicesInput{UserName: aws.String("alice"), MaxItems: one}), func(o *iam.ListMFADevicesOutput) []string {
				return names(o.MFADevices, func(d types.MFADevice) *string { return d.SerialNumber })
			}, max)
		}},
		{"ListVirtualMFADevices", func(t *testing.T, env *testEnv) []string {
			var serials []string
			for _, n := range []string{"c", "a", "b"} {
				d := must[*iam.CreateVirtualMFADeviceOutput](t)(env.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(n)}))
				serials = append(serials, aws.ToString(d.VirtualMFADevice.SerialNumber))
			}
			slices.Sort(serials)
			return serials
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListVirtualMFADevicesPaginator(env.iam, &iam.ListVirtualMFADevicesInput{MaxItems: one}), func(o *iam.ListVirtualMFADevicesOutput) []string {
				return names(o.VirtualMFADevices, func(d types.VirtualMFADevice) *string { return d.SerialNumber })
			}, max)
		}},
		{"ListPolicies", func(t *testing.T, env *testEnv) []string {
			var arns []string
			for _, n := range []string{"p3", "p1", "p2"} {
				arns = append(arns, env.createPolicy(t, n))
			}
			slices.Sort(arns)
			return arns
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListPoliciesPaginator(env.iam, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, MaxItems: one}), func(o *iam.ListPoliciesOutput) []string {
				return names(o.Policies, func(p types.Policy) *string { return p.Arn })
			}, max)
		}},
		{"ListPolicyVersions", func(t *testing.T, env *testEnv) []string {
			arn := env.createPolicy(t, "p")
			for range 2 {
				must[*iam.CreatePolicyVersionOutput](t)(env.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(forceMFA)}))
			}
			return []string{"v3", "v2", "v1"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			arn := "arn:aws:iam::123456789012:policy/p"
			return drain(t, iam.NewListPolicyVersionsPaginator(env.iam, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn), MaxItems: one}), func(o *iam.ListPolicyVersionsOutput) []string {
				return names(o.Versions, func(v types.PolicyVersion) *string { return v.VersionId })
			}, max)
		}},
		{"ListAttachedUserPolicies", func(t *testing.T, env *testEnv) []string {
			env.createUser(t, "alice")
			var arns []string
			for _, n := range []string{"p3", "p1", "p2"} {
				arn := env.createPolicy(t, n)
				must[*iam.AttachUserPolicyOutput](t)(env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)}))
				arns = append(arns, arn)
			}
			slices.Sort(arns)
			return arns
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListAttachedUserPoliciesPaginator(env.iam, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("alice"), MaxItems: one}), func(o *iam.ListAttachedUserPoliciesOutput) []string {
				return names(o.AttachedPolicies, func(p types.AttachedPolicy) *string { return p.PolicyArn })
			}, max)
		}},
		{"ListGroupsForUser", func(t *testing.T, env *testEnv) []string {
			env.createUser(t, "alice")
			for _, n := range []string{"g3", "g1", "g2"} {
				must[*iam.CreateGroupOutput](t)(env.iam.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(n)}))
				must[*iam.AddUserToGroupOutput](t)(env.iam.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String(n), UserName: aws.String("alice")}))
			}
			return []string{"g1", "g2", "g3"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListGroupsForUserPaginator(env.iam, &iam.ListGroupsForUserInput{UserName: aws.String("alice"), MaxItems: one}), func(o *iam.ListGroupsForUserOutput) []string {
				return names(o.Groups, func(g types.Group) *string { return g.GroupName })
			}, max)
		}},
		{"ListUserPolicies", func(t *testing.T, env *testEnv) []string {
			env.createUser(t, "alice")
			for _, n := range []string{"i3", "i1", "i2"} {
				must[*iam.PutUserPolicyOutput](t)(env.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String(n), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}`)}))
			}
			return []string{"i1", "i2", "i3"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListUserPoliciesPaginator(env.iam, &iam.ListUserPoliciesInput{UserName: aws.String("alice"), MaxItems: one}), func(o *iam.ListUserPoliciesOutput) []string {
				return o.PolicyNames
			}, max)
		}},
		{"ListUserTags", func(t *testing.T, env *testEnv) []string {
			env.createUser(t, "alice")
			must[*iam.TagUserOutput](t)(env.iam.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("alice"), Tags: []types.Tag{
				{Key: aws.String("c"), Value: aws.String("3")}, {Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("B"), Value: aws.String("2")}}}))
			return []string{"B", "a", "c"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListUserTagsPaginator(env.iam, &iam.ListUserTagsInput{UserName: aws.String("alice"), MaxItems: one}), func(o *iam.ListUserTagsOutput) []string {
				return names(o.Tags, func(t types.Tag) *string { return t.Key })
			}, max)
		}},
		{"ListSSHPublicKeys", func(t *testing.T, env *testEnv) []string {
			env.createUser(t, "alice")
			var ids []string
			for _, k := range testkeys.RSA(t, 3) {
				ids = append(ids, aws.ToString(env.uploadSSH(t, "alice", openSSH(t, &k.PublicKey)).SSHPublicKeyId))
			}
			return ids
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListSSHPublicKeysPaginator(env.iam, &iam.ListSSHPublicKeysInput{UserName: aws.String("alice"), MaxItems: one}), func(o *iam.ListSSHPublicKeysOutput) []string {
				return names(o.SSHPublicKeys, func(k types.SSHPublicKeyMetadata) *string { return k.SSHPublicKeyId })
			}, max)
		}},
		{"ListSigningCertificates", func(t *testing.T, env *testEnv) []string {
			env.createUser(t, "alice")
			var ids []string
			for i, k := range testkeys.RSA(t, 2) { // the quota
				c, err := env.uploadCert("alice", selfSigned(t, k, &k.PublicKey, int64(i+1), t0.Add(-time.Hour), t0.AddDate(1, 0, 0)))
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, aws.ToString(c.CertificateId))
			}
			return ids
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListSigningCertificatesPaginator(env.iam, &iam.ListSigningCertificatesInput{UserName: aws.String("alice"), MaxItems: one}), func(o *iam.ListSigningCertificatesOutput) []string {
				return names(o.Certificates, func(c types.SigningCertificate) *string { return c.CertificateId })
			}, max)
		}},
		{"ListServiceSpecificCredentials", func(t *testing.T, env *testEnv) []string {
			env.createUser(t, "alice")
			var ids []string
			for _, svc := range []string{"codecommit.amazonaws.com", "codecommit.amazonaws.com", "cassandra.amazonaws.com"} {
				c := must[*iam.CreateServiceSpecificCredentialOutput](t)(env.iam.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("alice"), ServiceName: aws.String(svc)}))
				ids = append(ids, aws.ToString(c.ServiceSpecificCredential.ServiceSpecificCredentialId))
			}
			slices.Sort(ids)
			return ids
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			// The SDK has no paginator for it: follow Marker by hand.
			var pages [][]string
			in := &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("alice"), MaxItems: one}
			for {
				if len(pages) == max {
					t.Fatalf("still more pages after %d", max)
				}
				out := must[*iam.ListServiceSpecificCredentialsOutput](t)(env.iam.ListServiceSpecificCredentials(ctx, in))
				pages = append(pages, names(out.ServiceSpecificCredentials, func(c types.ServiceSpecificCredentialMetadata) *string { return c.ServiceSpecificCredentialId }))
				if !out.IsTruncated {
					return pages
				}
				in.Marker = out.Marker
			}
		}},
		{"ListAccountAliases", func(t *testing.T, env *testEnv) []string {
			must[*iam.CreateAccountAliasOutput](t)(env.iam.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("example")}))
			return []string{"example"} // AWS allows one
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListAccountAliasesPaginator(env.iam, &iam.ListAccountAliasesInput{MaxItems: one}), func(o *iam.ListAccountAliasesOutput) []string {
				return o.AccountAliases
			}, max)
		}},
		{"ListGroups", func(t *testing.T, env *testEnv) []string {
			for _, n := range []string{"g3", "G1", "g2"} {
				env.createGroup(t, n)
			}
			return []string{"G1", "g2", "g3"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListGroupsPaginator(env.iam, &iam.ListGroupsInput{MaxItems: one}), func(o *iam.ListGroupsOutput) []string {
				return names(o.Groups, func(g types.Group) *string { return g.GroupName })
			}, max)
		}},
		{"GetGroup", func(t *testing.T, env *testEnv) []string {
			for _, n := range []string{"carol", "alice", "bob"} {
				env.createUser(t, n)
			}
			env.createGroup(t, "staff", "carol", "alice", "bob")
			return []string{"alice", "bob", "carol"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewGetGroupPaginator(env.iam, &iam.GetGroupInput{GroupName: aws.String("staff"), MaxItems: one}), func(o *iam.GetGroupOutput) []string {
				return names(o.Users, func(u types.User) *string { return u.UserName })
			}, max)
		}},
		{"ListAttachedGroupPolicies", func(t *testing.T, env *testEnv) []string {
			env.createGroup(t, "staff")
			var arns []string
			for _, n := range []string{"p3", "p1", "p2"} {
				arn := env.createPolicy(t, n)
				must[*iam.AttachGroupPolicyOutput](t)(env.iam.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("staff"), PolicyArn: aws.String(arn)}))
				arns = append(arns, arn)
			}
			slices.Sort(arns)
			return arns
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListAttachedGroupPoliciesPaginator(env.iam, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("staff"), MaxItems: one}), func(o *iam.ListAttachedGroupPoliciesOutput) []string {
				return names(o.AttachedPolicies, func(p types.AttachedPolicy) *string { return p.PolicyArn })
			}, max)
		}},
		{"ListGroupPolicies", func(t *testing.T, env *testEnv) []string {
			env.createGroup(t, "staff")
			for _, n := range []string{"i3", "i1", "i2"} {
				must[*iam.PutGroupPolicyOutput](t)(env.iam.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("staff"), PolicyName: aws.String(n), PolicyDocument: aws.String(forceMFA)}))
			}
			return []string{"i1", "i2", "i3"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListGroupPoliciesPaginator(env.iam, &iam.ListGroupPoliciesInput{GroupName: aws.String("staff"), MaxItems: one}), func(o *iam.ListGroupPoliciesOutput) []string {
				return o.PolicyNames
			}, max)
		}},
		{"ListRoles", func(t *testing.T, env *testEnv) []string {
			for _, n := range []string{"carol", "Alice", "bob"} {
				env.createRole(t, n)
			}
			return []string{"Alice", "bob", "carol"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListRolesPaginator(env.iam, &iam.ListRolesInput{MaxItems: one}), func(o *iam.ListRolesOutput) []string {
				return names(o.Roles, func(r types.Role) *string { return r.RoleName })
			}, max)
		}},
		{"ListAttachedRolePolicies", func(t *testing.T, env *testEnv) []string {
			env.createRole(t, "ops")
			var arns []string
			for _, n := range []string{"p3", "p1", "p2"} {
				arn := env.createPolicy(t, n)
				must[*iam.AttachRolePolicyOutput](t)(env.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("ops"), PolicyArn: aws.String(arn)}))
				arns = append(arns, arn)
			}
			slices.Sort(arns)
			return arns
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListAttachedRolePoliciesPaginator(env.iam, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("ops"), MaxItems: one}), func(o *iam.ListAttachedRolePoliciesOutput) []string {
				return names(o.AttachedPolicies, func(p types.AttachedPolicy) *string { return p.PolicyArn })
			}, max)
		}},
		{"ListRolePolicies", func(t *testing.T, env *testEnv) []string {
			env.createRole(t, "ops")
			for _, n := range []string{"i3", "i1", "i2"} {
				must[*iam.PutRolePolicyOutput](t)(env.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("ops"), PolicyName: aws.String(n), PolicyDocument: aws.String(forceMFA)}))
			}
			return []string{"i1", "i2", "i3"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListRolePoliciesPaginator(env.iam, &iam.ListRolePoliciesInput{RoleName: aws.String("ops"), MaxItems: one}), func(o *iam.ListRolePoliciesOutput) []string {
				return o.PolicyNames
			}, max)
		}},
		{"ListRoleTags", func(t *testing.T, env *testEnv) []string {
			env.createRole(t, "ops")
			must[*iam.TagRoleOutput](t)(env.iam.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("ops"), Tags: []types.Tag{
				{Key: aws.String("c"), Value: aws.String("3")}, {Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("B"), Value: aws.String("2")}}}))
			return []string{"B", "a", "c"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewListRoleTagsPaginator(env.iam, &iam.ListRoleTagsInput{RoleName: aws.String("ops"), MaxItems: one}), func(o *iam.ListRoleTagsOutput) []string {
				return names(o.Tags, func(t types.Tag) *string { return t.Key })
			}, max)
		}},
		{"ListEntitiesForPolicy", func(t *testing.T, env *testEnv) []string {
			arn := env.createPolicy(t, "p")
			for _, n := range []string{"bob", "alice"} {
				env.createUser(t, n)
				must[*iam.AttachUserPolicyOutput](t)(env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(n), PolicyArn: aws.String(arn)}))
			}
			env.createGroup(t, "staff")
			must[*iam.AttachGroupPolicyOutput](t)(env.iam.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("staff"), PolicyArn: aws.String(arn)}))
			return []string{"group:staff", "user:alice", "user:bob"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			in := &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/p"), MaxItems: one}
			return drain(t, iam.NewListEntitiesForPolicyPaginator(env.iam, in), func(o *iam.ListEntitiesForPolicyOutput) []string {
				var out []string
				for _, g := range o.PolicyGroups {
					out = append(out, "group:"+aws.ToString(g.GroupName))
				}
				for _, u := range o.PolicyUsers {
					out = append(out, "user:"+aws.ToString(u.UserName))
				}
				return out
			}, max)
		}},
		{"GetAccountAuthorizationDetails", func(t *testing.T, env *testEnv) []string {
			env.createUser(t, "bob")
			env.createUser(t, "alice")
			env.createGroup(t, "staff")
			arn := env.createPolicy(t, "p")
			return []string{"user:alice", "user:bob", "group:staff", "policy:" + arn}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			return drain(t, iam.NewGetAccountAuthorizationDetailsPaginator(env.iam, &iam.GetAccountAuthorizationDetailsInput{MaxItems: one}), func(o *iam.GetAccountAuthorizationDetailsOutput) []string {
				var out []string
				for _, u := range o.UserDetailList {
					out = append(out, "user:"+aws.ToString(u.UserName))
				}
				for _, g := range o.GroupDetailList {
					out = append(out, "group:"+aws.ToString(g.GroupName))
				}
				for _, p := range o.Policies {
					out = append(out, "policy:"+aws.ToString(p.Arn))
				}
				return out
			}, max)
		}},
		{"SimulateCustomPolicy", func(t *testing.T, env *testEnv) []string {
			return []string{"iam:A", "iam:B", "iam:C"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			in := &iam.SimulateCustomPolicyInput{PolicyInputList: []string{forceMFA}, ActionNames: []string{"iam:A", "iam:B", "iam:C"}, MaxItems: one}
			return drain(t, iam.NewSimulateCustomPolicyPaginator(env.iam, in), func(o *iam.SimulateCustomPolicyOutput) []string {
				return names(o.EvaluationResults, func(r types.EvaluationResult) *string { return r.EvalActionName })
			}, max)
		}},
		{"SimulatePrincipalPolicy", func(t *testing.T, env *testEnv) []string {
			env.createUser(t, "alice")
			return []string{"iam:A", "iam:B", "iam:C"}
		}, func(t *testing.T, env *testEnv, max int) [][]string {
			in := &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/alice"), ActionNames: []string{"iam:A", "iam:B", "iam:C"}, MaxItems: one}
			return drain(t, iam.NewSimulatePrincipalPolicyPaginator(env.iam, in), func(o *iam.SimulatePrincipalPolicyOutput) []string {
				return names(o.EvaluationResults, func(r types.EvaluationResult) *string { return r.EvalActionName })
			}, max)
		}},
	}
}

// TestPaging_EveryListActionWithMaxItems1 walks every paged action one item
// per page through the SDK's paginators: each item exactly once, in order,
// and the last page not truncated (else the paginator never stops).
func TestPaging_EveryListActionWithMaxItems1(t *testing.T) {
	for _, tc := range pagingCases() {
		t.Run(tc.action, func(t *testing.T) {
			for range max(pagingRepeat[tc.action], 1) {
				env := newEnv(t, Options{})
				want := tc.setup(t, env)
				pages := tc.pages(t, env, len(want)+2)
				var got []string
				for i, p := range pages {
					if len(p) != 1 {
						t.Fatalf("page %d has %d items, want 1: %v", i+1, len(p), pages)
					}
					got = append(got, p[0])
				}
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Fatalf("paged items = %v, want %v", got, want)
				}
			}
		})
	}
	t.Run("every paged action of the dispatch table is covered", func(t *testing.T) {
		covered := map[string]bool{}
		for _, tc := range pagingCases() {
			covered[tc.action] = true
		}
		for name := range actions {
			if pagedAction(name) && !covered[name] {
				t.Errorf("%s pages but has no paging case", name)
			}
		}
	})
}

// pagedAction reports whether the IAM model gives action Marker/MaxItems.
func pagedAction(name string) bool {
	switch name {
	case "GetGroup", "GetAccountAuthorizationDetails", "SimulateCustomPolicy", "SimulatePrincipalPolicy":
		return true
	}
	return strings.HasPrefix(name, "List")
}
