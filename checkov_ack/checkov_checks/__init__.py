"""Checkov external checks CKV_ACK_1..16 (`checkov --external-checks-dir "$(checkov-ack checkov-dir)"`).

Checkov loads `.py` files only from folders with an `__init__.py`, by file name (so the file names
are unique: Checkov puts each under its bare name in sys.modules). It loads every other `.py` here
as a check module too, so the checks' common body lives outside, in checkov_bridge.AckCheck; each
module here only names its framework.
"""
