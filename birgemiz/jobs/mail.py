"""Every e-mail goes out through the e-mail task, never inside the request.

`QueuedEmailBackend` is the project's EMAIL_BACKEND: Django's `send_mail`, the password
reset form and any later sender (invitations) hand it messages as usual; it turns each
into a job of kind "email" and the worker's `send_email` task passes it to
EMAIL_DELIVERY_BACKEND (the console by default, SMTP when EMAIL_HOST is set). A slow or
unreachable mail server then costs the person nothing, and a failed delivery is
recorded (and retried once if the worker died). The body, which may hold a one-time
link, is dropped from the job once the message is sent.
"""

import base64

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from birgemiz.audit import current_actor

from . import kinds, runner
from .api import task
from .services import job_start, new_key

KIND = "email"
kinds.register(KIND, gettext_lazy("E-mail: %(subject)s"))


def message_to_dict(message):
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple) and hasattr(attachment, "filename"):
            attachment = (attachment.filename, attachment.content, attachment.mimetype)
        if isinstance(attachment, tuple):
            name, content, mimetype = attachment
            data = content.encode("utf-8") if isinstance(content, str) else content
            attachments.append([name, base64.b64encode(data).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def message_from_dict(data):
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in data["attachments"]:
        message.attach(name, base64.b64decode(content), mimetype)
    return message


class QueuedEmailBackend(BaseEmailBackend):
    """Queue each message as an e-mail job; `send_messages` returns how many were queued."""

    def send_messages(self, email_messages):
        queued = 0
        user, _source = current_actor()
        for message in email_messages:
            if not isinstance(message, EmailMessage) or not message.recipients():
                continue
            data = message_to_dict(message)
            job_start(
                kind=KIND,
                task=send_email,
                key=new_key(),
                user=user,
                params={"subject": data["subject"][:200], "message": data},
            )
            queued += 1
        return queued


@task()
def send_email(job_id):
    return runner.execute(job_id, _send)


def _send(job, progress):
    data = job.params["message"]
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
    if connection.send_messages([message_from_dict(data)]) != 1:
        raise runner.JobFailed(_("The mail server did not accept the message."))
    recipients = len(data["to"]) + len(data["cc"]) + len(data["bcc"])
    return {
        "summary": _("Sent to %(n)s recipient(s).") % {"n": recipients},
        # The body may hold a one-time link: keep only what the message was.
        "params": {"task": job.params["task"], "subject": data["subject"][:200], "recipients": recipients},
    }
