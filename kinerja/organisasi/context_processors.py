from typing import Any

from django.http import HttpRequest


def peran(request: HttpRequest) -> dict[str, Any]:
    """What the navigation needs to know about the user: admin of which instansi, linked pegawai."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "is_admin_kepegawaian": bool(user.admin_instansi_id) or user.is_superuser,
        "pegawai_saya": user.pegawai if user.pegawai_id else None,
    }
