from django.conf import settings

from cpw.site.navigation import navigation_for
from programmes.selectors import council_for_page


def portal(request):
    """What every page's layout needs: the council whose data the page shows (None on pages
    outside any council, which carry the portal's own name) and the navigation."""
    user = getattr(request, "user", None)
    council = council_for_page(request)
    return {
        "council": council,
        "council_name": council.name if council else settings.SERVICE_NAME,
        "service_name": settings.SERVICE_NAME,
        "primary_navigation": navigation_for(user, request.path, request) if user else [],
    }
