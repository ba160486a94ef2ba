from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created from invitations sent by the Secretariat, never by open signup."""

    def is_open_for_signup(self, request):
        return False
