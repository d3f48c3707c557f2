from rest_framework import permissions


class PublicRead(permissions.BasePermission):
    """Anyone may ask; the viewset's scope decides which rows they see (`api.scopes`). The API
    has no write handlers, so any other method is answered 405."""

    def has_permission(self, request, view):
        return True


class SignedIn(permissions.IsAuthenticated):
    """A token (or a signed-in session) is needed: 401 without one."""
