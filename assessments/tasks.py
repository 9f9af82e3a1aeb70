"""The assessments app's background work: importing a test's questions from XLSX."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from birgemiz.jobs import kinds, runner
from birgemiz.jobs.api import task

QUIZ_IMPORT = "quiz-import"
kinds.register(QUIZ_IMPORT, gettext_lazy("Importing the questions of a test from %(file)s"))


@task()
def import_quiz_questions(job_id):
    return runner.execute(job_id, _import)


def _import(job, progress):
    from .models import Quiz
    from .quiz_import import ImportFailed, quiz_questions_import

    quiz = Quiz.objects.filter(pk=job.params["quiz"], program=job.program).first()
    if quiz is None:
        raise runner.JobFailed(_("The test no longer exists."))
    with job.input_file.open("rb") as handle:
        try:
            count = quiz_questions_import(
                quiz=quiz, file=handle, replace=job.params.get("replace", False), check=progress.check
            )
        except ImportFailed as exc:
            errors = [{"row": e.row, "column": e.column, "message": str(e.message)} for e in exc.errors]
            summary = ngettext(
                "%(n)s error; nothing was imported.", "%(n)s errors; nothing was imported.", len(errors)
            ) % {"n": len(errors)}
            raise runner.JobFailed(summary, result={"errors": errors}) from None
    return {
        "summary": (
            _("Questions imported: %(n)s.") % {"n": count}
            if count
            else _("Every question of the file is in the test already: nothing was added.")
        ),
        "url": reverse("assessments:quiz_detail", args=[job.program.code, quiz.pk]),
    }
