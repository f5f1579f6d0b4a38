"""/api/v1/me/ and /api/v1/teams/: who the caller is and where they may work."""

from ninja import Router

from api.models import ApiToken
from api.schemas import ERRORS, Me, TeamPage
from newsreader.access import WRITE, can
from teams.models import Membership, ReaderSettings, display_name

router = Router(tags=["teams"])


@router.get("/me/", response={200: Me, **ERRORS}, summary="The caller")
def me(request):
    token = request.auth if isinstance(request.auth, ApiToken) else None
    reader = ReaderSettings.of(request.user)
    return {
        "username": request.user.get_username(),
        "display_name": display_name(request.user),
        "reader_settings": {name: getattr(reader, name) for name, _ in reader.ATTRIBUTES},
        "token_name": token.name if token else None,
        "token_scope": token.scope if token else None,
        "token_expires_at": token.expires_at if token else None,
    }


@router.get("/teams/", response={200: TeamPage, **ERRORS}, summary="The caller's teams")
def team_list(request):
    memberships = (
        Membership.objects.filter(user=request.user).select_related("team").order_by("team__name")
    )
    items = [
        {
            "slug": m.team.slug,
            "name": m.team.name,
            "role": m.role,
            "can_write": can(m.role, WRITE),
        }
        for m in memberships
    ]
    return {"items": items, "next": None}
