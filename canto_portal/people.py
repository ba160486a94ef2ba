"""How the portal names a login, the same on the site, in the admin and in exports: the
person's name, or their login name (their address) when no name is recorded."""


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()
