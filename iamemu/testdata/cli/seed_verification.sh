#!/usr/bin/env bash
# The seed's verification (動作確認) with the AWS CLI against an IAM endpoint
# enforcing the forced-MFA policy: root onboards user "test"; with its
# long-term key the user can only enrol a virtual MFA device; with an MFA
# session it manages its own password, access keys, CodeCommit credentials
# and MFA device, never another user's.
#
# Environment:
#   AWS_ENDPOINT_URL       the emulator (or any IAM/STS endpoint)
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   root credentials
#   SEED_POLICY_FILE       the seed policy document (policy/seed.json)
#   EMU_CLOCK_URL          POST ?advance=SECONDS moves the emulator's IAM
#                          clock and answers its new Unix time; it lets the
#                          script take a fresh TOTP window without sleeping
#
# Output is one "ok - NAME" / "not ok - NAME" line per assertion; the script
# stops at the first failure with a non-zero status.
set -euo pipefail
: "${AWS_ENDPOINT_URL:?}" "${AWS_ACCESS_KEY_ID:?}" "${AWS_SECRET_ACCESS_KEY:?}" "${SEED_POLICY_FILE:?}" "${EMU_CLOCK_URL:?}"
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
ACCOUNT_ID=${ACCOUNT_ID:-123456789012}
ROOT=("$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "")
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# aws_as KEY SECRET TOKEN aws-args…: run the CLI with those credentials.
aws_as() {
	local key=$1 secret=$2 token=$3
	shift 3
	if [[ -n $token ]]; then
		AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"
	else
		AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"
	fi
}
ok() { echo "ok - $1"; }
fail() { echo "not ok - $1"; shift; printf '    %s\n' "$@"; exit 1; }

# expect_ok NAME command…: the command must succeed.
expect_ok() {
	local name=$1 out
	shift
	out=$("$@" 2>&1) || fail "$name" "$out"
	ok "$name"
}
# expect_error CODE NAME command…: the command must fail with AWS error CODE.
expect_error() {
	local code=$1 name=$2 out
	shift 2
	if out=$("$@" 2>&1); then fail "$name" "succeeded: $out"; fi
	[[ $out == *"($code)"* ]] || fail "$name" "want $code, got: $out"
	ok "$name"
}
# expect_eq NAME GOT WANT
expect_eq() { [[ $2 == "$3" ]] && ok "$1" || fail "$1" "got '$2', want '$3'"; }

# totp SEED UNIXTIME: RFC 6238 code (SHA-1, 30 s, 6 digits), stdlib only.
totp() {
	python3 - "$1" "$2" <<'PY'
import base64, hashlib, hmac, struct, sys
key = base64.b32decode(sys.argv[1])
mac = hmac.new(key, struct.pack(">Q", int(sys.argv[2]) // 30), hashlib.sha1).digest()
off = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
}
# advance SECONDS: move the IAM clock, print its new Unix time.
advance() {
	python3 -c 'import sys, urllib.request as u; print(u.urlopen(sys.argv[1] + "?advance=" + sys.argv[2], data=b"").read().decode())' "$EMU_CLOCK_URL" "$1"
}

# --- root onboards test (and other, whose resources test must not reach)
for u in test other; do
	aws_as "${ROOT[@]}" iam create-user --user-name "$u" >/dev/null
	aws_as "${ROOT[@]}" iam create-login-profile --user-name "$u" --password "Initial-Passw0rd!" >/dev/null
done
POLICY_ARN=$(aws_as "${ROOT[@]}" iam create-policy --policy-name forced-mfa-and-my-sec-creds-self-manage \
	--policy-document "file://$SEED_POLICY_FILE" --query Policy.Arn --output text)
for u in test other; do
	aws_as "${ROOT[@]}" iam attach-user-policy --user-name "$u" --policy-arn "$POLICY_ARN"
done
out=$(aws_as "${ROOT[@]}" iam create-access-key --user-name test --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
read -r KEY SECRET <<<"$out"
LT=("$KEY" "$SECRET" "")
ok "root onboarded test with the seed policy"

# --- long-term key: everything but MFA enrolment is denied
expect_error AccessDenied "long-term key: change-password is denied" aws_as "${LT[@]}" iam change-password --old-password "Initial-Passw0rd!" --new-password "Second-Passw0rd!"
expect_error AccessDenied "long-term key: create-access-key is denied" aws_as "${LT[@]}" iam create-access-key
expect_error AccessDenied "long-term key: create-service-specific-credential is denied" aws_as "${LT[@]}" iam create-service-specific-credential --user-name test --service-name codecommit.amazonaws.com
expect_error AccessDenied "long-term key: list-users is denied" aws_as "${LT[@]}" iam list-users
decision=$(aws_as "${ROOT[@]}" iam simulate-principal-policy --policy-source-arn "arn:aws:iam::$ACCOUNT_ID:user/test" \
	--action-names s3:ListAllMyBuckets --query 'EvaluationResults[0].EvalDecision' --output text)
expect_eq "long-term key: s3:ListAllMyBuckets simulates as explicitDeny" "$decision" explicitDeny
expect_eq "long-term key: get-caller-identity needs no permission" \
	"$(aws_as "${LT[@]}" sts get-caller-identity --query Arn --output text)" "arn:aws:iam::$ACCOUNT_ID:user/test"

SERIAL=$(aws_as "${LT[@]}" iam create-virtual-mfa-device --virtual-mfa-device-name test \
	--outfile "$WORK/seed" --bootstrap-method Base32StringSeed --query VirtualMFADevice.SerialNumber --output text)
ok "long-term key: create-virtual-mfa-device is allowed"
SEED=$(cat "$WORK/seed")
NOW=$(advance 0)
expect_ok "long-term key: enable-mfa-device is allowed" aws_as "${LT[@]}" iam enable-mfa-device --user-name test --serial-number "$SERIAL" \
	--authentication-code1 "$(totp "$SEED" $((NOW - 30)))" --authentication-code2 "$(totp "$SEED" "$NOW")"
expect_eq "long-term key: list-mfa-devices shows the device" "$(aws_as "${LT[@]}" iam list-mfa-devices --query 'MFADevices[0].SerialNumber' --output text)" "$SERIAL"
expect_eq "long-term key: get-user on self is allowed" "$(aws_as "${LT[@]}" iam get-user --query User.UserName --output text)" test

# --- MFA session, with a code from the next 30-second window
NOW=$(advance 30)
out=$(aws_as "${LT[@]}" sts get-session-token --serial-number "$SERIAL" --token-code "$(totp "$SEED" "$NOW")" \
	--query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
read -r SKEY SSECRET STOKEN <<<"$out"
MFA=("$SKEY" "$SSECRET" "$STOKEN")
ok "get-session-token with MFA issues a session"
expect_ok "MFA session: change-password works" aws_as "${MFA[@]}" iam change-password --old-password "Initial-Passw0rd!" --new-password "Second-Passw0rd!"
NEWKEY=$(aws_as "${MFA[@]}" iam create-access-key --query AccessKey.AccessKeyId --output text)
ok "MFA session: create-access-key works"
expect_ok "MFA session: update-access-key deactivates it" aws_as "${MFA[@]}" iam update-access-key --access-key-id "$NEWKEY" --status Inactive
expect_ok "MFA session: delete-access-key works" aws_as "${MFA[@]}" iam delete-access-key --access-key-id "$NEWKEY"
CRED=$(aws_as "${MFA[@]}" iam create-service-specific-credential --user-name test --service-name codecommit.amazonaws.com \
	--query ServiceSpecificCredential.ServiceSpecificCredentialId --output text)
ok "MFA session: create-service-specific-credential for CodeCommit works"
expect_ok "MFA session: reset-service-specific-credential works" aws_as "${MFA[@]}" iam reset-service-specific-credential --service-specific-credential-id "$CRED"
expect_ok "MFA session: delete-service-specific-credential works" aws_as "${MFA[@]}" iam delete-service-specific-credential --service-specific-credential-id "$CRED"
NOW=$(advance 60)
expect_ok "MFA session: resync-mfa-device works" aws_as "${MFA[@]}" iam resync-mfa-device --user-name test --serial-number "$SERIAL" \
	--authentication-code1 "$(totp "$SEED" $((NOW - 30)))" --authentication-code2 "$(totp "$SEED" "$NOW")"
expect_ok "MFA session: deactivate-mfa-device works" aws_as "${MFA[@]}" iam deactivate-mfa-device --user-name test --serial-number "$SERIAL"

# --- other users stay out of reach, even with MFA
expect_error AccessDenied "MFA session: list-access-keys for other is denied" aws_as "${MFA[@]}" iam list-access-keys --user-name other
expect_error AccessDenied "MFA session: create-access-key for other is denied" aws_as "${MFA[@]}" iam create-access-key --user-name other
expect_error AccessDenied "MFA session: update-login-profile for other is denied" aws_as "${MFA[@]}" iam update-login-profile --user-name other --password "Hijack-Passw0rd!"

# --- a session without MFA is still refused (IAM rejects its token)
out=$(aws_as "${LT[@]}" sts get-session-token --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
read -r NKEY NSECRET NTOKEN <<<"$out"
expect_error InvalidClientTokenId "session without MFA: change-password is refused" \
	aws_as "$NKEY" "$NSECRET" "$NTOKEN" iam change-password --old-password "Second-Passw0rd!" --new-password "Third-Passw0rd!"
