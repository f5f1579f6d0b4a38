"""Who may see what. Every view that takes an id starts here.

Objects are always fetched through a queryset scoped to the user's teams, so
an object of another team is indistinguishable from one that does not exist:
both raise Http404 with the same message.
"""

from django.http import Http404

from .models import Article, Membership, Team

CURRENT_TEAM_SESSION_KEY = "current_team_id"


def teams_for_user(user):
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user)


def get_article_for_user(user, pk):
    try:
        return Article.objects.visible_to(user).get(pk=pk)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None


def current_membership(request):
    """The membership of the team the user is working in, or None.

    The team chosen in this session wins while the user still belongs to it;
    otherwise the user's oldest membership.
    """
    memberships = Membership.objects.filter(user=request.user).select_related("team")
    chosen = request.session.get(CURRENT_TEAM_SESSION_KEY)
    if chosen is not None:
        membership = memberships.filter(team_id=chosen).first()
        if membership is not None:
            return membership
    return memberships.order_by("created_at", "id").first()
