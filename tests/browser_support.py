"""Helpers shared by the browser tests."""


def reload_page(page):
    """Reload as a person presses F5, once the page has finished loading.

    Chromium can swap a page's renderer right after a navigation, and a reload sent at
    that moment fails with "Not attached to an active page" (seen once in CI): wait for
    the load, and if the reload still meets a detached target, load the same address
    again (a GET, as the reload would be)."""
    from playwright.sync_api import Error as PlaywrightError

    page.wait_for_load_state("load")
    try:
        page.reload()
    except PlaywrightError as error:
        if "Not attached to an active page" not in str(error):
            raise
        page.goto(page.url)
