"""Page-number pagination with bounded parameters (a huge `page` would overflow the SQL OFFSET)."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100


class Halaman(PageNumberPagination):
    """`?page=` (1..1 000 000) and `?page_size=` (1..100); the answer is `{"items": [...], "count": n}`."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, page_size: int = 50, **kwargs: object) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)  # type: ignore[arg-type]
