"""`python -m voicecheck` and the `voicecheck` command: the CLI, with Ctrl-C during its start said as such.

The CLI's imports take a moment; Ctrl-C within them would print a traceback, as no handler
is in place yet: the run exits 130, as an interrupted run does once it has begun.
"""

import sys


def main() -> None:
    try:
        from voicecheck.cli import run
    except KeyboardInterrupt:
        sys.exit(130)  # the CLI's Exit.INTERRUPTED, which it has not imported yet
    run()


if __name__ == "__main__":
    main()
