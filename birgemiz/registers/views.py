"""Admin pages for registers: upload → preview (new / updated / unchanged / errors) →
confirm; exports of a register, of a filtered changelist, and blank templates.

Every page is an admin view (staff login). Imports are scoped to the programmes the
user may edit (`editable_programs_for`): a grant officer gets 403, a programme
outside the user's organisation 404. Exports need only read access.
"""

import csv
import datetime
import io
import json
from decimal import Decimal

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from birgemiz import registers
from birgemiz.access import editable_programs_for, may_export_rows, program_for, programs_for
from birgemiz.jobs.services import clean_key, job_cancel, new_key, workers_seen
from birgemiz.roles import is_officer

from . import jobs
from .engine import MAX_FILE_BYTES, ImportReport, export_rows, write_table, write_template
from .models import ImportJob
from .reader import FileError, check_xlsx, limits

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _register_or_404(name):
    resource_class = registers.get(name)
    if resource_class is None:
        raise Http404("No such register")
    return resource_class


def _format(request, key="format"):
    fmt = request.GET.get(key, "xlsx")
    if fmt not in CONTENT_TYPES:
        raise Http404("Unknown format")
    return fmt


def _download(fmt, filename, write):
    out = io.BytesIO()
    write(out)
    response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _context(request, **extra):
    return {**admin.site.each_context(request), **extra}


def _may_import(user):
    return not is_officer(user) or user.is_superuser


class ImportForm(forms.Form):
    program = forms.ChoiceField(label=gettext_lazy("Programme"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "XLSX or CSV (UTF-8, separated by ; or ,). Headers in Kazakh, Russian or English."
        ),
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [(p.code, str(p)) for p in programs]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        # A zip's directory is read in milliseconds: refuse a decompression bomb at once
        # (the job checks again before parsing).
        if upload.read(4).startswith(b"PK"):
            rows, size, shared = limits()
            try:
                check_xlsx(upload, max_rows=rows, max_bytes=size, max_shared_strings=shared)
            except FileError as exc:
                raise forms.ValidationError(str(exc)) from None
        upload.seek(0)
        return upload


# ---------------------------------------------------------------- pages


def index(request):
    readable = programs_for(request.user)
    can_import = _may_import(request.user) and editable_programs_for(request.user).exists()
    recent = ImportJob.objects.filter(user=request.user).select_related("program")[:10]
    return render(
        request,
        "admin/registers/index.html",
        _context(
            request,
            title=_("Spreadsheet import and export"),
            registers=registers.all_registers(),
            programs=readable,
            can_import=can_import,
            # Row exports carry IINs and phones: officers and the operator take none.
            can_export=may_export_rows(request.user),
            jobs=recent,
        ),
    )


def import_start(request, name):
    resource_class = _register_or_404(name)
    if not _may_import(request.user):
        raise PermissionDenied
    editable = list(editable_programs_for(request.user))
    if not editable:
        raise PermissionDenied
    key = new_key()
    if request.method == "POST":
        code = request.POST.get("program", "")
        if code:
            program_for(request.user, code, write=True)  # 404 outside scope, 403 read-only
        key = clean_key(request.POST.get("request_key"))
        already = jobs.for_request(key)
        if already is not None and already.user_id == request.user.pk:  # a double click, a reload
            return redirect("registers:job", pk=already.pk)
        form = ImportForm(request.POST, request.FILES, programs=editable)
        if form.is_valid():
            program = next(p for p in editable if p.code == form.cleaned_data["program"])
            upload = form.cleaned_data["file"]
            job = ImportJob(
                program=program,
                user=request.user,
                register=name,
                original_name=upload.name[:255],
                report={"language": translation.get_language()},
            )
            job.file.save(f"{slugify(name)}-{timezone.now():%Y%m%d%H%M%S}.upload", upload, save=False)
            job.save()
            started = jobs.start(job, key)
            if started.pk != job.pk:  # the same request won the race: keep one import
                jobs.drop_file(job)
                job.delete()
            return redirect("registers:job", pk=started.pk)
    else:
        form = ImportForm(programs=editable, initial={"program": request.GET.get("program", "")})
    return render(
        request,
        "admin/registers/import.html",
        _context(
            request,
            title=_("Import: %(register)s") % {"register": resource_class.verbose_name},
            form=form,
            register=resource_class,
            name=name,
            request_key=key,
            limits=dict(zip(("rows", "bytes", "shared"), limits(), strict=True)),
        ),
    )


def _job_or_404(request, pk):
    job = get_object_or_404(
        ImportJob.objects.select_related("program", "user", "job"),
        pk=pk,
        program__in=editable_programs_for(request.user),
    )
    if job.user_id != request.user.pk and not request.user.is_superuser:
        raise Http404("No such import")
    return job


def job_detail(request, pk):
    job = _job_or_404(request, pk)
    progress = jobs.progress(job)  # reaps the phase when its worker died
    report = ImportReport.from_dict(job.report)
    resource_class = registers.get(job.register)
    errors = report.errors
    shown = errors[:1000]
    return render(
        request,
        "admin/registers/job.html",
        _context(
            request,
            title=_("Import: %(register)s")
            % {"register": resource_class.verbose_name if resource_class else job.register},
            job=job,
            report=report,
            errors=shown,
            more_errors=len(errors) - len(shown),
            progress=progress,
            # A queued import waits for a worker: say so when none is running.
            no_worker=job.status == ImportJob.Status.QUEUED and not workers_seen(),
            request_key=new_key(),
            can_confirm=job.finished
            and job.phase == ImportJob.Phase.PREVIEW
            and report.ok
            and bool(job.file),
        ),
    )


@require_POST
def job_confirm(request, pk):
    job = _job_or_404(request, pk)
    report = ImportReport.from_dict(job.report)
    if not (job.finished and job.phase == ImportJob.Phase.PREVIEW and report.ok and job.file):
        messages.error(request, _("This import cannot be confirmed."))
        return redirect("registers:job", pk=job.pk)
    job.phase = ImportJob.Phase.IMPORT
    job.status = ImportJob.Status.QUEUED
    job.report = {"language": translation.get_language()}
    job.finished_at = None
    job.save()
    jobs.start(job, clean_key(request.POST.get("request_key")))
    return redirect("registers:job", pk=job.pk)


@require_POST
def job_cancel_view(request, pk):
    job = _job_or_404(request, pk)
    if job.job is not None and job_cancel(job.job):
        messages.info(request, _("Cancelling: nothing of this import is written."))
    elif not job.finished:  # no background job behind it (started before jobs existed)
        job.status = ImportJob.Status.CANCELLED
        job.report = {
            "file_error": _("Cancelled; nothing was written."),
            "language": translation.get_language(),
        }
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "report", "finished_at"])
        jobs.drop_file(job)
    return redirect("registers:job", pk=job.pk)


def job_errors_csv(request, pk):
    job = _job_or_404(request, pk)
    report = ImportReport.from_dict(job.report)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow([_("Row"), _("Column"), _("Problem")])
    for error in report.errors:
        writer.writerow([error["row"], error["column"], error["message"]])
    response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="errors-{job.pk}.csv"'
    return response


def export(request, name):
    resource_class = _register_or_404(name)
    if not may_export_rows(request.user):
        raise PermissionDenied  # rows carry IINs and phones: officers download aggregates
    program = program_for(request.user, request.GET.get("program", ""))
    fmt = _format(request)
    resource = resource_class(program=program, user=request.user)
    headers, rows = export_rows(resource)
    filename = f"{name}-{program.code}"
    return _download(fmt, filename, lambda out: write_table(fmt, headers, rows, out, sheet_title=name))


def template(request, name):
    _register_or_404(name)
    fmt = _format(request)
    program = None
    code = request.GET.get("program")
    if code:
        program = program_for(request.user, code)
    return _download(fmt, f"{name}-template", lambda out: write_template(name, fmt, out, program=program))


def _model_admin(app_label, model_name):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404("No such admin page") from None
    if not admin.site.is_registered(model):
        raise Http404("No such admin page")
    return model, admin.site.get_model_admin(model)


def model_import(request, app_label, model_name):
    model, _model_admin_obj = _model_admin(app_label, model_name)
    resource_class = registers.for_model(model)
    if resource_class is None:
        raise Http404("No register for this model")
    return redirect("registers:import", name=resource_class.name)


def model_template(request, app_label, model_name):
    model, _model_admin_obj = _model_admin(app_label, model_name)
    resource_class = registers.for_model(model)
    if resource_class is None:
        raise Http404("No register for this model")
    return template(request, resource_class.name)


def changelist_export(request, app_label, model_name):
    """The changelist as filtered (search, filters, ordering), scoped by its admin."""
    model, model_admin = _model_admin(app_label, model_name)
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    fmt = _format(request, "_format")
    params = request.GET.copy()
    params.pop("_format", None)
    request.GET = params
    try:
        queryset = model_admin.get_changelist_instance(request).get_queryset(request)
    except IncorrectLookupParameters:
        messages.error(request, _("The filter in the address is not valid."))
        return redirect(reverse(f"admin:{app_label}_{model_name}_changelist"))
    return export_queryset_response(model, queryset, fmt, request.user)


def export_queryset_response(model, queryset, fmt, user):
    if not may_export_rows(user):
        raise PermissionDenied
    resource_class = registers.for_model(model)
    filename = f"{model._meta.model_name}-{timezone.localdate():%Y%m%d}"
    if resource_class is not None:
        resource = resource_class(program=_single_program(resource_class, queryset), user=user)
        scoped = resource.export_queryset().filter(pk__in=queryset.values("pk"))
        headers, rows = export_rows(resource, scoped)
    else:
        headers, rows = generic_rows(model, queryset)
    return _download(
        fmt, filename, lambda out: write_table(fmt, headers, rows, out, sheet_title=model._meta.model_name)
    )


def _single_program(resource_class, queryset):
    from birgemiz.models import Program

    ids = list(queryset.order_by().values_list(f"{resource_class.program_path}", flat=True).distinct()[:2])
    return Program.objects.filter(pk=ids[0]).first() if len(ids) == 1 else None


def generic_rows(model, queryset):
    """Any other model: its fields as the admin shows them (choices by label, relations by name)."""
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    relations = [f.name for f in concrete if f.is_relation]
    headers = ["ID"] + [str(f.verbose_name) for f in concrete]

    def value(obj, field):
        if field.is_relation:
            related = getattr(obj, field.name)
            return "" if related is None else str(related)
        if field.choices:
            return str(getattr(obj, f"get_{field.name}_display")())
        raw = getattr(obj, field.attname)
        if isinstance(raw, bool):
            return _("yes") if raw else _("no")
        if hasattr(raw, "tzinfo") and getattr(raw, "tzinfo", None) is not None:
            return timezone.localtime(raw).replace(tzinfo=None)
        if raw is None:
            return ""
        if isinstance(raw, FieldFile):  # a stored file: its name, never the file object
            return raw.name or ""
        if isinstance(raw, (dict, list)):  # JSON (the audit trail's changes)
            return json.dumps(raw, ensure_ascii=False, default=str)
        if not isinstance(raw, (str, int, float, Decimal, datetime.date)):
            return str(raw)
        return raw

    def rows():
        for obj in queryset.select_related(*relations).iterator(chunk_size=2000):
            yield [obj.pk] + [value(obj, f) for f in concrete]

    return headers, rows()


def export_selected(modeladmin, request, queryset, fmt="xlsx"):
    return export_queryset_response(queryset.model, queryset, fmt, request.user)


def export_selected_xlsx(modeladmin, request, queryset):
    return export_selected(modeladmin, request, queryset, "xlsx")


def export_selected_csv(modeladmin, request, queryset):
    return export_selected(modeladmin, request, queryset, "csv")


export_selected_xlsx.short_description = gettext_lazy("Export the selected rows to Excel (XLSX)")
export_selected_csv.short_description = gettext_lazy("Export the selected rows to CSV")
