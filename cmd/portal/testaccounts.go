package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/onboarding"
)

// maxTestAccounts bounds --test-accounts: the hub and up to 8 member
// accounts, 222222222222 to 999999999999.
const maxTestAccounts = 9

// testExternalID is the external ID the emulated member roles require.
// Test mode only: a real one is a random secret per account.
const testExternalID = "gatehouse-test-mode"

// testMemberAccounts are the IDs of n-1 emulated member accounts.
func testMemberAccounts(n int) []string {
	var out []string
	for i := 2; i <= n; i++ {
		out = append(out, strings.Repeat(string(rune('0'+i)), 12))
	}
	return out
}

// hubAdmin is the identity policy of the hub user Gatehouse signs as in
// test mode: everything, as the emulator's root could.
const hubAdmin = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// setUpTestAccounts prepares the emulated member accounts: the role
// GatehouseAdmin in each, trusting the hub account with testExternalID, and
// a hub IAM user for Gatehouse to sign as (roles cannot be assumed with
// root credentials). It returns that user's access key, kept in the state
// directory so a restart signs as the same user. Everything it finds from
// an earlier start is kept.
func setUpTestAccounts(emu *iamemu.Emulator, st testState, members []string) (keyID, secret string, err error) {
	hub := emu.Account(emu.AccountID())
	for _, id := range members {
		_, err := emu.Account(id).CreateRole(portal.DefaultRoleName, iamemu.TrustAccountPolicy(emu.Partition(), hub.ID(), testExternalID),
			"arn:"+emu.Partition()+":iam::aws:policy/AdministratorAccess")
		if err != nil && !strings.Contains(err.Error(), "EntityAlreadyExists") {
			return "", "", fmt.Errorf("test mode: role in account %s: %w", id, err)
		}
	}
	if b, err := os.ReadFile(st.hubKeyPath); err == nil {
		if id, sec, ok := strings.Cut(strings.TrimSpace(string(b)), "\n"); ok && id != "" && sec != "" {
			return id, sec, nil
		}
	}
	// A fresh user: one of an earlier start whose key file is gone cannot
	// give its secret again.
	for i := 1; ; i++ {
		name := "gatehouse"
		if i > 1 {
			name = fmt.Sprintf("gatehouse-%d", i)
		}
		keyID, secret, err = hub.CreateUserWithKey(name, hubAdmin)
		if err == nil {
			break
		}
		if !strings.Contains(err.Error(), "EntityAlreadyExists") || i >= 20 {
			return "", "", fmt.Errorf("test mode: hub user: %w", err)
		}
	}
	if err := os.WriteFile(st.hubKeyPath, []byte(keyID+"\n"+secret+"\n"), 0o600); err != nil {
		return "", "", fmt.Errorf("test mode: keep the hub user's key: %w", err)
	}
	return keyID, secret, nil
}

// registerTestAccounts puts the member accounts on the accounts page
// (checked at once), or checks the ones an earlier start registered.
func registerTestAccounts(ctx context.Context, onb *onboarding.Service, members []string, stdout io.Writer) error {
	known := map[string]bool{}
	all, err := onb.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range all {
		known[a.ID] = true
	}
	actor := onboarding.Actor{Name: "test-mode"}
	for i, id := range members {
		if known[id] {
			_, err = onb.CheckAccount(ctx, actor, id)
		} else {
			_, err = onb.AddAccount(ctx, actor, portal.NewAccount{ID: id, Name: fmt.Sprintf("member-%d", i+1), ExternalID: testExternalID})
		}
		if err != nil {
			fmt.Fprintf(stdout, "  member account %s is not reachable: %v\n", id, err)
			continue
		}
		fmt.Fprintf(stdout, "  member account %s: role %s, external ID %s\n", id, onb.Partition().DefaultRoleARN(id), testExternalID)
	}
	return nil
}
