"""Pagination for our pages: one page of a list plus links to its neighbours."""

from django.core.paginator import Paginator

PAGE_SIZE = 25


def page_of(request, queryset, param="page", size=PAGE_SIZE):
    """A page plus links to its neighbours that keep the other lists' page numbers, so
    several paginated lists can share one page."""
    page = Paginator(queryset, size).get_page(request.GET.get(param))

    def link(number):
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}"

    page.prev_url = link(page.previous_page_number()) if page.has_previous() else None
    page.next_url = link(page.next_page_number()) if page.has_next() else None
    return page
