package awsiam

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

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

// DeactivateAccessKey makes an access key inactive (it can be reactivated).
func (c *Client) DeactivateAccessKey(ctx context.Context, user, id string) error {
	_, err := c.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String(user), AccessKeyId: aws.String(id),
		Status: types.StatusTypeInactive})
	return mapErr("UpdateAccessKey", err)
}

// ActivateAccessKey makes an inactive access key active again.
func (c *Client) ActivateAccessKey(ctx context.Context, user, id string) error {
	_, err := c.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String(user), AccessKeyId: aws.String(id),
		Status: types.StatusTypeActive})
	return mapErr("UpdateAccessKey", err)
}

// DeleteAccessKey deletes an access key.
func (c *Client) DeleteAccessKey(ctx context.Context, user, id string) error {
	_, err := c.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String(user), AccessKeyId: aws.String(id)})
	return mapErr("DeleteAccessKey", err)
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

// DeleteServiceSpecificCredential deletes one service-specific credential.
func (c *Client) DeleteServiceSpecificCredential(ctx context.Context, user, id string) error {
	_, err := c.iam.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: aws.String(user),
		ServiceSpecificCredentialId: aws.String(id)})
	return mapErr("DeleteServiceSpecificCredential", err)
}

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

// LoginProfileCreated returns when the user's console password was
// created, and false when the user has none.
func (c *Client) LoginProfileCreated(ctx context.Context, user string) (time.Time, bool, error) {
	out, err := c.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(user)})
	if err != nil {
		if err := mapErr("GetLoginProfile", err); errReason(err) == CodeNoSuchEntity {
			return time.Time{}, false, nil
		} else {
			return time.Time{}, false, err
		}
	}
	return aws.ToTime(out.LoginProfile.CreateDate), true, nil
}

// AccessKeyLastUsed returns when an access key was last used; the zero
// time when it never was.
func (c *Client) AccessKeyLastUsed(ctx context.Context, id string) (time.Time, error) {
	out, err := c.iam.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(id)})
	if err != nil {
		return time.Time{}, mapErr("GetAccessKeyLastUsed", err)
	}
	if out.AccessKeyLastUsed == nil {
		return time.Time{}, nil
	}
	return aws.ToTime(out.AccessKeyLastUsed.LastUsedDate), nil
}

// DeleteLoginProfile removes the user's console password: the user can no
// longer sign in to the console.
func (c *Client) DeleteLoginProfile(ctx context.Context, user string) error {
	_, err := c.iam.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String(user)})
	return mapErr("DeleteLoginProfile", err)
}
