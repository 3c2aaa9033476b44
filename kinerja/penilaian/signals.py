"""What the evaluation stage tells later stages (they listen; this stage imports none of them).

``evaluasi_final`` is sent inside the writing transaction each time an evaluation's final result is made:
when its group is finalised (again, after a reopening) and when a granted keberatan changes the final
ratings. kwargs: ``evaluasi`` (saved), ``sebab`` ("finalisasi" or "keberatan"). Receivers must not do slow
work here: tindak_lanjut queues the SIASN send for after the commit (docs/rules.md §21.9).
"""

from __future__ import annotations

from django.dispatch import Signal

evaluasi_final = Signal()
