from django.conf import settings

from cpw.site.navigation import navigation_for


def portal(request):
    user = getattr(request, "user", None)
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "primary_navigation": navigation_for(user, request.path) if user else [],
    }
