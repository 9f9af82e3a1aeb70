"""Section 9: the programme's partners."""

from birgemiz.models import Partner

from ..structure import PartnerRow


def partners(data):
    """[PartnerRow]."""
    return [
        PartnerRow(
            data.text(p, "name", proper=True), data.text(p, "role"), p.contact, data.text(p, "note")
        )
        for p in Partner.objects.filter(program=data.program).order_by("order", "id")
    ]
