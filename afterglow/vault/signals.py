"""What the vault tells the apps above it, without importing them."""

from django.dispatch import Signal

# Sent once a new journal is created and open (`afterglow init`, the setup page);
# the journal app makes the local patient then, so it exists from the start.
journal_created = Signal()
