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
        """Five photos, the minutes and the participant list of every meeting, numbered as
        series: the seed names no meeting, so the titles say only what each document is."""
        evidence = []
        photo = 0
        for i, meeting in enumerate(meetings, start=1):
            for _k in range(5):
                photo += 1
                evidence.append(
                    self.photo(
                        rng,
                        activity=activity,
                        meeting=meeting,
                        title=f"Кездесу фотосуреті №{photo}",
                        title_ru=f"Фотография встречи №{photo}",
                    )
                )
            for kind, kk, ru, text in (
                (Evidence.Kind.MINUTES, "Кездесу хаттамасы", "Протокол встречи", "minutes"),
                (Evidence.Kind.PARTICIPANT_LIST, "Кездесуге қатысушылар тізімі", "Список участников встречи",
                 "participant list"),
            ):
                evidence.append(
                    self.document(
                        f"{text.replace(' ', '-')}.pdf",
                        f"Birgemiz: Bilim, BKO 2020 - meeting {i} {text}",
                        activity=activity,
                        meeting=meeting,
                        kind=kind,
                        title=f"{kk} №{i}",
                        title_ru=f"{ru} №{i}",
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
                self.photo(
                    rng,
                    activity=activity,
                    title=f"{track.name_kk}: онлайн сабақтың фотосуреті №{k}",
                    title_ru=f"{track.name_ru}: фотография онлайн-занятия №{k}",
                )
                for k in range(1, count + 1)
            ]
        for n, (key, kind, title, title_ru, day) in enumerate(content.DOCUMENTS, start=1):
            evidence.append(
                self.document(
                    "document.pdf",
                    f"Birgemiz: Bilim, BKO 2020 - appendix document {n}",
                    activity=self.activities[key],
                    kind=kind,
                    title=title,
                    title_ru=title_ru,
                    date=day,
                )
            )
        evidence[0].full_clean()
        Evidence.objects.bulk_create(evidence)
