"""Log-in and session authentication: Django's ModelBackend, refusing the users of a
deactivated agency as it refuses deactivated accounts. Both log-in (`authenticate`) and every
request of an open session (`get_user`) pass here, so deactivating an agency ends its users'
sessions at their next request; the policy (`policy._active`) and the API tokens
(`ApiToken.objects.usable`) refuse them too."""

from django.contrib.auth.backends import ModelBackend

from .models import User


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        return user.agency_id is None or user.agency.active

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
