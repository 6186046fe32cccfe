"""`python -m checkov_ack ...` is `checkov-ack ...`."""

from checkov_ack.cli import main

# The guard matters: engine worker processes are spawned, and a spawned child imports the
# parent's main module (as __mp_main__); without it every worker would run the CLI again.
if __name__ == "__main__":
    raise SystemExit(main())
