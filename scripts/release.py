#!/usr/bin/env python3
"""Registry release artifacts for terraform-provider-identitycenter.

  release.py build   [--out dist] [--profile release]
      `make release`: a reproducible, `--locked` cargo build for this machine,
      then `package` on the result.
  release.py package --binary PATH [--out dist] [--os OS --arch ARCH]
      One platform's artifacts from an already built binary:
        terraform-provider-identitycenter_<VERSION>_<os>_<arch>.zip
            holding terraform-provider-identitycenter_v<VERSION>[.exe], mode 0755
        terraform-provider-identitycenter_<VERSION>_manifest.json
            terraform-registry-manifest.json from the repository root
        terraform-provider-identitycenter_<VERSION>_SHA256SUMS (+ .sig)
  release.py merge --dir DIR [--platforms linux_amd64,...]
      The release as the Registry takes it: the zips of every platform and the
      manifest, gathered in DIR, each zip checked to hold a binary of its
      declared OS and architecture; one SHA256SUMS (+ .sig) over all of them.

Signing: when GPG_FINGERPRINT is set (the name goreleaser and the Registry's
documentation use), SHA256SUMS gets a detached binary signature from that key
in the default gpg home (GNUPGHOME, else ~/.gnupg), with GPG_PASSPHRASE fed to
gpg when the key has one. The signature is verified, and the key must be RSA
or DSA: the only kinds the Registry accepts. Without GPG_FINGERPRINT the
release is unsigned, and the script says so.

Reproducible: the same commit gives the same bytes from any checkout folder
and any user's cargo home (paths remapped, Cargo.lock enforced), and the zip
has fixed timestamps and modes. Only the standard library is used.
"""

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

NAME = "terraform-provider-identitycenter"
ROOT = Path(__file__).resolve().parent.parent

# The platforms the Registry's users run Terraform on: what `merge` expects
# unless told otherwise.
REGISTRY_PLATFORMS = ("darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64",
                      "windows_amd64")

# Terraform's (Go's) names for operating systems and architectures.
GO_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64",
           "i386": "386", "i686": "386", "x86": "386", "armv7l": "arm", "armv6l": "arm"}

# gpg's public key algorithm numbers (RFC 4880 9.1) the Registry accepts.
REGISTRY_KEY_ALGORITHMS = {"1": "RSA", "2": "RSA", "3": "RSA", "17": "DSA"}


def fail(message):
    print(f"release: {message}", file=sys.stderr)
    sys.exit(1)


def host_platform():
    system = platform.system().lower()
    machine = platform.machine().lower()
    return system, GO_ARCH.get(machine, machine)


def crate_version():
    return tomllib.loads((ROOT / "Cargo.toml").read_text())["package"]["version"]


def checked_version(given):
    version = crate_version()
    if given is not None and given != version:
        fail(f"version {given} differs from Cargo.toml's {version}: "
             "release what the binary says it is")
    return version


def checked_manifest(path):
    text = path.read_bytes()
    try:
        manifest = json.loads(text)
    except ValueError as e:
        fail(f"{path} is not JSON: {e}")
    protocols = manifest.get("metadata", {}).get("protocol_versions")
    if manifest.get("version") != 1 or protocols != ["6.0"]:
        fail(f"{path} must be version 1 with protocol_versions [\"6.0\"] (this provider "
             f"speaks protocol 6 only); it says {manifest}")
    return text


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- what a binary is built for -------------------------------------------

ELF_OS = {0: "linux", 3: "linux", 9: "freebsd"}  # EI_OSABI: none (SysV), Linux, FreeBSD
ELF_ARCH = {62: "amd64", 183: "arm64", 3: "386", 40: "arm"}  # e_machine
MACHO_ARCH = {0x01000007: "amd64", 0x0100000C: "arm64"}  # cputype, 64-bit ABI bit set
PE_ARCH = {0x8664: "amd64", 0xAA64: "arm64", 0x014C: "386"}  # IMAGE_FILE_HEADER.Machine


def executable_platform(head):
    """(os, arch) of the executable whose first bytes are `head`, or a
    reason it is not one this release can ship."""
    if head[:4] == b"\x7fELF":
        if len(head) < 20:
            return None, "a truncated ELF file"
        e_type, e_machine = struct.unpack_from("<HH", head, 16)
        if e_type not in (2, 3):  # ET_EXEC, ET_DYN (position-independent)
            return None, f"an ELF file of type {e_type}, not an executable"
        os_name = ELF_OS.get(head[7])
        arch = ELF_ARCH.get(e_machine)
        if os_name is None or arch is None:
            return None, f"an ELF executable for OS ABI {head[7]}, machine {e_machine}"
        return (os_name, arch), None
    if head[:4] == b"\xcf\xfa\xed\xfe":  # MH_MAGIC_64, little-endian
        if len(head) < 16:
            return None, "a truncated Mach-O file"
        cputype, _subtype, filetype = struct.unpack_from("<IiI", head, 4)
        if filetype != 2:  # MH_EXECUTE
            return None, f"a Mach-O file of type {filetype}, not an executable"
        arch = MACHO_ARCH.get(cputype)
        if arch is None:
            return None, f"a Mach-O executable for CPU type {cputype:#x}"
        return ("darwin", arch), None
    if head[:4] in (b"\xca\xfe\xba\xbe", b"\xbe\xba\xfe\xca"):
        return None, "a universal (fat) Mach-O file: the Registry wants one zip per architecture"
    if head[:2] == b"MZ" and len(head) >= 0x40:
        (pe_offset,) = struct.unpack_from("<I", head, 0x3C)
        if head[pe_offset:pe_offset + 4] != b"PE\0\0" or len(head) < pe_offset + 24:
            return None, "a DOS executable without a PE header"
        machine, = struct.unpack_from("<H", head, pe_offset + 4)
        characteristics, = struct.unpack_from("<H", head, pe_offset + 22)
        if not characteristics & 0x0002 or characteristics & 0x2000:
            return None, "a PE file that is not an executable (a DLL or an object)"
        arch = PE_ARCH.get(machine)
        if arch is None:
            return None, f"a PE executable for machine {machine:#x}"
        return ("windows", arch), None
    return None, "not an executable this release knows (ELF, Mach-O or PE)"


def check_binary_platform(what, data, os_name, arch):
    found, reason = executable_platform(data[:1 << 16])
    if found is None:
        fail(f"{what} is {reason}")
    if found != (os_name, arch):
        fail(f"{what} is a {found[0]}_{found[1]} executable, not {os_name}_{arch}")


def binary_name(version, os_name):
    return f"{NAME}_v{version}" + (".exe" if os_name == "windows" else "")


# --- signing --------------------------------------------------------------

def sign(sums_path):
    """Signs `sums_path` with GPG_FINGERPRINT's key, or says the release is
    unsigned. Returns the signature's path, or None."""
    sig_path = sums_path.with_name(sums_path.name + ".sig")
    # A signature left from an earlier run would not match this SHA256SUMS.
    sig_path.unlink(missing_ok=True)
    fingerprint = os.environ.get("GPG_FINGERPRINT", "").strip()
    if not fingerprint:
        print(f"release: GPG_FINGERPRINT is not set: {sums_path.name} is UNSIGNED, and the "
              "Terraform Registry does not accept an unsigned release", file=sys.stderr)
        return None
    if shutil.which("gpg") is None:
        fail("GPG_FINGERPRINT is set but gpg is not installed")
    command = ["gpg", "--batch", "--yes", "--local-user", fingerprint]
    passphrase = os.environ.get("GPG_PASSPHRASE")
    if passphrase:
        command += ["--pinentry-mode", "loopback", "--passphrase-fd", "0"]
    command += ["--output", str(sig_path), "--detach-sign", str(sums_path)]
    signed = subprocess.run(command, input=(passphrase or "").encode(), capture_output=True)
    if signed.returncode != 0:
        sig_path.unlink(missing_ok=True)
        fail(f"gpg could not sign with {fingerprint}:\n"
             f"{signed.stderr.decode(errors='replace').strip()}")
    check_signature(sums_path, sig_path)
    return sig_path


def check_signature(sums_path, sig_path):
    """The signature verifies, and its key is of a kind the Registry
    accepts (it would refuse the release at publication otherwise)."""
    verified = subprocess.run(
        ["gpg", "--batch", "--status-fd", "1", "--verify", str(sig_path), str(sums_path)],
        capture_output=True)
    status = verified.stdout.decode(errors="replace")
    valid = [line.split() for line in status.splitlines() if line.startswith("[GNUPG:] VALIDSIG ")]
    if verified.returncode != 0 or not valid:
        sig_path.unlink(missing_ok=True)
        fail(f"the signature gpg made does not verify:\n{verified.stderr.decode(errors='replace')}")
    # VALIDSIG <fingerprint> <date> <time> <expiry> <version> <reserved> <algorithm> ...
    signing_key, algorithm = valid[0][2], valid[0][8]
    if algorithm not in REGISTRY_KEY_ALGORITHMS:
        sig_path.unlink(missing_ok=True)
        fail(f"key {signing_key} uses public key algorithm {algorithm}; the Terraform Registry "
             "accepts only RSA and DSA signing keys")


def write_sums(out, version, files):
    sums_path = out / f"{NAME}_{version}_SHA256SUMS"
    sums_path.write_text("".join(f"{sha256(p)}  {p.name}\n"
                                 for p in sorted(files, key=lambda p: p.name)))
    return sums_path, sign(sums_path)


# --- one platform ---------------------------------------------------------

def package(binary, version, out, os_name, arch, manifest_source):
    if not binary.is_file():
        fail(f"no binary at {binary}")
    data = binary.read_bytes()
    check_binary_platform(str(binary), data, os_name, arch)
    manifest = checked_manifest(manifest_source)

    out.mkdir(parents=True, exist_ok=True)
    prefix = f"{NAME}_{version}"
    zip_path = out / f"{prefix}_{os_name}_{arch}.zip"
    manifest_path = out / f"{prefix}_manifest.json"

    # Fixed timestamp, owner-independent mode, one entry: the same binary
    # always packs to the same bytes, hence the same zh: hash.
    entry = zipfile.ZipInfo(binary_name(version, os_name), date_time=(1980, 1, 1, 0, 0, 0))
    entry.create_system = 3  # Unix, so that the mode bits below are honoured
    entry.external_attr = (0o100755 & 0xFFFF) << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(zip_path, "w") as archive:
        # zlib's default level, as Go's archive/zip uses: level 9 takes four
        # times as long for 1% less.
        archive.writestr(entry, data, compresslevel=6)

    manifest_path.write_bytes(manifest)
    sums_path, sig_path = write_sums(out, version, [zip_path, manifest_path])
    for path in (zip_path, manifest_path, sums_path, sig_path):
        if path is not None:
            print(path)


# --- a reproducible build -------------------------------------------------

def cargo_metadata():
    out = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps", "--locked"],
                         cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"cargo metadata failed:\n{out.stderr}")
    return json.loads(out.stdout)


def build_paths(target_dir):
    """The absolute folders of this build that must not reach the binary,
    each with the fixed name that replaces it: the target directory (build
    scripts write generated code there) and the cargo home (every
    dependency's source). The checkout itself needs no remapping: cargo
    names a workspace's sources relative to it, and the release profile
    writes no debug information (which would record the folder rustc ran
    in). Compilers apply the last matching prefix: the cargo home comes
    last, for a target directory inside it."""
    cargo_home = Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo").resolve()
    return [(target_dir, "target"), (cargo_home, "cargo")]


def build(profile):
    """Builds the provider with Cargo.lock as it is and remapped paths;
    returns the binary's path."""
    target_dir = Path(cargo_metadata()["target_directory"]).resolve()
    paths = build_paths(target_dir)
    env = dict(os.environ)
    # Rust: the encoded form keeps paths with spaces whole; it replaces
    # RUSTFLAGS, so a release never picks up flags from the environment.
    env["CARGO_ENCODED_RUSTFLAGS"] = "\x1f".join(
        f"--remap-path-prefix={folder}={name}" for folder, name in paths)
    env.pop("RUSTFLAGS", None)
    # C (aws-lc, built by the cc crate): __FILE__ in assertions and error
    # records. MSVC has no such flag; GCC and Clang do.
    if platform.system() != "Windows":
        remaps = " ".join(f"-ffile-prefix-map={folder}={name}" for folder, name in paths)
        env["CFLAGS"] = f"{env.get('CFLAGS', '')} {remaps}".strip()
    command = ["cargo", "build", "--locked", "--profile", profile, "--bin", NAME]
    print("release: " + " ".join(command), file=sys.stderr)
    if subprocess.run(command, cwd=ROOT, env=env).returncode != 0:
        fail("cargo build failed")
    profile_dir = "debug" if profile in ("dev", "test") else profile
    suffix = ".exe" if platform.system() == "Windows" else ""
    return target_dir / profile_dir / f"{NAME}{suffix}"


# --- every platform -------------------------------------------------------

def merge(directory, version, platforms):
    if not directory.is_dir():
        fail(f"no directory {directory}")
    prefix = f"{NAME}_{version}"
    zip_name = re.compile(rf"^{re.escape(prefix)}_([a-z0-9]+)_([a-z0-9]+)\.zip$")
    manifest_path = directory / f"{prefix}_manifest.json"
    ours = {manifest_path.name, f"{prefix}_SHA256SUMS", f"{prefix}_SHA256SUMS.sig"}
    zips = {}
    for path in sorted(directory.iterdir()):
        found = zip_name.match(path.name)
        if found:
            zips[f"{found[1]}_{found[2]}"] = path
        elif path.name not in ours:
            fail(f"{path} is not part of release {version}: the folder must hold only its zips "
                 "and manifest")
    missing = sorted(set(platforms) - set(zips))
    extra = sorted(set(zips) - set(platforms))
    if missing or extra:
        fail(f"the zips in {directory} are for {sorted(zips) or 'no platform'}; expected "
             f"{sorted(platforms)} (missing: {missing or 'none'}, unexpected: {extra or 'none'})")
    if not manifest_path.is_file():
        fail(f"no manifest {manifest_path}")
    checked_manifest(manifest_path)

    for key, path in sorted(zips.items()):
        os_name, arch = key.split("_")
        check_zip(path, version, os_name, arch)

    sums_path, sig_path = write_sums(directory, version, [*zips.values(), manifest_path])
    for path in (sums_path, sig_path):
        if path is not None:
            print(path)


def check_zip(path, version, os_name, arch):
    """The zip holds exactly the provider executable for its platform."""
    expected = binary_name(version, os_name)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = [e.filename for e in entries]
            if names != [expected]:
                fail(f"{path} holds {names}; it must hold only {expected}")
            entry = entries[0]
            if os_name != "windows" and not (entry.external_attr >> 16) & 0o111:
                fail(f"{path}: {expected} is not executable (mode "
                     f"{(entry.external_attr >> 16) & 0o777:o})")
            data = archive.read(entry)
    except zipfile.BadZipFile as e:
        fail(f"{path} is not a zip: {e}")
    check_binary_platform(f"{expected} in {path.name}", data, os_name, arch)


# --- command line ---------------------------------------------------------

def main():
    host_os, host_arch = host_platform()
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub, manifest=True):
        sub.add_argument("--version", help="release version (default and only allowed value: "
                                           "Cargo.toml's)")
        if manifest:
            sub.add_argument("--manifest", type=Path,
                             default=ROOT / "terraform-registry-manifest.json")

    built = commands.add_parser("build", help="reproducible build and this platform's artifacts")
    built.add_argument("--out", type=Path, default=ROOT / "dist")
    built.add_argument("--profile", default="release",
                       help="cargo profile (default: release)")
    common(built)

    packed = commands.add_parser("package", help="one platform's artifacts from a built binary")
    packed.add_argument("--binary", required=True, type=Path, help="the provider binary")
    packed.add_argument("--out", type=Path, default=ROOT / "dist")
    packed.add_argument("--os", default=host_os, help=f"target OS (default: {host_os})")
    packed.add_argument("--arch", default=host_arch,
                        help=f"target architecture (default: {host_arch})")
    common(packed)

    merged = commands.add_parser("merge", help="one SHA256SUMS over every platform's zip")
    merged.add_argument("--dir", required=True, type=Path,
                        help="folder holding every platform's zip and the manifest")
    merged.add_argument("--platforms", default=",".join(REGISTRY_PLATFORMS),
                        help="comma-separated os_arch list that must be present "
                             "(default: %(default)s)")
    common(merged, manifest=False)

    args = parser.parse_args()
    version = checked_version(args.version)
    if args.command == "build":
        binary = build(args.profile)
        package(binary, version, args.out, host_os, host_arch, args.manifest)
    elif args.command == "package":
        package(args.binary, version, args.out, args.os, args.arch, args.manifest)
    else:
        platforms = [p.strip() for p in args.platforms.split(",") if p.strip()]
        merge(args.dir, version, platforms)


if __name__ == "__main__":
    main()
