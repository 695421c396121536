package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// scimTokenFor stores a fresh token of kind scim for op, named after the
// identity provider that holds it.
func (e *env) scimTokenFor(op *portal.Operator, idp string) string {
	e.t.Helper()
	raw, _ := portal.NewToken()
	token := auth.APITokenPrefix + raw
	now := e.clock()
	if err := e.store.CreateAPIToken(context.Background(), &store.APIToken{OperatorID: op.ID, Name: idp, Kind: store.TokenKindSCIM,
		TokenHash: portal.HashToken(token), CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
		e.t.Fatal(err)
	}
	return token
}

type scimResp struct {
	status int
	header http.Header
	body   map[string]any
}

// scimDo sends one SCIM request as an identity provider does.
func (e *env) scimDo(method, path, token, body string) scimResp {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/scim+json; charset=utf-8")
	}
	req.Header.Set("Accept", "application/scim+json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := scimResp{status: resp.StatusCode, header: resp.Header}
	if resp.StatusCode == http.StatusNoContent {
		return out
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/scim+json") {
		e.t.Fatalf("%s %s: content type %q (%d): %.200s", method, path, ct, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, &out.body); err != nil {
		e.t.Fatalf("%s %s: not JSON (%d): %.200s", method, path, resp.StatusCode, b)
	}
	return out
}

func (r scimResp) str(k string) string { s, _ := r.body[k].(string); return s }

// checkSCIMError checks the RFC 7644 error shape: the Error schema, the
// status as a string, scimType (when want is set) and a detail.
func checkSCIMError(t *testing.T, r scimResp, status int, scimType string) {
	t.Helper()
	schemas, _ := r.body["schemas"].([]any)
	if r.status != status || len(schemas) != 1 || schemas[0] != "urn:ietf:params:scim:api:messages:2.0:Error" ||
		r.str("status") != strconv.Itoa(status) || r.str("scimType") != scimType || r.str("detail") == "" {
		t.Fatalf("want a SCIM error %d %q, got %d %v", status, scimType, r.status, r.body)
	}
}

// iamView is what IAM says of a user: the parts the SCIM lifecycle changes.
type iamView struct {
	exists, password bool
	activeKeys, keys int
	mfa              int
}

func (e *env) iamOf(name string) iamView {
	e.t.Helper()
	ctx := context.Background()
	var v iamView
	if _, err := e.iam.GetUser(ctx, name); portal.ErrorCode(err) == portal.ENOTFOUND {
		return v
	} else if err != nil {
		e.t.Fatal(err)
	}
	v.exists = true
	var err error
	if v.password, err = e.iam.HasLoginProfile(ctx, name); err != nil {
		e.t.Fatal(err)
	}
	keys, err := e.iam.ListAccessKeys(ctx, name)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, k := range keys {
		v.keys++
		if k.Active {
			v.activeKeys++
		}
	}
	devs, err := e.iam.ListMFADevices(ctx, name)
	if err != nil {
		e.t.Fatal(err)
	}
	v.mfa = len(devs)
	return v
}

// The bodies Okta and Entra ID send (their SCIM 2.0 documentation's
// examples), with the user names of this test.
var scimProviders = []struct {
	idp, userName, create, deactivate, reactivate, update string
	// updated is the display name or e-mail address the update sets.
	updated string
}{
	{idp: "Okta", userName: "isabelle.sloan@example.com",
		create: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"isabelle.sloan@example.com",
			"name":{"givenName":"Isabelle","familyName":"Sloan"},
			"emails":[{"primary":true,"value":"isabelle.sloan@example.com","type":"work"}],
			"displayName":"Isabelle Sloan","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],
			"password":"1mz050nq","active":true}`,
		deactivate: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`,
		reactivate: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}`,
		update: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace",
			"value":{"name":{"givenName":"Isabel","familyName":"Sloan"},"displayName":"Isabel Sloan"}}]}`,
		updated: "Isabel Sloan"},
	{idp: "Entra ID", userName: "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
		create: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
			"externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1","active":true,
			"emails":[{"primary":true,"type":"work","value":"Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"}],
			"meta":{"resourceType":"User"},"name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},"roles":[]}`,
		deactivate: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`,
		reactivate: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"True"}]}`,
		update: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
			{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"},
			{"op":"Replace","path":"name.familyName","value":"updatedFamilyName"},
			{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"42"}]}`,
		updated: "updatedEmail@microsoft.com"},
}

// The lifecycle an identity provider drives, with its own request bodies:
// look up, create, update, deactivate, reactivate, delete, and the grace
// period passing. IAM in the emulator is checked after each step, on
// SQLite and PostgreSQL.
func TestSCIMLifecycleAsOktaAndEntraSendIt(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		for _, p := range scimProviders {
			t.Run(engine+"/"+p.idp, func(t *testing.T) { scimLifecycle(t, newEnvOn(t, engine, storetest.DSN(t, engine)), p.idp) })
		}
	}
}

func scimLifecycle(t *testing.T, e *env, idp string) {
	for _, p := range scimProviders {
		if p.idp != idp {
			continue
		}
		func() {
			ctx := context.Background()
			admin := e.mintOperator("admin", portal.RoleAdmin)
			token := e.scimTokenFor(admin, p.idp)
			page := e.clientAs(admin)

			// The provider looks the user up first, then creates it.
			r := e.scimDo("GET", "/scim/v2/Users?filter="+url.QueryEscape(`userName eq "`+p.userName+`"`)+"&startIndex=1&count=100", token, "")
			if r.status != 200 || r.body["totalResults"] != float64(0) {
				t.Fatalf("lookup before create: %d %v", r.status, r.body)
			}
			r = e.scimDo("POST", "/scim/v2/Users", token, p.create)
			if r.status != http.StatusCreated || r.str("id") == "" || r.str("userName") != p.userName || r.body["active"] != true {
				t.Fatalf("create: %d %v", r.status, r.body)
			}
			id := r.str("id")
			if loc := r.header.Get("Location"); loc != e.links.Base()+"/scim/v2/Users/"+id {
				t.Fatalf("Location %q", loc)
			}
			if v := e.iamOf(p.userName); !v.exists || v.password {
				t.Fatalf("after create, IAM: %+v", v)
			}
			u, err := e.store.FindUserByName(ctx, p.userName)
			if err != nil || u.State != portal.StateInvited {
				t.Fatalf("after create: %+v %v", u, err)
			}
			firstInvite, err := e.store.FindLatestInvite(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(e.logs.String(), "1mz050nq") {
				t.Fatal("the password Okta sent reached the log")
			}
			if r := e.scimDo("GET", "/scim/v2/Users/"+id, token, ""); r.status != 200 || r.str("externalId") == "" {
				t.Fatalf("get: %d %v", r.status, r.body)
			}
			// The person enrolls (MFA in the console), sets a password and
			// makes an access key.
			e.consoleEnroll(p.userName)
			pol, err := e.iam.PasswordPolicy(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.iam.CreateLoginProfileReset(ctx, p.userName, onboarding.GeneratePassword(pol), false); err != nil {
				t.Fatal(err)
			}
			e.createAccessKey(p.userName)
			if v := e.iamOf(p.userName); !v.password || v.activeKeys != 1 || v.mfa != 1 {
				t.Fatalf("enrolled, IAM: %+v", v)
			}

			r = e.scimDo("PATCH", "/scim/v2/Users/"+id, token, p.update)
			if r.status != 200 {
				t.Fatalf("update: %d %v", r.status, r.body)
			}
			if u, _ := e.store.FindUserByName(ctx, p.userName); u.DisplayName != p.updated && u.Email != p.updated {
				t.Fatalf("update did not reach the user: %+v", u)
			}

			// Deactivated: no console password, the key inactive, MFA kept.
			r = e.scimDo("PATCH", "/scim/v2/Users/"+id, token, p.deactivate)
			if r.status != 200 || r.body["active"] != false {
				t.Fatalf("deactivate: %d %v", r.status, r.body)
			}
			if v := e.iamOf(p.userName); !v.exists || v.password || v.keys != 1 || v.activeKeys != 0 || v.mfa != 1 {
				t.Fatalf("after deactivate, IAM: %+v", v)
			}
			if got := e.audited(p.userName, "user.disable"); len(got) != 1 || !strings.Contains(got[0], "identity provider "+p.idp) {
				t.Fatalf("disable audit: %q", got)
			}
			if pg := page.get("/users/" + p.userName); pg.testid("scim-disabled") == "" {
				t.Fatal("the user page does not say the identity provider disabled the user")
			}

			// Reactivated: the key is active again and a new invite is out.
			r = e.scimDo("PATCH", "/scim/v2/Users/"+id, token, p.reactivate)
			if r.status != 200 || r.body["active"] != true {
				t.Fatalf("reactivate: %d %v", r.status, r.body)
			}
			if v := e.iamOf(p.userName); !v.exists || v.activeKeys != 1 || v.mfa != 1 {
				t.Fatalf("after reactivate, IAM: %+v", v)
			}
			if inv, err := e.store.FindLatestInvite(ctx, u.ID); err != nil || inv.ID == firstInvite.ID || inv.Claimable(e.clock()) != nil {
				t.Fatalf("no new invite after reactivation: %+v %v", inv, err)
			}
			if got := e.audited(p.userName, "user.enable"); len(got) != 1 || !strings.Contains(got[0], p.idp) {
				t.Fatalf("enable audit: %q", got)
			}

			// Deleted: disabled at once, kept for the grace period.
			if r := e.scimDo("DELETE", "/scim/v2/Users/"+id, token, ""); r.status != http.StatusNoContent {
				t.Fatalf("delete: %d %v", r.status, r.body)
			}
			if v := e.iamOf(p.userName); !v.exists || v.activeKeys != 0 || v.mfa != 1 {
				t.Fatalf("after delete, IAM: %+v", v)
			}
			checkSCIMError(t, e.scimDo("GET", "/scim/v2/Users/"+id, token, ""), 404, "")
			if pg := page.get("/users/" + p.userName); pg.testid("scim-removal") == "" {
				t.Fatal("the user page does not say the user is scheduled for removal")
			}
			if _, err := e.store.ClaimJob(ctx, "test", []string{store.JobSCIMRemove}, time.Minute, e.clock()); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Fatalf("the removal job is due before the grace period ends: %v", err)
			}

			// The grace period passes: the job offboards the user.
			e.offset += time.Hour + time.Minute
			j, err := e.store.ClaimJob(ctx, "test", []string{store.JobSCIMRemove}, time.Minute, e.clock())
			if err != nil {
				t.Fatalf("no removal job due after the grace period: %v", err)
			}
			if err := jobs.SCIMRemovals(e.scim)(ctx, j); err != nil {
				t.Fatal(err)
			}
			if v := e.iamOf(p.userName); v.exists {
				t.Fatalf("after the grace period, IAM still has the user: %+v", v)
			}
			if u, _ := e.store.FindUserByName(ctx, p.userName); u.State != portal.StateOffboarded {
				t.Fatalf("state %s after the grace period", u.State)
			}
		}()
	}
}

// A user deleted by mistake and assigned again within the grace period is
// restored: the create answers the same id, the user is enabled, and the
// removal job, when due, leaves it alone.
func TestSCIMReassignWithinGraceCancelsRemoval(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	token := e.scimTokenFor(e.mintOperator("admin", portal.RoleAdmin), "Okta")
	p := scimProviders[0]
	id := e.scimDo("POST", "/scim/v2/Users", token, p.create).str("id")
	e.createAccessKey(p.userName)
	if r := e.scimDo("DELETE", "/scim/v2/Users/"+id, token, ""); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d", r.status)
	}
	r := e.scimDo("POST", "/scim/v2/Users", token, p.create)
	if r.status != http.StatusCreated || r.str("id") != id || r.body["active"] != true {
		t.Fatalf("create again: %d %v", r.status, r.body)
	}
	if v := e.iamOf(p.userName); v.activeKeys != 1 {
		t.Fatalf("after re-assignment, IAM: %+v", v)
	}
	e.offset += 2 * time.Hour
	j, err := e.store.ClaimJob(ctx, "test", []string{store.JobSCIMRemove}, time.Minute, e.clock())
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.SCIMRemovals(e.scim)(ctx, j); err != nil {
		t.Fatal(err)
	}
	if v := e.iamOf(p.userName); !v.exists {
		t.Fatal("the cancelled removal offboarded the user")
	}
	if got := e.audited(p.userName, "user.scim.restore"); len(got) != 1 {
		t.Fatalf("restore audit: %q", got)
	}
}

func TestSCIMFilterAndPaging(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) { scimFilterAndPaging(t, newEnvOn(t, engine, storetest.DSN(t, engine))) })
	}
}

func scimFilterAndPaging(t *testing.T, e *env) {
	token := e.scimTokenFor(e.mintOperator("admin", portal.RoleAdmin), "Okta")
	for _, n := range []string{"ann", "ben", "cat"} {
		if r := e.scimDo("POST", "/scim/v2/Users", token, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"`+n+`","externalId":"x-`+n+`"}`); r.status != 201 {
			t.Fatalf("create %s: %d %v", n, r.status, r.body)
		}
	}
	names := func(r scimResp) []string {
		var out []string
		res, _ := r.body["Resources"].([]any)
		for _, x := range res {
			out = append(out, x.(map[string]any)["userName"].(string))
		}
		return out
	}
	cases := []struct {
		query string
		total float64
		want  []string
	}{
		{"?startIndex=1&count=2", 3, []string{"ann", "ben"}},
		{"?startIndex=3&count=2", 3, []string{"cat"}},
		{"?startIndex=0", 3, []string{"ann", "ben", "cat"}},
		{"?count=0", 3, nil},
		{"?filter=" + url.QueryEscape(`userName eq "BEN"`), 1, []string{"ben"}},
		{"?filter=" + url.QueryEscape(`externalId eq "x-cat"`), 1, []string{"cat"}},
		{"?filter=" + url.QueryEscape(`userName eq "nobody"`), 0, nil},
	}
	for _, c := range cases {
		r := e.scimDo("GET", "/scim/v2/Users"+c.query, token, "")
		if r.status != 200 || r.body["totalResults"] != c.total || !slices.Equal(names(r), c.want) {
			t.Errorf("%s: %d total %v names %v, want %v %v", c.query, r.status, r.body["totalResults"], names(r), c.total, c.want)
		}
	}
	checkSCIMError(t, e.scimDo("GET", "/scim/v2/Users?filter="+url.QueryEscape(`displayName co "a"`), token, ""), 400, "invalidFilter")
	checkSCIMError(t, e.scimDo("GET", "/scim/v2/Users?count=many", token, ""), 400, "invalidValue")
}

func TestSCIMErrorShapes(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	c.onboard("portal-made")
	token := e.scimTokenFor(e.mintOperator("adm", portal.RoleAdmin), "Okta")
	user := func(name string) string {
		return `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"` + name + `"}`
	}
	checkSCIMError(t, e.scimDo("POST", "/scim/v2/Users", token, user("has space")), 400, "invalidValue")
	checkSCIMError(t, e.scimDo("POST", "/scim/v2/Users", token, user(strings.Repeat("a", 65))), 400, "invalidValue")
	checkSCIMError(t, e.scimDo("POST", "/scim/v2/Users", token, user("")), 400, "invalidValue")
	checkSCIMError(t, e.scimDo("POST", "/scim/v2/Users", token, `{"userName":`), 400, "invalidSyntax")
	// A user Gatehouse manages already, made in the portal, is not taken over.
	checkSCIMError(t, e.scimDo("POST", "/scim/v2/Users", token, user("Portal-Made")), 409, "uniqueness")
	id := e.scimDo("POST", "/scim/v2/Users", token, user("dora")).str("id")
	checkSCIMError(t, e.scimDo("POST", "/scim/v2/Users", token, user("DORA")), 409, "uniqueness")
	checkSCIMError(t, e.scimDo("PATCH", "/scim/v2/Users/"+id, token, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"userName","value":"dorothy"}]}`), 400, "mutability")
	checkSCIMError(t, e.scimDo("PATCH", "/scim/v2/Users/"+id, token, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"move","path":"active","value":false}]}`), 400, "invalidSyntax")
	checkSCIMError(t, e.scimDo("PATCH", "/scim/v2/Users/"+id, token, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":"maybe"}]}`), 400, "invalidValue")
	checkSCIMError(t, e.scimDo("PATCH", "/scim/v2/Users/"+id, token, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"emails[type eq","value":"x"}]}`), 400, "invalidPath")
	checkSCIMError(t, e.scimDo("PUT", "/scim/v2/Users/"+id, token, user("dorothy")), 400, "mutability")
	checkSCIMError(t, e.scimDo("GET", "/scim/v2/Users/no-such-id", token, ""), 404, "")
	checkSCIMError(t, e.scimDo("GET", "/scim/v2/Groups", token, ""), 404, "")
	// PUT replaces what Gatehouse keeps.
	r := e.scimDo("PUT", "/scim/v2/Users/"+id, token, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"dora","displayName":"Dora M","emails":[{"value":"dora@example.com","primary":true}]}`)
	if r.status != 200 || r.str("displayName") != "Dora M" {
		t.Fatalf("put: %d %v", r.status, r.body)
	}
	if u, _ := e.store.FindUserByName(context.Background(), "dora"); u.DisplayName != "Dora M" || u.Email != "dora@example.com" {
		t.Fatalf("put did not reach the user: %+v", u)
	}
	// The wrong content type.
	req, _ := http.NewRequest("POST", e.srv.URL+"/scim/v2/Users", strings.NewReader(user("eve")))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("text/plain body: %d", resp.StatusCode)
	}
	// Discovery documents.
	for _, path := range []string{"/scim/v2/ServiceProviderConfig", "/scim/v2/ResourceTypes", "/scim/v2/Schemas", "/scim/v2/ResourceTypes/User",
		"/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"} {
		if r := e.scimDo("GET", path, token, ""); r.status != 200 || r.body["schemas"] == nil {
			t.Errorf("%s: %d %v", path, r.status, r.body)
		}
	}
}

// Tokens are of one kind: a scim token drives only /scim/v2, an api token
// only /api/v1, and a browser session neither. The SCIM token's operator
// must be an admin.
func TestSCIMTokenKindSeparation(t *testing.T) {
	e := newEnv(t)
	admin := e.mintOperator("adm", portal.RoleAdmin)
	scimToken, apiToken := e.scimTokenFor(admin, "Okta"), e.apiTokenFor(admin)
	r := e.scimDo("GET", "/scim/v2/Users", apiToken, "")
	checkSCIMError(t, r, 401, "")
	if !strings.Contains(r.str("detail"), "JSON API") || r.header.Get("WWW-Authenticate") == "" {
		t.Fatalf("api token on SCIM: %v %v", r.body, r.header)
	}
	if a := e.api("GET", "/api/v1/users", scimToken, ""); a.status != 401 {
		t.Fatalf("scim token on the JSON API: %d", a.status)
	}
	checkSCIMError(t, e.scimDo("GET", "/scim/v2/Users", "", ""), 401, "")
	resp := e.raw("GET", "/scim/v2/Users", "", withSession(e.sessionFor(admin)))
	if resp.StatusCode != 401 {
		t.Fatalf("a session cookie on SCIM: %d", resp.StatusCode)
	}
	helpdesk := e.scimTokenFor(e.mintOperator("help", portal.RoleHelpdesk), "Okta")
	checkSCIMError(t, e.scimDo("GET", "/scim/v2/Users", helpdesk, ""), 403, "")
	if r := e.scimDo("GET", "/scim/v2/Users", scimToken, ""); r.status != 200 {
		t.Fatalf("scim token on SCIM: %d %v", r.status, r.body)
	}
}

// An admin cancels from the user page the removal a provider's DELETE
// scheduled: a reason is required (kept when missing, in both languages),
// the cancellation is audited, and the removal job, when due, leaves the
// user alone.
func TestAdminCancelsScheduledSCIMRemoval(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin, _ := e.setupAdmin()
	token := e.scimTokenFor(e.mintOperator("idp-owner", portal.RoleAdmin), "Okta")
	p := scimProviders[0]
	id := e.scimDo("POST", "/scim/v2/Users", token, p.create).str("id")
	if r := e.scimDo("DELETE", "/scim/v2/Users/"+id, token, ""); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d", r.status)
	}
	path := "/users/" + p.userName
	if admin.get(path).doc.Find(`[data-testid="action-cancel-removal"]`).Length() != 1 {
		t.Fatal("the admin's user page has no cancel button")
	}
	t.Run("helpdesk sees no button and may not post", func(t *testing.T) {
		hd, _ := e.inviteAndJoin(admin, "hd", portal.RoleHelpdesk)
		if hd.get(path).doc.Find(`[data-testid="action-cancel-removal"]`).Length() != 0 {
			t.Fatal("helpdesk sees the cancel button")
		}
		if got := hd.post(path+"/cancel-removal", url.Values{"reason": {"x"}}).status; got != http.StatusForbidden {
			t.Fatalf("helpdesk cancels: %d, want 403", got)
		}
	})
	t.Run("a reason is required", func(t *testing.T) {
		for _, l := range []struct{ lang, want string }{{"en", "Say why"}, {"ja", "理由を入力"}} {
			admin.get(path + "?lang=" + l.lang)
			pg := admin.post(path+"/cancel-removal", url.Values{"reason": {"  "}})
			if pg.status != http.StatusUnprocessableEntity || !strings.Contains(pg.testid("field-error-cancel-reason"), l.want) {
				t.Fatalf("%s: status %d, error %q", l.lang, pg.status, pg.testid("field-error-cancel-reason"))
			}
			if pg.testid("scim-removal") == "" {
				t.Fatalf("%s: the removal is no longer shown as scheduled", l.lang)
			}
		}
		admin.get(path + "?lang=en")
	})
	pg := admin.follow(admin.post(path+"/cancel-removal", url.Values{"reason": {"unassigned by mistake"}}))
	if pg.testid("scim-removal") != "" || !strings.Contains(pg.testid("flash"), "cancelled") {
		t.Fatalf("after cancel: removal %q, flash %q", pg.testid("scim-removal"), pg.testid("flash"))
	}
	if got := e.audited(p.userName, "user.scim.cancel"); len(got) != 1 || !strings.Contains(got[0], "admin: ") || !strings.Contains(got[0], "unassigned by mistake") {
		t.Fatalf("cancel audit: %q", got)
	}
	if got := admin.post(path+"/cancel-removal", url.Values{"reason": {"again"}}).status; got != http.StatusConflict {
		t.Fatalf("cancelling with no removal scheduled: %d, want 409", got)
	}
	e.offset += 2 * time.Hour
	j, err := e.store.ClaimJob(ctx, "test", []string{store.JobSCIMRemove}, time.Minute, e.clock())
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.SCIMRemovals(e.scim)(ctx, j); err != nil {
		t.Fatal(err)
	}
	if v := e.iamOf(p.userName); !v.exists {
		t.Fatal("the cancelled removal offboarded the user")
	}
}
