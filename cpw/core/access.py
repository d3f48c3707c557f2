"""The one way a page checks access. A view names the permission its page needs and, for a page
about one object, loads that object; the object rule (from the app's `rules.py`) then decides:

- anonymous visitors are sent to sign in;
- those who may not know the object exists get 404, exactly as for an id that does not exist,
  so nobody can probe another programme's or organisation's records;
- those who may know it exists but may not do what the page does get 403.

Class-based views use `ObjectAccessMixin`; function views use `@access_required`. Both call
`check_access`, so the two cannot drift apart, and both keep the checked object as
`request.access_object` (the page header names the council it belongs to)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404


def check_access(user, obj=None, *, permission: str | None, visible: str | None = None) -> None:
    """Raise Http404 when `user` may not know `obj` exists (`visible` fails on it), else
    PermissionDenied when `user` lacks `permission` (on `obj`, or portal-wide when obj is None)."""
    if obj is not None and visible and not user.has_perm(visible, obj):
        raise Http404
    if permission and not user.has_perm(permission, obj):
        raise PermissionDenied


class ObjectAccessMixin(AccessMixin):
    """Loads the page's object with `get_access_object()` (None for pages about no one object;
    raise Http404 for a missing id) and checks it with `check_access`. The object is kept as
    `self.object`."""

    permission_required: str | None = None
    visible_permission: str | None = None

    def get_access_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_access_object()
        check_access(
            request.user,
            self.object,
            permission=self.permission_required,
            visible=self.visible_permission,
        )
        request.access_object = self.object
        return super().dispatch(request, *args, **kwargs)


def access_required(
    permission: str | None,
    *,
    load: Callable | None = None,
    visible: str | None = None,
):
    """The function-view form of `ObjectAccessMixin`. `load(request, **url_kwargs)` returns the
    page's object (raising Http404 when missing); the view is then called as
    `view(request, obj, **url_kwargs)`. Without `load` the view is called as usual."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if load is None:
                check_access(request.user, None, permission=permission)
                return view(request, *args, **kwargs)
            obj = load(request, **kwargs)
            check_access(request.user, obj, permission=permission, visible=visible)
            request.access_object = obj
            return view(request, obj, *args, **kwargs)

        return wrapped

    return decorator
