#!/usr/bin/env python3
"""Release artifacts for one platform, in the layout the Terraform Registry and
provider mirrors expect (`make release`):

  terraform-provider-identitycenter_<VERSION>_<os>_<arch>.zip
      holding terraform-provider-identitycenter_v<VERSION> (mode 0755)
  terraform-provider-identitycenter_<VERSION>_manifest.json
      terraform-registry-manifest.json from the repository root
  terraform-provider-identitycenter_<VERSION>_SHA256SUMS
      "<sha256>  <file>" for the zip and the manifest

The zip is reproducible: fixed timestamps and permissions, so the same binary
always gives the same `zh:` hash. Only the standard library is used.
"""

import argparse
import hashlib
import json
import platform
import sys
import tomllib
import zipfile
from pathlib import Path

NAME = "terraform-provider-identitycenter"
ROOT = Path(__file__).resolve().parent.parent

# Terraform's (Go's) names for operating systems and architectures.
GO_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64",
           "i386": "386", "i686": "386", "armv7l": "arm", "armv6l": "arm"}


def host_platform():
    system = platform.system().lower()
    machine = platform.machine().lower()
    return system, GO_ARCH.get(machine, machine)


def fail(message):
    print(f"release: {message}", file=sys.stderr)
    sys.exit(1)


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
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main():
    os_name, arch = host_platform()
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, type=Path, help="the provider binary to package")
    parser.add_argument("--version", required=True, help="release version, e.g. 0.1.0")
    parser.add_argument("--out", required=True, type=Path, help="directory for the artifacts")
    parser.add_argument("--os", default=os_name, help=f"target OS (default: {os_name})")
    parser.add_argument("--arch", default=arch, help=f"target architecture (default: {arch})")
    parser.add_argument("--manifest", type=Path, default=ROOT / "terraform-registry-manifest.json")
    args = parser.parse_args()

    crate_version = tomllib.loads((ROOT / "Cargo.toml").read_text())["package"]["version"]
    if args.version != crate_version:
        fail(f"version {args.version} differs from Cargo.toml's {crate_version}: "
             "release what the binary says it is")
    if not args.binary.is_file():
        fail(f"no binary at {args.binary}")
    manifest = checked_manifest(args.manifest)

    args.out.mkdir(parents=True, exist_ok=True)
    prefix = f"{NAME}_{args.version}"
    zip_path = args.out / f"{prefix}_{args.os}_{args.arch}.zip"
    manifest_path = args.out / f"{prefix}_manifest.json"
    sums_path = args.out / f"{prefix}_SHA256SUMS"

    entry = zipfile.ZipInfo(f"{NAME}_v{args.version}", date_time=(1980, 1, 1, 0, 0, 0))
    entry.create_system = 3  # Unix, so that the mode bits below are honoured
    entry.external_attr = (0o100755 & 0xFFFF) << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr(entry, args.binary.read_bytes(), compresslevel=9)

    manifest_path.write_bytes(manifest)
    sums = "".join(f"{sha256(p)}  {p.name}\n" for p in sorted([zip_path, manifest_path]))
    sums_path.write_text(sums)

    for path in (zip_path, manifest_path, sums_path):
        print(path)


if __name__ == "__main__":
    main()
