"""Certificate PDFs (WeasyPrint) in the certificate's language, with DejaVu Sans embedded
so Kazakh letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і) print on any server."""

from pathlib import Path

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

FONTS = Path(__file__).resolve().parent / "fonts"


def render_certificate_pdf(cert, request=None):
    from weasyprint import HTML

    verify_path = reverse("volunteers:verify", args=[cert.code])
    verify_url = request.build_absolute_uri(verify_path) if request is not None else verify_path
    with translation.override(cert.language):
        html = render_to_string(
            "volunteers/certificate_pdf.html",
            {
                "cert": cert,
                "volunteer": cert.volunteer,
                "program": cert.program,
                "verify_url": verify_url,
                "font_regular": (FONTS / "DejaVuSans.ttf").as_uri(),
                "font_bold": (FONTS / "DejaVuSans-Bold.ttf").as_uri(),
            },
        )
    return HTML(string=html, base_url=str(FONTS)).write_pdf()
