#!/usr/bin/env bash
# AWS CLI suite for AssumeRole across two emulated accounts: account B's root
# creates a role trusting account A with an external id; A's user "hub"
# assumes it with `aws sts assume-role` and acts in B with the session.
# (A role_arn profile is not used: the CLI's own assume-role provider calls
# STS without --endpoint-url, and CLI v2 before 2.13 ignores
# AWS_ENDPOINT_URL, so it would go to real AWS.)
#
# Needs: AWS_ENDPOINT_URL, AWS_DEFAULT_REGION, ACCOUNT_A, ACCOUNT_B,
# A_KEY/A_SECRET (A's root), B_KEY/B_SECRET (B's root), HUB_KEY/HUB_SECRET
# (A's user allowed sts:AssumeRole), aws and python3 on PATH.
set -euo pipefail

EP="${AWS_ENDPOINT_URL:?AWS_ENDPOINT_URL must point at the emulator}"
export AWS_PAGER=""
ROLE_ARN="arn:aws:iam::${ACCOUNT_B}:role/GatehouseAdmin"

fail() { echo "not ok - $*"; exit 1; }
ok() { echo "ok - $*"; }
expect() { [[ "$2" == "$3" ]] || fail "$1: got '$2', want '$3'"; ok "$1"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

as() { # as KEY SECRET [TOKEN] -- command...
  local k="$1" s="$2" t="$3"; shift 3
  AWS_ACCESS_KEY_ID="$k" AWS_SECRET_ACCESS_KEY="$s" AWS_SESSION_TOKEN="$t" aws --endpoint-url "$EP" "$@"
}

trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::'"$ACCOUNT_A"':root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"gatehouse-ext"}}}]}'
arn="$(as "$B_KEY" "$B_SECRET" "" iam create-role --role-name GatehouseAdmin --assume-role-policy-document "$trust" --query Role.Arn --output text)"
expect "create-role in B answers the role ARN" "$arn" "$ROLE_ARN"
doc="$(as "$B_KEY" "$B_SECRET" "" iam get-role --role-name GatehouseAdmin | json 'd["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"]')"
expect "get-role answers the trust policy (decoded by the CLI)" "$doc" "gatehouse-ext"
as "$B_KEY" "$B_SECRET" "" iam attach-role-policy --role-name GatehouseAdmin --policy-arn arn:aws:iam::aws:policy/AdministratorAccess

if out="$(as "$HUB_KEY" "$HUB_SECRET" "" sts assume-role --role-arn "$ROLE_ARN" --role-session-name cli 2>&1)"; then
  fail "assume-role without the external id succeeded"
fi
[[ "$out" == *"(AccessDenied)"*"is not authorized to perform: sts:AssumeRole on resource: $ROLE_ARN"* ]] || fail "assume-role without the external id: $out"
ok "assume-role without the external id is AccessDenied"

creds="$(as "$HUB_KEY" "$HUB_SECRET" "" sts assume-role --role-arn "$ROLE_ARN" --role-session-name cli --external-id gatehouse-ext)"
SK="$(echo "$creds" | json 'd["Credentials"]["AccessKeyId"]')"
SS="$(echo "$creds" | json 'd["Credentials"]["SecretAccessKey"]')"
ST="$(echo "$creds" | json 'd["Credentials"]["SessionToken"]')"
expect "assume-role answers the session ARN" "$(echo "$creds" | json 'd["AssumedRoleUser"]["Arn"]')" "arn:aws:sts::${ACCOUNT_B}:assumed-role/GatehouseAdmin/cli"
expect "the session's identity is the assumed role" \
  "$(as "$SK" "$SS" "$ST" sts get-caller-identity --query Arn --output text)" "arn:aws:sts::${ACCOUNT_B}:assumed-role/GatehouseAdmin/cli"
expect "the session creates a user in B" \
  "$(as "$SK" "$SS" "$ST" iam create-user --user-name from-cli --query User.Arn --output text)" "arn:aws:iam::${ACCOUNT_B}:user/from-cli"

n="$(as "$A_KEY" "$A_SECRET" "" organizations list-accounts | json 'len(d["Accounts"])')"
expect "organizations list-accounts from A lists both accounts" "$n" "2"
