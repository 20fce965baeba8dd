#!/usr/bin/env bash
# `make demo`: the quick start, end to end, against the local emulator.
#
# Builds the provider and identitycenter-emulator, starts the emulator with
# examples/emulator-seed.json (the applications and trusted token issuer the
# examples name, e.g. portal and corp-idp), installs the provider into a
# filesystem mirror, then runs examples/quickstart, whose variables default to
# the seed's names, through init, apply, a no-drift plan and destroy,
# checking what the emulator holds along the way.
#
# Terraform: $TF_ACC_TERRAFORM_PATH, else .tools/bin/terraform-1.15.5 (`make tools`).
# Scratch files go to ./tmp/demo (git-ignored); they are kept when the demo fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

readonly provider_source="idc-labs/identitycenter"
# The version being built, as Cargo.toml gives it (the quick start asks for ~> it).
provider_version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
readonly provider_version
readonly demo_access_key="AKIAIDCEMULATORDEMO1"
readonly demo_secret_key="identitycenter-emulator-demo-secret"
# The quick start's grants, on top of those the seed creates for other examples.
readonly expected_grant_types=4

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() {
  printf 'demo: %s\n' "$*" >&2
  exit 1
}

terraform="${TF_ACC_TERRAFORM_PATH:-$root/.tools/bin/terraform-1.15.5}"
[[ -x "$terraform" ]] ||
  die "no Terraform at $terraform: run 'make tools' (or 'make demo'), or set TF_ACC_TERRAFORM_PATH"

work="$root/tmp/demo"
emulator_pid=""

cleanup() {
  local status=$?
  if [[ -n "$emulator_pid" ]]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  if [[ $status -eq 0 ]]; then
    rm -rf "$work"
  else
    if [[ -s "$work/emulator.log" ]]; then
      printf '\ndemo: emulator stderr (last lines):\n' >&2
      tail -n 20 "$work/emulator.log" >&2
    fi
    printf '\ndemo: FAILED (exit %d); scratch files kept in %s\n' "$status" "$work" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------
step "Building the provider and the emulator (cargo build --bins)"
cargo="${CARGO:-cargo}"
"$cargo" build --bins
target_dir="$("$cargo" metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
target_dir="${target_dir:-$root/target}"
provider_bin="$target_dir/debug/terraform-provider-identitycenter"
emulator_bin="$target_dir/debug/identitycenter-emulator"
[[ -x "$provider_bin" && -x "$emulator_bin" ]] || die "built binaries not found under $target_dir/debug"

# ---------------------------------------------------------------------------
step "Starting identitycenter-emulator with examples/emulator-seed.json"
rm -rf "$work"
mkdir -p "$work"
"$emulator_bin" --port 0 --seed "$root/examples/emulator-seed.json" \
  >"$work/emulator.out" 2>"$work/emulator.log" &
emulator_pid=$!

# The first stdout line gives the port; one line per seeded resource follows,
# then the token that opens the test-only endpoints (/_state and friends).
for _ in $(seq 1 300); do
  grep -q '^inspection-token ' "$work/emulator.out" 2>/dev/null && break
  kill -0 "$emulator_pid" 2>/dev/null || die "the emulator exited during start-up"
  sleep 0.1
done
endpoint="$(sed -n 's/^listening on //p' "$work/emulator.out" | head -n 1)"
application_arn="$(awk '$1 == "application" && $2 == "portal" { print $3 }' "$work/emulator.out")"
issuer_arn="$(awk '$1 == "trusted-token-issuer" && $2 == "corp-idp" { print $3 }' "$work/emulator.out")"
inspection_token="$(awk '$1 == "inspection-token" { print $2 }' "$work/emulator.out")"
[[ -n "$endpoint" && -n "$application_arn" && -n "$issuer_arn" && -n "$inspection_token" ]] ||
  die "the emulator did not report its endpoint and seeded resources within 30s"
port="${endpoint##*:}"
cat <<EOF
endpoint                  $endpoint
application_arn           $application_arn
trusted_token_issuer_arn  $issuer_arn
EOF

# GET on the emulator's test-only endpoints, with curl or, failing that, bash's /dev/tcp.
emulator_get() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -H "Authorization: Bearer $inspection_token" "$endpoint$1"
  else
    local response
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n' \
      "$1" "$port" "$inspection_token" >&3
    response="$(cat <&3)"
    exec 3<&-
    printf '%s\n' "${response#*$'\r\n\r\n'}"
  fi
}

# Number of grants the emulator holds, over all applications.
emulator_grant_count() {
  local state
  state="$(emulator_get /_state)"
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json, sys
state = json.load(sys.stdin)
print(sum(len(app.get("Grants") or {}) for app in state.get("Applications", [])))' <<<"$state"
  else
    # Without python3: count the grant bodies (one member of the Grant union each).
    grep -oE '"(AuthorizationCode|JwtBearer|RefreshToken|TokenExchange)"[[:space:]]*:' <<<"$state" |
      wc -l | tr -d ' '
  fi
}

# ---------------------------------------------------------------------------
step "Installing the provider into a filesystem mirror"
go_os="$(uname -s | tr '[:upper:]' '[:lower:]')"
case "$(uname -m)" in
  x86_64 | amd64) go_arch=amd64 ;;
  aarch64 | arm64) go_arch=arm64 ;;
  i?86) go_arch=386 ;;
  armv*) go_arch=arm ;;
  *) go_arch="$(uname -m)" ;;
esac
mirror="$work/mirror"
package_dir="$mirror/registry.terraform.io/$provider_source/$provider_version/${go_os}_${go_arch}"
mkdir -p "$package_dir"
cp "$provider_bin" "$package_dir/terraform-provider-identitycenter_v$provider_version"
echo "$package_dir/terraform-provider-identitycenter_v$provider_version"

cat >"$work/terraform.rc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/$provider_source"]
  }
  direct {
    exclude = ["registry.terraform.io/$provider_source"]
  }
}
EOF

# A scratch copy of the examples (quickstart uses ../modules/oauth_application).
cp -R "$root/examples" "$work/examples"
quickstart="$work/examples/quickstart"

export TF_CLI_CONFIG_FILE="$work/terraform.rc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export TF_INPUT=0
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_plan \
  TF_CLI_ARGS_apply TF_CLI_ARGS_destroy TF_CLI_ARGS_output
# Demo credentials for the emulator; against AWS, leave these unset.
export TF_VAR_access_key="$demo_access_key"
export TF_VAR_secret_key="$demo_secret_key"
# The application and issuer come from the variables' defaults, which name
# what the seed holds.
vars=(
  -var "ssoadmin_endpoint=$endpoint"
)
tf() { (cd "$quickstart" && "$terraform" "$@"); }

step "Using $("$terraform" version | head -n 1) ($terraform)"

seeded_grants="$(emulator_grant_count)"

# ---------------------------------------------------------------------------
step "terraform init"
tf init -input=false

step "terraform apply"
tf apply -input=false -auto-approve "${vars[@]}"

step "terraform output"
tf output

step "What the emulator holds (GET /_state)"
if command -v curl >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
  emulator_get /_state | python3 -m json.tool
else
  echo "(skipped: needs curl and python3)"
fi
count="$(emulator_grant_count)"
[[ "$count" -eq $((seeded_grants + expected_grant_types)) ]] ||
  die "the emulator holds $count grants after apply, expected $seeded_grants seeded + $expected_grant_types"
echo "the emulator holds $count grants: $seeded_grants from the seed, $expected_grant_types from the quick start"

step "terraform plan -detailed-exitcode (expecting no changes)"
plan_status=0
tf plan -input=false -detailed-exitcode "${vars[@]}" || plan_status=$?
[[ $plan_status -eq 0 ]] || die "plan after apply exited $plan_status (2 = drift, 1 = error); expected 0"
echo "no drift"

step "terraform destroy"
tf destroy -input=false -auto-approve "${vars[@]}"

count="$(emulator_grant_count)"
[[ "$count" -eq "$seeded_grants" ]] ||
  die "the emulator holds $count grants after destroy, expected the $seeded_grants the seed created"
echo "the emulator holds only the $seeded_grants grants the seed created"

step "Demo passed in ${SECONDS}s"
