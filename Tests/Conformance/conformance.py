"""Runs every conformance test through the installed Zoho SDK against a fresh emulator process.

Usage: python conformance.py BINARY FIXTURE LABEL COUNTS_FILE
Prints one line per failed expectation; writes "passed failed" to COUNTS_FILE."""

import logging
import sys
import traceback

from harness import Emulator, Ledger


class Context:
    """What every test gets: the emulator, the SDK session, the ledger, the API version."""

    def __init__(self, emu, session, ledger, version):
        self.emu = emu
        self.sdk = session
        self.ledger = ledger
        self.version = version
        self.module_ids = {}


def main():
    # The SDK logs its own errors with a bad format string; keep that noise out of the report.
    logging.raiseExceptions = False
    binary, fixture, label, counts = sys.argv[1:5]
    ledger = Ledger(label)
    emu = Emulator(binary, fixture)
    try:
        run_all(emu, ledger)
    finally:
        emu.stop()
        with open(counts, "w") as out:
            out.write("%d %d\n" % (ledger.passed, ledger.failed))


def run_all(emu, ledger):
    """Initialises the SDK (its token grant is the first test), then runs each group; a group that raises
    counts as one failure and the others still run."""
    import sdk
    import tests_basic
    import tests_inventory
    import tests_leads

    try:
        session = sdk.Session(emu.base)
    except Exception as error:
        ledger.crashed("SDK initialisation against the emulator", error)
        return
    ctx = Context(emu, session, ledger, sdk.VERSION)
    groups = [tests_basic.test_token_grant, tests_basic.test_metadata]
    for module in (tests_basic, tests_inventory, tests_leads):
        groups += [getattr(module, n) for n in sorted(dir(module)) if n.startswith("test_")]
    done = set()
    for group in groups:
        if group in done:
            continue
        done.add(group)
        try:
            group(ctx)
        except Exception as error:
            ledger.crashed(group.__name__, error)
            traceback.print_exc(limit=3, file=sys.stderr)
        try:
            session.restore()
        except Exception as error:
            ledger.crashed("restore token after " + group.__name__, error)


if __name__ == "__main__":
    main()
