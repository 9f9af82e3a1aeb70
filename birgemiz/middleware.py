"""Responses of the application are never stored by a browser or a proxy.

Nearly every page shows personal data (students, scores, applications) or a live link
(activation, a personal test, a password reset); a public page costs nothing to fetch
again. Static files are served earlier by WhiteNoise and keep their long cache.
"""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") or "no-store" not in response["Cache-Control"]:
            add_never_cache_headers(response)
        return response
