package web

import (
	"net/url"
	"strconv"

	"github.com/a-h/templ"

	"github.com/gatehouse/portal"
)

// The paths views and handlers link to, one helper per resource, so each URL
// shape is written once and a name is escaped once. The route table
// (handlers/routes.go) holds the matching patterns.

// UserPath is a managed user's page, or with an action the path of that
// action on the user: UserPath("alice", "offboard") is
// "/users/alice/offboard".
func UserPath(name string, action ...string) templ.SafeURL {
	p := "/users/" + url.PathEscape(name)
	for _, a := range action {
		p += "/" + a
	}
	return templ.SafeURL(p)
}

// UserPathIn is UserPath for a user of account: the account goes in the
// query, since the same name can exist in two accounts.
func UserPathIn(account, name string, action ...string) templ.SafeURL {
	p := UserPath(name, action...)
	if account == "" {
		return p
	}
	return p + templ.SafeURL("?account="+url.QueryEscape(account))
}

// inAccount is the page at path for account ("": the default account, the
// hub), as ?account=.
func inAccount(path, account string) templ.SafeURL {
	if account == "" {
		return templ.SafeURL(path)
	}
	return templ.SafeURL(path + "?account=" + url.QueryEscape(account))
}

// UsersPath is the status list, filtered to status unless it is "".
func UsersPath(status portal.Status) templ.SafeURL {
	if status == "" {
		return "/users"
	}
	return templ.SafeURL("/users?status=" + url.QueryEscape(string(status)))
}

// UsersWhere is the status list filtered to status ("" for any) and
// account ("" for all), sorted by sort ("" for the default order).
func UsersWhere(status portal.Status, account string, sort portal.UserSort) templ.SafeURL {
	q := url.Values{}
	for k, v := range map[string]string{"status": string(status), "account": account, "sort": string(sort)} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return "/users"
	}
	return templ.SafeURL("/users?" + q.Encode())
}

// BulkJobPath is a bulk job's progress page, or with a file a file of the job
// ("result.csv").
func BulkJobPath(id int64, file ...string) templ.SafeURL {
	p := "/users/bulk/" + strconv.FormatInt(id, 10)
	for _, f := range file {
		p += "/" + f
	}
	return templ.SafeURL(p)
}

// OperatorPath is the path of an action on an operator ("role", "enable", …).
func OperatorPath(id int64, action string) templ.SafeURL {
	return templ.SafeURL("/operators/" + strconv.FormatInt(id, 10) + "/" + action)
}

// TokenRevokePath revokes an API token: the operator's own, or with all any
// operator's (the admin's view of every token).
func TokenRevokePath(id int64, all bool) templ.SafeURL {
	p := "/tokens/" + strconv.FormatInt(id, 10) + "/revoke"
	if all {
		p = "/operators" + p
	}
	return templ.SafeURL(p)
}

// OperatorInviteRevokePath revokes the pending invites of an operator name.
func OperatorInviteRevokePath(name string) templ.SafeURL {
	return templ.SafeURL("/operators/invites/" + url.PathEscape(name) + "/revoke")
}

// WebhookPath is an endpoint's page, or one of its actions.
func WebhookPath(id int64, action ...string) templ.SafeURL {
	p := "/webhooks/" + strconv.FormatInt(id, 10)
	for _, a := range action {
		p += "/" + a
	}
	return templ.SafeURL(p)
}

// WebhookResendPath re-sends one delivery of an endpoint.
func WebhookResendPath(endpointID, deliveryID int64) templ.SafeURL {
	return templ.SafeURL("/webhooks/" + strconv.FormatInt(endpointID, 10) + "/deliveries/" + strconv.FormatInt(deliveryID, 10) + "/resend")
}

// UsersOfAccount is the status list filtered to one AWS account.
func UsersOfAccount(account string) templ.SafeURL {
	return templ.SafeURL("/users?account=" + url.QueryEscape(account))
}

// AccountPath is the path of an action on a managed AWS account ("check",
// "remove").
func AccountPath(id, action string) templ.SafeURL {
	return templ.SafeURL("/accounts/" + url.PathEscape(id) + "/" + action)
}
