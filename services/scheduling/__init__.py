"""Scheduling (SOP 1.4-1.6, 2.4.1, 3.1-3.2): assessors, and assigning them to feasible cases."""
from shared.service import declare

definition = declare(__name__, "SchedulingApp", pages=True, workers="notices.background_workers")
