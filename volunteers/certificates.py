"""Certificate PDFs in the certificate's language, through the core's PDF helper
(`birgemiz.pdf`: DejaVu Sans embedded so Kazakh letters print on any server, and no
URL fetched but the vendored fonts), each with a QR code of its verification page."""

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from birgemiz.pdf import font_uris, html_to_pdf


def render_certificate_pdf(cert, request=None):
    verify_path = reverse("volunteers:verify", args=[cert.code])
    verify_url = request.build_absolute_uri(verify_path) if request is not None else verify_path
    # Inline SVG (the PDF renderer fetches no URL, data: ones included); a phone's camera
    # opens the verification page from it.
    qr_svg = mark_safe(segno.make(verify_url, error="m").svg_inline(scale=3, border=2, omitsize=True))  # noqa: S308
    with translation.override(cert.language):
        html = render_to_string(
            "volunteers/certificate_pdf.html",
            {
                "cert": cert,
                "volunteer": cert.volunteer,
                "program": cert.program,
                "verify_url": verify_url,
                "qr_svg": qr_svg,
                **font_uris(),
            },
        )
    return html_to_pdf(html)
