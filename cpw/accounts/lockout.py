def username_for_lockout(request, credentials) -> str | None:
    """Failed sign-ins count against the account whatever the case of the typed email."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None
