package scim

import "github.com/gatehouse/portal"

// SCIM error types (RFC 7644 section 3.12), carried as the Reason of a
// *portal.Error so the HTTP layer can answer scimType.
const (
	TypeInvalidFilter = "invalidFilter"
	TypeInvalidSyntax = "invalidSyntax"
	TypeInvalidPath   = "invalidPath"
	TypeInvalidValue  = "invalidValue"
	TypeMutability    = "mutability"
	TypeUniqueness    = "uniqueness"
	TypeNoTarget      = "noTarget"
)

// Type returns the scimType of err, or "" for an error that has none.
func Type(err error) string {
	switch r := portal.ErrorReason(err); r {
	case TypeInvalidFilter, TypeInvalidSyntax, TypeInvalidPath, TypeInvalidValue, TypeMutability, TypeUniqueness, TypeNoTarget:
		return r
	}
	return ""
}

func errInvalidValue(attr string) error {
	return portal.FieldE(attr, "err.scim.value", attr).WithReason(TypeInvalidValue)
}

func errSyntax(cause error) error {
	return portal.E(portal.EINVALID, "err.scim.syntax").WithReason(TypeInvalidSyntax).Wrap(cause)
}

func errFilter(filter string) error {
	return portal.E(portal.EINVALID, "err.scim.filter", filter).WithReason(TypeInvalidFilter)
}

func errPath(path string) error {
	return portal.E(portal.EINVALID, "err.scim.path", path).WithReason(TypeInvalidPath)
}

func errMutability(attr string) error {
	return portal.FieldE(attr, "err.scim.mutability", attr).WithReason(TypeMutability)
}

func errUniqueness(userName string) error {
	return portal.E(portal.ECONFLICT, "err.scim.exists", userName).WithReason(TypeUniqueness)
}

func errNotFound(id string) error {
	return portal.E(portal.ENOTFOUND, "err.scim.nosuch", id)
}

// asInvalidValue gives a validation error of the onboarding workflows
// (portal.FieldE) the scimType invalidValue, naming the SCIM attribute.
func asInvalidValue(err error, attr string) error {
	if portal.ErrorCode(err) != portal.EINVALID || Type(err) != "" {
		return err
	}
	return portal.FieldE(attr, "err.scim.invalid", attr, portal.ErrorTextOf(err)).WithReason(TypeInvalidValue).Wrap(err)
}
