"""What the public ledger holds about a person (UU PDP): nothing by which anyone else can find
them. A leaf names a person only by a keyed hash that includes the event's id, so no two leaves
share one and nobody can follow a person through the log; the details are one keyed hash. It is
listed in the processing register because it is built from everyone's case events, and because
it is kept for good: erasing a person's data leaves the log as it is, and it then says nothing
about them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gerbang.core.data_subjects import Activity, Basis, Provider, register

ACTIVITIES = (
    Activity(
        key="ledger.log",
        name=_("Public ledger of case events"),
        data=_(
            "For every step of a case, payment, booking, report and staff read: its number, kind, "
            "office and time; people only as keyed hashes that differ from entry to entry; the "
            "details as one keyed hash. No name, NIK, passport or application number"
        ),
        purpose=_(
            "Letting anyone check that no step of anyone's case was changed or removed afterwards, "
            "and that everyone is shown the same history"
        ),
        basis=Basis.PUBLIC_TASK,
        law="UU No. 25/2009 (Pelayanan Publik); UU No. 14/2008 (Keterbukaan Informasi Publik)",
        retention=_("Kept for good; once a person's data is erased, nothing in it leads to them"),
        recipients=_("Everyone: it is published, with independent witnesses who keep copies"),
    ),
)

register(Provider(key="ledger", activities=ACTIVITIES))
