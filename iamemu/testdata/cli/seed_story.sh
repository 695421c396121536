#!/usr/bin/env bash
# AWS CLI conformance suite for the iamemu emulator: drives the seed's story
# (create a user under the force-MFA policy, enrol a virtual MFA device with
# two consecutive TOTP codes, tear everything down in the order AWS demands)
# through the real `aws` CLI and asserts the outputs.
#
# Needs: AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (root),
# AWS_DEFAULT_REGION=us-east-1, SSH_PUBLIC_KEY (an ssh-rsa line),
# SIGNING_CERT_FILE (a PEM certificate valid now), aws and python3 on PATH.
set -euo pipefail

EP="${AWS_ENDPOINT_URL:?AWS_ENDPOINT_URL must point at the emulator}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export AWS_PAGER=""

USER_NAME="seed-user"
POLICY_NAME="forced-mfa-and-my-sec-creds-self-manage"

iam() { aws --endpoint-url "$EP" iam "$@"; }
sts() { aws --endpoint-url "$EP" sts "$@"; }

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect NAME GOT WANT
expect() { [[ "$2" == "$3" ]] || fail "$1: got '$2', want '$3'"; }

# expect_error CODE COMMAND...: the command must fail with that error code.
expect_error() {
  local code="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then fail "expected $code from: $*"; fi
  [[ "$out" == *"($code)"* ]] || fail "expected $code from: $*; got: $out"
}

# totp SEED OFFSET: RFC 6238 code (SHA-1, 30 s, 6 digits) for the step at
# now + OFFSET steps, or for step N itself when OFFSET is @N, with the
# Python standard library only.
totp() {
  python3 - "$1" "$2" <<'PY'
import base64, hashlib, hmac, struct, sys, time
seed, offset = sys.argv[1].strip(), sys.argv[2]
key = base64.b32decode(seed + "=" * (-len(seed) % 8))
step = int(offset[1:]) if offset.startswith("@") else int(time.time()) // 30 + int(offset)
mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
o = mac[-1] & 0x0F
print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
}

echo "== identity"
ACCOUNT="$(sts get-caller-identity --query Account --output text)"
expect "account" "$ACCOUNT" "123456789012"

echo "== create user, console password, force-MFA policy"
expect "user arn" "$(iam create-user --user-name "$USER_NAME" --tags Key=managed-by,Value=gatehouse --query User.Arn --output text)" \
  "arn:aws:iam::$ACCOUNT:user/$USER_NAME"
expect_error EntityAlreadyExists iam create-user --user-name "SEED-USER"
expect "reset flag" "$(iam create-login-profile --user-name "$USER_NAME" --password 'Gatehouse-2026!' --no-password-reset-required --query LoginProfile.PasswordResetRequired --output text)" "False"
expect_error PasswordPolicyViolation iam update-login-profile --user-name "$USER_NAME" --password short
POLICY_ARN="$(iam create-policy --policy-name "$POLICY_NAME" --policy-document "file://$HERE/force-mfa-policy.json" --query Policy.Arn --output text)"
expect "policy arn" "$POLICY_ARN" "arn:aws:iam::$ACCOUNT:policy/$POLICY_NAME"
iam attach-user-policy --user-name "$USER_NAME" --policy-arn "$POLICY_ARN"
expect "attached" "$(iam list-attached-user-policies --user-name "$USER_NAME" --query 'AttachedPolicies[0].PolicyName' --output text)" "$POLICY_NAME"

echo "== virtual MFA device"
SERIAL="$(iam create-virtual-mfa-device --virtual-mfa-device-name "$USER_NAME" \
  --outfile "$WORK/seed" --bootstrap-method Base32StringSeed --query VirtualMFADevice.SerialNumber --output text)"
expect "serial" "$SERIAL" "arn:aws:iam::$ACCOUNT:mfa/$USER_NAME"
SEED="$(cat "$WORK/seed")"
expect "seed length" "${#SEED}" "64"
expect "unassigned" "$(iam list-virtual-mfa-devices --assignment-status Unassigned --query 'length(VirtualMFADevices)' --output text)" "1"

echo "== wrong codes are refused"
expect_error InvalidAuthenticationCode iam enable-mfa-device --user-name "$USER_NAME" --serial-number "$SERIAL" \
  --authentication-code1 123456 --authentication-code2 654321
CODE_NOW="$(totp "$SEED" 0)"
expect_error InvalidAuthenticationCode iam enable-mfa-device --user-name "$USER_NAME" --serial-number "$SERIAL" \
  --authentication-code1 "$CODE_NOW" --authentication-code2 "$CODE_NOW"

echo "== two consecutive codes enable the device"
# Codes are computed here and checked by the emulator a moment later (the
# CLI's start-up; seconds on a loaded machine). Start in a fresh 30-second
# window, so the pair is not checked in the next one, where the emulator
# would learn a clock drift that moves its window for the next code.
left=$((30 - $(date +%s) % 30))
if [ "$left" -lt 20 ]; then sleep "$left"; fi
ENABLE_STEP=$(($(date +%s) / 30))
iam enable-mfa-device --user-name "$USER_NAME" --serial-number "$SERIAL" \
  --authentication-code1 "$(totp "$SEED" "@$((ENABLE_STEP - 1))")" --authentication-code2 "$(totp "$SEED" "@$ENABLE_STEP")"
expect "mfa devices" "$(iam list-mfa-devices --user-name "$USER_NAME" --query 'MFADevices[0].SerialNumber' --output text)" "$SERIAL"
expect "assigned to" "$(iam list-virtual-mfa-devices --assignment-status Assigned --query 'VirtualMFADevices[0].User.UserName' --output text)" "$USER_NAME"

echo "== CLI session with mfa_serial"
read -r KEY_ID KEY_SECRET < <(iam create-access-key --user-name "$USER_NAME" --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
SESSION_KEY="$(AWS_ACCESS_KEY_ID="$KEY_ID" AWS_SECRET_ACCESS_KEY="$KEY_SECRET" sts get-session-token \
  --serial-number "$SERIAL" --token-code "$(totp "$SEED" "@$((ENABLE_STEP + 1))")" --query Credentials.AccessKeyId --output text)"
[[ "$SESSION_KEY" == ASIA* ]] || fail "session key '$SESSION_KEY' is not ASIA…"

echo "== paging: the CLI follows markers one item per page"
read -r KEY2_ID _ < <(iam create-access-key --user-name "$USER_NAME" --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
expect "keys paged by one" "$(iam list-access-keys --user-name "$USER_NAME" --page-size 1 --query 'AccessKeyMetadata[].AccessKeyId' --output text | wc -w)" "2"
iam delete-access-key --user-name "$USER_NAME" --access-key-id "$KEY2_ID"

echo "== SSH public key, signing certificate, account alias"
SSH_ID="$(iam upload-ssh-public-key --user-name "$USER_NAME" --ssh-public-key-body "${SSH_PUBLIC_KEY:?}" --query SSHPublicKey.SSHPublicKeyId --output text)"
[[ "$SSH_ID" == APKA* ]] || fail "SSH key id '$SSH_ID' is not APKA…"
expect "ssh keys" "$(iam list-ssh-public-keys --user-name "$USER_NAME" --query 'SSHPublicKeys[0].Status' --output text)" "Active"
CERT_ID="$(iam upload-signing-certificate --user-name "$USER_NAME" --certificate-body "file://${SIGNING_CERT_FILE:?}" --query Certificate.CertificateId --output text)"
expect "certificates" "$(iam list-signing-certificates --user-name "$USER_NAME" --query 'Certificates[0].CertificateId' --output text)" "$CERT_ID"
iam create-account-alias --account-alias gatehouse-cli
expect "alias" "$(iam list-account-aliases --query 'AccountAliases[0]' --output text)" "gatehouse-cli"
iam delete-account-alias --account-alias gatehouse-cli

echo "== teardown in AWS's order"
expect_error DeleteConflict iam delete-user --user-name "$USER_NAME"
expect_error DeleteConflict iam delete-virtual-mfa-device --serial-number "$SERIAL"
iam deactivate-mfa-device --user-name "$USER_NAME" --serial-number "$SERIAL"
iam delete-virtual-mfa-device --serial-number "$SERIAL"
iam delete-access-key --user-name "$USER_NAME" --access-key-id "$KEY_ID"
expect_error DeleteConflict iam delete-user --user-name "$USER_NAME"
iam delete-signing-certificate --user-name "$USER_NAME" --certificate-id "$CERT_ID"
iam delete-ssh-public-key --user-name "$USER_NAME" --ssh-public-key-id "$SSH_ID"
iam delete-login-profile --user-name "$USER_NAME"
iam detach-user-policy --user-name "$USER_NAME" --policy-arn "$POLICY_ARN"
iam delete-user --user-name "$USER_NAME"
iam delete-policy --policy-arn "$POLICY_ARN"
expect_error NoSuchEntity iam get-user --user-name "$USER_NAME"

echo "OK: seed story passed"
