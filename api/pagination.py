from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    """Cursor pages: a row added while a client walks the pages never makes it see a row twice
    or miss one (unlike page numbers). The default order is by id, oldest first."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
