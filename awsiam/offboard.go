package awsiam

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gatehouse/portal"
)

// What offboarding removes from an IAM user (onboarding/offboard.go), in the
// order AWS documents for deleting a user: the console password, access
// keys, signing certificates, SSH public keys, service-specific
// credentials, MFA devices, inline and managed policies, groups, then the
// user.

// HasLoginProfile reports whether the user has a console password.
func (c *Client) HasLoginProfile(ctx context.Context, user string) (bool, error) {
	_, err := c.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(user)})
	if err != nil {
		if err := mapErr("GetLoginProfile", err); errReason(err) == CodeNoSuchEntity {
			return false, nil
		} else {
			return false, err
		}
	}
	return true, nil
}

// DeleteLoginProfile removes the user's console password: the user can no
// longer sign in to the console.
func (c *Client) DeleteLoginProfile(ctx context.Context, user string) error {
	_, err := c.iam.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String(user)})
	return mapErr("DeleteLoginProfile", err)
}

// AccessKey is an access key's metadata; the secret is never returned by
// IAM after creation and never handled here.
type AccessKey struct {
	ID      string
	Active  bool
	Created time.Time
}

// ListAccessKeys returns a user's access keys.
func (c *Client) ListAccessKeys(ctx context.Context, user string) ([]AccessKey, error) {
	var out []AccessKey
	p := iam.NewListAccessKeysPaginator(c.iam, &iam.ListAccessKeysInput{UserName: aws.String(user), MaxItems: c.maxItems()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListAccessKeys", err)
		}
		for _, k := range page.AccessKeyMetadata {
			out = append(out, AccessKey{ID: aws.ToString(k.AccessKeyId), Active: k.Status == types.StatusTypeActive,
				Created: aws.ToTime(k.CreateDate)})
		}
	}
	return out, nil
}

// DeleteAccessKey deletes an access key.
func (c *Client) DeleteAccessKey(ctx context.Context, user, id string) error {
	_, err := c.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String(user), AccessKeyId: aws.String(id)})
	return mapErr("DeleteAccessKey", err)
}

// SigningCertificate is an X.509 signing certificate of a user (used by a
// few older services); its body is never handled here.
type SigningCertificate struct {
	ID     string
	Active bool
}

// ListSigningCertificates returns a user's signing certificates.
func (c *Client) ListSigningCertificates(ctx context.Context, user string) ([]SigningCertificate, error) {
	var out []SigningCertificate
	p := iam.NewListSigningCertificatesPaginator(c.iam, &iam.ListSigningCertificatesInput{UserName: aws.String(user), MaxItems: c.maxItems()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListSigningCertificates", err)
		}
		for _, cert := range page.Certificates {
			out = append(out, SigningCertificate{ID: aws.ToString(cert.CertificateId), Active: cert.Status == types.StatusTypeActive})
		}
	}
	return out, nil
}

// DeleteSigningCertificate deletes one signing certificate of a user.
func (c *Client) DeleteSigningCertificate(ctx context.Context, user, id string) error {
	_, err := c.iam.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: aws.String(user), CertificateId: aws.String(id)})
	return mapErr("DeleteSigningCertificate", err)
}

// SSHPublicKey is an SSH public key uploaded for CodeCommit; the key body
// is never handled here.
type SSHPublicKey struct {
	ID     string
	Active bool
}

// ListSSHPublicKeys returns a user's SSH public keys.
func (c *Client) ListSSHPublicKeys(ctx context.Context, user string) ([]SSHPublicKey, error) {
	var out []SSHPublicKey
	p := iam.NewListSSHPublicKeysPaginator(c.iam, &iam.ListSSHPublicKeysInput{UserName: aws.String(user), MaxItems: c.maxItems()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListSSHPublicKeys", err)
		}
		for _, k := range page.SSHPublicKeys {
			out = append(out, SSHPublicKey{ID: aws.ToString(k.SSHPublicKeyId), Active: k.Status == types.StatusTypeActive})
		}
	}
	return out, nil
}

// DeleteSSHPublicKey deletes one SSH public key of a user.
func (c *Client) DeleteSSHPublicKey(ctx context.Context, user, id string) error {
	_, err := c.iam.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String(user), SSHPublicKeyId: aws.String(id)})
	return mapErr("DeleteSSHPublicKey", err)
}

// ServiceCredential is a service-specific credential (CodeCommit Git
// credentials and the like); its password is never handled here.
type ServiceCredential struct {
	ID      string
	Service string
	Active  bool
}

// ListServiceSpecificCredentials returns a user's service-specific
// credentials for every service. The action pages by Marker, but the SDK has
// no paginator for it, so the pages are followed here.
func (c *Client) ListServiceSpecificCredentials(ctx context.Context, user string) ([]ServiceCredential, error) {
	in := &iam.ListServiceSpecificCredentialsInput{UserName: aws.String(user), MaxItems: c.maxItems()}
	var creds []ServiceCredential
	for {
		out, err := c.iam.ListServiceSpecificCredentials(ctx, in)
		if err != nil {
			return nil, mapErr("ListServiceSpecificCredentials", err)
		}
		for _, sc := range out.ServiceSpecificCredentials {
			creds = append(creds, ServiceCredential{ID: aws.ToString(sc.ServiceSpecificCredentialId),
				Service: aws.ToString(sc.ServiceName), Active: sc.Status == types.StatusTypeActive})
		}
		if !out.IsTruncated || aws.ToString(out.Marker) == "" || aws.ToString(out.Marker) == aws.ToString(in.Marker) {
			return creds, nil // the last page (or a marker that would loop)
		}
		in.Marker = out.Marker
	}
}

// DeleteServiceSpecificCredential deletes one service-specific credential.
func (c *Client) DeleteServiceSpecificCredential(ctx context.Context, user, id string) error {
	_, err := c.iam.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: aws.String(user),
		ServiceSpecificCredentialId: aws.String(id)})
	return mapErr("DeleteServiceSpecificCredential", err)
}

// RemoveMFADevices deactivates every MFA device of a user and deletes the
// virtual ones (hardware keys and passkeys are only deactivated), and
// returns the serials it removed. A device that disappears in between
// (removed in the console) is not an error; on an error the serials removed
// so far come back with it.
func (c *Client) RemoveMFADevices(ctx context.Context, user string) ([]string, error) {
	devs, err := c.ListMFADevices(ctx, user)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, d := range devs {
		if err := c.DeactivateMFADevice(ctx, user, d.Serial); err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
			return removed, err
		}
		if strings.Contains(d.Serial, ":mfa/") { // virtual devices
			if err := c.DeleteVirtualMFADevice(ctx, d.Serial); err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
				return removed, err
			}
		}
		removed = append(removed, d.Serial)
	}
	return removed, nil
}

// InlinePolicyNames lists the names of a user's inline policies.
func (c *Client) InlinePolicyNames(ctx context.Context, user string) ([]string, error) {
	var names []string
	p := iam.NewListUserPoliciesPaginator(c.iam, &iam.ListUserPoliciesInput{UserName: aws.String(user), MaxItems: c.maxItems()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListUserPolicies", err)
		}
		names = append(names, page.PolicyNames...)
	}
	return names, nil
}

// DeleteUserPolicy deletes one inline policy of a user.
func (c *Client) DeleteUserPolicy(ctx context.Context, user, name string) error {
	_, err := c.iam.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String(name)})
	return mapErr("DeleteUserPolicy", err)
}

// AttachedPolicyARNs lists the ARNs of managed policies attached to a user.
func (c *Client) AttachedPolicyARNs(ctx context.Context, user string) ([]string, error) {
	var arns []string
	p := iam.NewListAttachedUserPoliciesPaginator(c.iam, &iam.ListAttachedUserPoliciesInput{UserName: aws.String(user), MaxItems: c.maxItems()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListAttachedUserPolicies", err)
		}
		for _, ap := range page.AttachedPolicies {
			arns = append(arns, aws.ToString(ap.PolicyArn))
		}
	}
	return arns, nil
}

// DetachUserPolicy detaches a managed policy from a user.
func (c *Client) DetachUserPolicy(ctx context.Context, user, policyARN string) error {
	_, err := c.iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(policyARN)})
	return mapErr("DetachUserPolicy", err)
}

// GroupsForUser lists the names of the groups a user belongs to.
func (c *Client) GroupsForUser(ctx context.Context, user string) ([]string, error) {
	var names []string
	p := iam.NewListGroupsForUserPaginator(c.iam, &iam.ListGroupsForUserInput{UserName: aws.String(user), MaxItems: c.maxItems()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListGroupsForUser", err)
		}
		for _, g := range page.Groups {
			names = append(names, aws.ToString(g.GroupName))
		}
	}
	return names, nil
}

// RemoveUserFromGroup takes a user out of a group.
func (c *Client) RemoveUserFromGroup(ctx context.Context, user, group string) error {
	_, err := c.iam.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(user), GroupName: aws.String(group)})
	return mapErr("RemoveUserFromGroup", err)
}

// DeleteUser deletes an IAM user. IAM refuses (DeleteConflict) while the
// user still has a password, keys, devices, policies or groups.
func (c *Client) DeleteUser(ctx context.Context, user string) error {
	_, err := c.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(user)})
	return mapErr("DeleteUser", err)
}
