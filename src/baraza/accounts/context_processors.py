from django.http import HttpRequest

from baraza.accounts.models import Member, member_of


def membership(request: HttpRequest) -> dict[str, Member | None]:
    return {"member": member_of(getattr(request, "user", None))}
