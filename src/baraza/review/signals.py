"""Cases announce decisions; later stages (the tiplines) listen.

`case_decided` is sent after the transaction that decided the case commits, with `case_id`,
`decision_id` and `public` (the case is TLP:CLEAR, so its decision page is public). A signal
keeps data flowing one way: review knows nothing of the tiplines.
"""

from django.dispatch import Signal

case_decided = Signal()
