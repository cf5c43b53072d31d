"""Clinic mode, part 2: what a patient shares with each clinician, the clinician's pages, and the audit trail."""
