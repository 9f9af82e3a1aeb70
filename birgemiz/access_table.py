"""What each role may request: every URL of the site and every admin model, one table.

The roles are those of `birgemiz.roles`, plus the anonymous visitor. `PAGES` lists, for
every named URL, the methods each role gets an answer to (anything else is refused:
403, 404, 405, 410 or the log-in page); `ADMIN` lists, for every admin model, what each
role may do there: `view` (the list and the read-only page), `add`, `change`, `delete`
and `action:<name>` for each action of the list's menu.

The rows of a page are still limited by the role's scope (`birgemiz.access`): a
coordinator's pages show their organisation's programmes, a volunteer's their own
groups, a council member's their seats' applications; a job's pages answer the one who
started it. tests/test_access_table.py requests every URL pattern and every admin page
and action as each role over one programme with a row of everything and compares the
answers with this table, which must also name every URL and admin model the site has.
"""

ANONYMOUS = "anonymous"
VOLUNTEER = "volunteer"
COUNCIL = "council"
COORDINATOR = "coordinator"
OFFICER = "officer"
OPERATOR = "operator"
ROLES = (ANONYMOUS, VOLUNTEER, COUNCIL, COORDINATOR, OFFICER, OPERATOR)

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}
# Back office: coordinators write their programmes; officers and the operator read all.
STAFF = frozenset({COORDINATOR, OFFICER, OPERATOR})
WRITER = frozenset({COORDINATOR})
NOBODY = frozenset()


def _read(roles):
    return {"GET": roles}


def _write(roles):
    return {"POST": roles}


def _form(roles):
    return {"GET": roles, "POST": roles}


def _page_and_write(readers, writers):
    return {"GET": readers, "POST": writers}


PAGES = {
    # Public pages and links that carry their own secret (no account needed).
    "home": _read(EVERYONE),
    "healthz": _read(EVERYONE),
    "set_language": _form(EVERYONE),
    "login": _form(EVERYONE),
    "logout": _write(EVERYONE),
    "password_reset": _form(EVERYONE),  # throttled per address and account (birgemiz.accounts)
    "password_reset_done": _read(EVERYONE),
    "password_reset_confirm": _form(EVERYONE),
    "password_reset_complete": _read(EVERYONE),
    "volunteers:apply": _form(EVERYONE),
    "volunteers:apply-thanks": _read(EVERYONE),
    "volunteers:verify-check": _read(EVERYONE),  # the box to type a certificate's code
    "volunteers:verify": _read(EVERYONE),  # a certificate's public code
    "volunteers:activate": _form(EVERYONE),  # a one-time, expiring activation link
    "invitation": _form(EVERYONE),  # a one-time, expiring invitation link
    # The year at a glance: every reader of the programme; a new year from a template:
    # coordinators (for their organisation) and the operator.
    "reporting:year": _read(STAFF),
    "reporting:programme-new": _form(frozenset({COORDINATOR, OPERATOR})),
    "assessments:take": _form(EVERYONE),  # a student's personal test link
    "assessments:question": _form(EVERYONE),
    "assessments:review": _read(EVERYONE),
    "assessments:submit": _write(EVERYONE),
    "surveys:public": _form(EVERYONE),
    "surveys:thanks": _read(EVERYONE),
    # Every account.
    "password_change": _form(SIGNED_IN),
    "password_change_done": _read(SIGNED_IN),
    # Two-factor: staff accounts. Making recovery codes and turning it off also need an
    # authenticator and its code this session (tests/test_two_factor.py); the world of the
    # access test gives no account one, so here they refuse everyone.
    "two-factor": _read(STAFF),
    "two-factor-setup": _form(STAFF),
    "two-factor-verify": _form(SIGNED_IN),  # sends an account with nothing to verify on
    "two-factor-recovery-codes": _write(NOBODY),
    "two-factor-disable": _write(NOBODY),
    # Volunteers: their own groups, lessons, scores and test links.
    "assessments:portal": _read(SIGNED_IN),  # sends staff and council members to their pages
    "assessments:group": _read(frozenset({VOLUNTEER})),
    "assessments:scores": _form(frozenset({VOLUNTEER})),
    "assessments:student": _read(frozenset({VOLUNTEER})),
    "assessments:group_links": _read(frozenset({VOLUNTEER})),
    "assessments:group_links_issue": _write(frozenset({VOLUNTEER})),
    "assessments:my_tests": _read(frozenset({VOLUNTEER})),
    "courses:lesson_new": _form(frozenset({VOLUNTEER})),
    "courses:lesson_edit": _form(frozenset({VOLUNTEER})),
    "courses:lesson_delete": _write(frozenset({VOLUNTEER})),
    # Council members: their seats' applications, and their own scores of them.
    "volunteers:council": _read(frozenset({COUNCIL})),
    "volunteers:council-application": _form(frozenset({COUNCIL})),
    # Programme pages: staff read, coordinators write. Officers and the operator never
    # write, never see a live link (activation, test) and never take rows of people.
    "volunteers:ranking": _read(STAFF),
    "volunteers:meetings": _page_and_write(STAFF, WRITER),
    "volunteers:meeting": _page_and_write(STAFF, WRITER),  # links only on writers' answers
    "volunteers:meeting-decide": _write(WRITER),
    "volunteers:meeting-minutes": _read(STAFF),
    "volunteers:activation-reissue": _write(WRITER),
    "volunteers:certificate-pdf": _read(STAFF),
    "evidence-download": _read(STAFF),  # not council members, not volunteers
    "courses:hours_xlsx": _read(STAFF),  # hours per volunteer: no IIN, phone or birth date
    "courses:confirm_many": _write(WRITER),
    "courses:confirm": _write(WRITER),
    "courses:reject": _write(WRITER),
    "assessments:lessons": _read(STAFF),
    "assessments:training": _page_and_write(STAFF, WRITER),
    "assessments:training-event": _page_and_write(STAFF, WRITER),
    "assessments:certificates": _read(STAFF),
    "assessments:certificate-issue": _write(WRITER),
    "assessments:awards": _read(STAFF),
    "assessments:awards-confirm": _write(WRITER),
    "assessments:quiz_list": _read(STAFF),
    "assessments:quiz_detail": _read(STAFF),
    "assessments:quiz_import_template": _read(STAFF),
    "assessments:quiz_import": _page_and_write(STAFF, WRITER),
    "assessments:quiz_links": _read(WRITER),  # live test links
    "assessments:quiz_links_print": _read(WRITER),  # live test links, with QR codes
    "assessments:quiz_links_xlsx": _read(WRITER),  # live test links
    "assessments:quiz_issue": _write(WRITER),
    "assessments:conflicts": _read(STAFF),
    "assessments:conflict_resolve": _write(WRITER),
    "surveys:list": _read(STAFF),
    "surveys:results": _read(STAFF),
    "surveys:results-xlsx": _read(STAFF),  # answers without IIN, name or birth date
    "surveys:enrol": _form(WRITER),
    "reporting:report": _read(STAFF),
    "reporting:issue": _write(WRITER),
    "reporting:issued-download": _read(STAFF),
    # The nationwide dashboard: aggregates of the programmes in the reader's scope.
    "dashboard:index": _read(STAFF),
    "dashboard:recheck": _write(STAFF),
    "dashboard:consolidated": _write(STAFF),
    # Background jobs: the one who started it (in the test's world, the coordinator).
    "jobs:list": _read(SIGNED_IN),  # one's own jobs (none for most roles: an empty list)
    "jobs:detail": _read(WRITER),
    "jobs:status": _read(WRITER),
    "jobs:cancel": _write(WRITER),
    "jobs:download": _read(WRITER),
    # Spreadsheet registers in the admin: rows in and out only for coordinators.
    "registers:index": _form(STAFF),  # the list of registers; a POST reads the same
    "registers:template": _form(STAFF),  # an empty template
    "registers:model-template": _form(STAFF),
    "registers:import": _form(WRITER),
    "registers:model-import": _form(WRITER),  # sends on to registers:import
    "registers:export": _form(WRITER),
    "registers:changelist-export": _form(WRITER),
    "registers:job": _form(WRITER),  # an import job: the one who started it
    "registers:job-confirm": _write(WRITER),
    "registers:job-cancel": _write(WRITER),
    "registers:job-errors": _form(WRITER),
    # Django's admin site around the models (the models are in ADMIN below).
    "admin:login": _form(EVERYONE),
    "admin:logout": _write(EVERYONE),
    "admin:index": _form(STAFF),
    "admin:app_list": _form(STAFF),
    "admin:jsi18n": _read(STAFF),
    "admin:password_change": _form(STAFF),
    "admin:password_change_done": _read(STAFF),
    "admin:autocomplete": _read(STAFF),  # only over rows the asker may see
    # No model has a page of its own on the site: "view on site" finds none for anyone.
    "admin:view_on_site": _read(NOBODY),
}

_EXPORT = frozenset({"action:registers_export_selected_csv", "action:registers_export_selected_xlsx"})
_ALL = frozenset({"view", "add", "change", "delete", "action:delete_selected"}) | _EXPORT
_READ = frozenset({"view"})
_READ_EXPORT = _READ | _EXPORT
# A programme's own records: its coordinators keep them (and take rows out), officers
# and the operator read them and take no rows out.
PROGRAMME_RECORD = {COORDINATOR: _ALL, OFFICER: _READ, OPERATOR: _READ}
# Written by the site itself (online tests, conflicts): coordinators read and delete.
SITE_WRITTEN = {COORDINATOR: _ALL - {"add", "change"}, OFFICER: _READ, OPERATOR: _READ}
# Shared reference data: the operator changes it; everyone in the back office reads it
# and may export it (it holds no personal data).
REFERENCE = {COORDINATOR: _READ_EXPORT, OFFICER: _READ_EXPORT, OPERATOR: _ALL}
# Accounts, log-in records, devices and the task queue: superusers only.
SUPERUSERS_ONLY = {}

ADMIN = {
    "birgemiz.region": REFERENCE,
    "birgemiz.district": REFERENCE,
    # Coordinators propose schools (their programme uses one at once) and delete their own
    # proposals; the operator approves, changes and deletes shared schools.
    "birgemiz.school": {
        COORDINATOR: _READ_EXPORT | {"add", "action:delete_selected"},
        OFFICER: _READ_EXPORT,
        OPERATOR: _ALL | {"action:approve"},
    },
    # The operator adds organisations and chooses their coordinators; a coordinator edits
    # their own organisation (its members only among accounts they may manage).
    "birgemiz.organization": {
        COORDINATOR: _READ_EXPORT | {"change"},
        OFFICER: _READ_EXPORT,
        OPERATOR: _READ_EXPORT | {"add", "change"},
    },
    "birgemiz.securitypolicy": {
        COORDINATOR: _READ_EXPORT,
        OFFICER: _READ_EXPORT,
        OPERATOR: _READ_EXPORT | {"change"},
    },
    # Invitations are sent and revoked, never edited: the operator invites coordinators,
    # officers and operators; a coordinator their organisation's coordinators and their
    # programmes' council members and volunteers.
    "birgemiz.invitation": {
        COORDINATOR: {"view", "add", "action:revoke", "action:resend"},
        OPERATOR: {"view", "add", "action:revoke", "action:resend"},
    },
    # The audit trail is read-only for everyone; coordinators export their programme's.
    "birgemiz.auditentry": {COORDINATOR: _READ_EXPORT, OFFICER: _READ, OPERATOR: _READ},
    # Activation links are never added or edited in the admin: made by a decision or
    # "Make a new link", revoked here.
    "volunteers.activationtoken": {
        COORDINATOR: _ALL - {"add", "change"} | {"action:revoke"},
        OFFICER: _READ,
        OPERATOR: _READ,
    },
    "courses.lesson": {
        COORDINATOR: _ALL | {"action:confirm_lessons", "action:reject_lessons"},
        OFFICER: _READ,
        OPERATOR: _READ,
    },
    "assessments.quizattempt": SITE_WRITTEN,
    "assessments.quizanswer": SITE_WRITTEN,
    "assessments.scoreconflict": SITE_WRITTEN,
    **{
        label: PROGRAMME_RECORD
        for label in (
            "birgemiz.program",
            "birgemiz.narrative",
            "birgemiz.task",
            "birgemiz.activity",
            "birgemiz.indicator",
            "birgemiz.track",
            "birgemiz.subject",
            "birgemiz.meeting",
            "birgemiz.infoworkgroup",
            "birgemiz.infoworkplan",
            "birgemiz.publication",
            "birgemiz.partner",
            "birgemiz.socioeconomicindicator",
            "birgemiz.projectproposal",
            "birgemiz.staterecommendation",
            "birgemiz.evidence",
            "courses.student",
            "courses.coursegroup",
            "courses.enrollment",
            "courses.attendance",
            "volunteers.volunteer",
            "volunteers.selectioncriterion",
            "volunteers.councilmember",
            "volunteers.councilmeeting",
            "volunteers.volunteerapplication",
            "volunteers.applicationscore",
            "volunteers.trainer",
            "volunteers.trainingevent",
            "volunteers.award",
            "volunteers.certificate",
            "assessments.testresult",
            "assessments.untoutcome",
            "assessments.contest",
            "assessments.contestentry",
            "assessments.quiz",
            "assessments.quizquestion",
            "assessments.quizchoice",
            "surveys.survey",
            "surveys.question",
            "surveys.choice",
            "surveys.surveyresponse",
            "surveys.answer",
        )
    },
    **{
        label: SUPERUSERS_ONLY
        for label in (
            "auth.user",
            "auth.group",
            "axes.accessattempt",
            "axes.accessfailurelog",
            "axes.accesslog",
            "otp_totp.totpdevice",
            "otp_static.staticdevice",
            "django_tasks_database.dbtaskresult",
        )
    },
}


def allowed_pages():
    """{url name: {method: set of roles}} with the empty entries left out."""
    return {
        name: {method: set(roles) for method, roles in methods.items() if roles}
        for name, methods in PAGES.items()
    }


def allowed_admin():
    """{model label: {role: set of rights}}."""
    return {
        label: {role: set(rights) for role, rights in by_role.items()} for label, by_role in ADMIN.items()
    }


def describe():
    """What each role may do, in words: {role: [lines]} (for the README and the notes)."""
    out = {role: [] for role in ROLES}
    for name, methods in PAGES.items():
        for method, roles in methods.items():
            for role in roles:
                out[role].append(f"{method} {name}")
    for label, by_role in ADMIN.items():
        for role, rights in by_role.items():
            if rights:
                out[role].append(f"admin {label}: {', '.join(sorted(rights))}")
    return out
