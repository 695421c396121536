// Package scim is Gatehouse's SCIM 2.0 service provider (RFC 7643 and
// RFC 7644): the resource and message shapes, the filter and PATCH
// languages, and the mapping of a provisioned User onto the onboarding
// workflows. It knows no HTTP: package handlers decodes requests, calls
// Service and writes the answers (docs/scim.md says why it is split so).
package scim

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// Schema and message URNs.
const (
	SchemaUser        = "urn:ietf:params:scim:schemas:core:2.0:User"
	SchemaEnterprise  = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	SchemaList        = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	SchemaError       = "urn:ietf:params:scim:api:messages:2.0:Error"
	SchemaPatchOp     = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	SchemaSPC         = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	SchemaResType     = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	SchemaSchema      = "urn:ietf:params:scim:schemas:core:2.0:Schema"
	MediaType         = "application/scim+json"
	maxResultsDefault = 100
	// MaxResults is the largest page a list answers (count above it is
	// lowered to it, as RFC 7644 allows).
	MaxResults = 200
)

// Bool is a SCIM boolean as identity providers send it: a JSON boolean,
// or a string "True"/"False" in any case (Entra ID sends active so).
type Bool bool

// UnmarshalJSON accepts true, false and their string forms.
func (b *Bool) UnmarshalJSON(data []byte) error {
	v, ok := parseBool(data)
	if !ok {
		return errInvalidValue("active")
	}
	*b = Bool(v)
	return nil
}

func parseBool(data []byte) (bool, bool) {
	data = bytes.TrimSpace(data)
	var s string
	if json.Unmarshal(data, &s) == nil {
		data = []byte(strings.ToLower(strings.TrimSpace(s)))
	}
	switch string(data) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// Name is a User's name.
type Name struct {
	Formatted  string `json:"formatted,omitempty"`
	GivenName  string `json:"givenName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
}

// Email is one of a User's e-mail addresses.
type Email struct {
	Value   string `json:"value"`
	Type    string `json:"type,omitempty"`
	Primary Bool   `json:"primary,omitempty"`
}

// Meta is a resource's metadata.
type Meta struct {
	ResourceType string    `json:"resourceType"`
	Created      time.Time `json:"created"`
	LastModified time.Time `json:"lastModified"`
	Location     string    `json:"location"`
}

// User is the SCIM User resource as Gatehouse stores and answers it.
// Attributes Gatehouse does not keep (phone numbers, addresses, the
// enterprise extension …) are accepted and ignored.
type User struct {
	Schemas     []string `json:"schemas"`
	ID          string   `json:"id,omitempty"`
	ExternalID  string   `json:"externalId,omitempty"`
	UserName    string   `json:"userName"`
	Name        *Name    `json:"name,omitempty"`
	DisplayName string   `json:"displayName,omitempty"`
	Emails      []Email  `json:"emails,omitempty"`
	Active      *Bool    `json:"active,omitempty"`
	Meta        *Meta    `json:"meta,omitempty"`
}

// IsActive reports the active attribute; absent means active.
func (u *User) IsActive() bool { return u.Active == nil || bool(*u.Active) }

// PrimaryEmail returns the primary address, else the first of type work,
// else the first.
func (u *User) PrimaryEmail() string {
	for _, e := range u.Emails {
		if e.Primary {
			return strings.TrimSpace(e.Value)
		}
	}
	for _, e := range u.Emails {
		if strings.EqualFold(e.Type, "work") {
			return strings.TrimSpace(e.Value)
		}
	}
	if len(u.Emails) > 0 {
		return strings.TrimSpace(u.Emails[0].Value)
	}
	return ""
}

// displayName is what Gatehouse shows for the person: displayName, else
// name.formatted, else given and family name.
func (u *User) displayName() string {
	if d := strings.TrimSpace(u.DisplayName); d != "" {
		return d
	}
	if u.Name == nil {
		return ""
	}
	if f := strings.TrimSpace(u.Name.Formatted); f != "" {
		return f
	}
	return strings.TrimSpace(strings.TrimSpace(u.Name.GivenName) + " " + strings.TrimSpace(u.Name.FamilyName))
}

// ParseUser reads a User from a request body (POST, PUT).
func ParseUser(body []byte) (User, error) {
	var u User
	if err := json.Unmarshal(body, &u); err != nil {
		return u, errSyntax(err)
	}
	return u, nil
}

// ListResponse is a page of a list or query.
type ListResponse struct {
	Schemas      []string `json:"schemas"`
	TotalResults int      `json:"totalResults"`
	StartIndex   int      `json:"startIndex"`
	ItemsPerPage int      `json:"itemsPerPage"`
	Resources    []any    `json:"Resources"`
}

// ErrorBody is a SCIM error response (RFC 7644 section 3.12).
type ErrorBody struct {
	Schemas  []string `json:"schemas"`
	Status   string   `json:"status"`
	ScimType string   `json:"scimType,omitempty"`
	Detail   string   `json:"detail"`
}

// ServiceProviderConfig describes what this service provider supports.
func ServiceProviderConfig(base string) map[string]any {
	no := map[string]any{"supported": false}
	return map[string]any{
		"schemas":        []string{SchemaSPC},
		"patch":          map[string]any{"supported": true},
		"bulk":           map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":         map[string]any{"supported": true, "maxResults": MaxResults},
		"changePassword": no,
		"sort":           no,
		"etag":           no,
		"authenticationSchemes": []map[string]any{{
			"type": "oauthbearertoken", "name": "Bearer token", "primary": true,
			"description": "A Gatehouse token of kind scim, minted by an admin on the Tokens page.",
		}},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": base + "/ServiceProviderConfig"},
	}
}

// ResourceTypes lists the resource types served: User only.
func ResourceTypes(base string) []any {
	return []any{map[string]any{
		"schemas": []string{SchemaResType}, "id": "User", "name": "User", "endpoint": "/Users",
		"description": "An IAM user managed by Gatehouse", "schema": SchemaUser,
		"meta": map[string]any{"resourceType": "ResourceType", "location": base + "/ResourceTypes/User"},
	}}
}

func attr(name, typ string, required, caseExact bool, mutability, uniqueness string) map[string]any {
	return map[string]any{"name": name, "type": typ, "multiValued": false, "required": required, "caseExact": caseExact,
		"mutability": mutability, "returned": "default", "uniqueness": uniqueness}
}

// Schemas lists the schemas served: the User schema with the attributes
// Gatehouse keeps.
func Schemas(base string) []any {
	name := attr("name", "complex", false, false, "readWrite", "none")
	name["subAttributes"] = []any{attr("formatted", "string", false, false, "readWrite", "none"),
		attr("givenName", "string", false, false, "readWrite", "none"), attr("familyName", "string", false, false, "readWrite", "none")}
	emails := attr("emails", "complex", false, false, "readWrite", "none")
	emails["multiValued"] = true
	emails["subAttributes"] = []any{attr("value", "string", false, false, "readWrite", "none"),
		attr("type", "string", false, false, "readWrite", "none"), attr("primary", "boolean", false, false, "readWrite", "none")}
	id := attr("id", "string", false, true, "readOnly", "server")
	id["returned"] = "always"
	return []any{map[string]any{
		"schemas": []string{SchemaSchema}, "id": SchemaUser, "name": "User", "description": "User Account",
		"attributes": []any{id, attr("externalId", "string", false, true, "readWrite", "none"),
			attr("userName", "string", true, false, "readWrite", "server"), name,
			attr("displayName", "string", false, false, "readWrite", "none"), emails,
			attr("active", "boolean", false, false, "readWrite", "none")},
		"meta": map[string]any{"resourceType": "Schema", "location": base + "/Schemas/" + SchemaUser},
	}}
}
