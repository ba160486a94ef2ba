from members.roles import lazy_roles


def portal(request):
    """What the base layout needs on every page: who is looking, so navigation fits."""
    return {"roles": lazy_roles(request)}
