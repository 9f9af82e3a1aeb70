"""Section 10: proposals for further projects, and the grant directions they choose."""

from birgemiz.models import ProjectProposal

from ..form import DIRECTIONS
from ..structure import Direction, ProposalRow

TEXTS = ("title", "justification", "goal", "tasks", "summary", "amount", "place", "expected_results")


def proposals(data):
    """([ProposalRow], [Direction] with the chosen ones marked)."""
    found = list(ProjectProposal.objects.filter(program=data.program).order_by("number", "id"))
    chosen = {p.grant_direction.strip() for p in found if p.grant_direction}
    directions = [
        Direction(num, ru if data.lang == "ru" else kk, num in chosen) for num, kk, ru in DIRECTIONS
    ]
    rows = [
        ProposalRow(p.number, *(data.text(p, name) for name in TEXTS), direction=p.grant_direction)
        for p in found
    ]
    return rows, directions
