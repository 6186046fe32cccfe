"""`python -m checkov_ack ...` is `checkov-ack ...`."""

from checkov_ack.cli import main

raise SystemExit(main())
