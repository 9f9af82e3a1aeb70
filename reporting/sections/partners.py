"""Section 9: the programme's partners."""

from birgemiz.models import Partner

from ..structure import PartnerRow


def partners(data):
    """[PartnerRow]."""
    return [
        PartnerRow(p.name, p.role, p.contact, p.note)
        for p in Partner.objects.filter(program=data.program).order_by("order", "id")
    ]
