"""What the media app tells the apps downstream of it (cases connects in its receivers)."""

from django.dispatch import Signal

# Sent after commit, with `report_ids`: the reports whose media have all been processed (ready
# or failed), so they may now be placed, or matched again by what their media showed.
media_processed = Signal()
