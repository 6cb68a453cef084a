"""Registration (SOP 1.1-1.3, 2.1): the scheme catalogue, FR.APL.01 and FR.APL.02, the invoice and
payment, the feasibility review, and the e-mail notices to the asesi."""
from shared.service import declare

definition = declare(__name__, "RegistrationApp", pages=True, case_part=False, workers="notices.background_workers")
