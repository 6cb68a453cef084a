"""Certification (SOP 4.3-4.4): the LSP's decision, certificates and their public verification."""
from shared.service import declare

definition = declare(__name__, "CertificationApp", pages=True)
