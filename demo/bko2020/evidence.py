"""Evidence files: the meetings' photos, minutes and participant lists, the tracks'
photos and the appendix documents. Files are tiny generated PNGs and PDFs (`files.py`)."""

from birgemiz.models import Evidence

from . import content, files
from .base import BATCH


class EvidenceMixin:
    """Evidence records with their files, saved as they are built (removed again on failure)."""

    def photo(self, rng, **fields):
        ev = Evidence(program=self.program, kind=Evidence.Kind.PHOTO, **fields)
        self.save_file(ev.file, "photo.png", files.png(self.colour(rng)))
        return ev

    def document(self, name, text, **fields):
        ev = Evidence(program=self.program, **fields)
        self.save_file(ev.file, name, files.pdf(text))
        return ev

    def make_meeting_evidence(self, rng, meetings, activity):
        evidence = []
        for i, meeting in enumerate(meetings, start=1):
            label = f"{meeting.date:%d.%m.%Y}, {meeting.place}"
            evidence += [
                self.photo(rng, activity=activity, meeting=meeting, title=f"Кездесу №{i}, фото {k}: {label}")
                for k in range(1, 6)
            ]
            for kind, title, text in (
                (Evidence.Kind.MINUTES, "хаттамасы", "minutes"),
                (Evidence.Kind.PARTICIPANT_LIST, "қатысушылар тізімі", "participant list"),
            ):
                evidence.append(
                    self.document(
                        f"{text.replace(' ', '-')}.pdf",
                        f"Birgemiz: Bilim, BKO 2020 - meeting {i} {text}, {meeting.date}",
                        activity=activity,
                        meeting=meeting,
                        kind=kind,
                        title=f"Кездесу №{i} {title}: {label}",
                    )
                )
        evidence[0].full_clean()
        Evidence.objects.bulk_create(evidence, batch_size=BATCH)

    def make_documents(self):
        rng = self.rng("documents")
        evidence = []
        for key, count in content.TRACK_PHOTOS.items():
            activity = self.activities[key]
            track = self.track_by_task[activity.task.number]
            evidence += [
                self.photo(rng, activity=activity, title=f"{track.name_kk}: онлайн сабақтан фото {k}")
                for k in range(1, count + 1)
            ]
        for n, (key, kind, title) in enumerate(content.DOCUMENTS, start=1):
            evidence.append(
                self.document(
                    "document.pdf",
                    f"Birgemiz: Bilim, BKO 2020 - appendix document {n}",
                    activity=self.activities[key],
                    kind=kind,
                    title=title,
                )
            )
        evidence[0].full_clean()
        Evidence.objects.bulk_create(evidence)
