"""Forms of the team pages. None of them names a team or a user: those come from the URL."""

from django import forms

from teams.models import Membership


class TeamNameForm(forms.Form):
    name = forms.CharField(max_length=100, strip=True)


class RoleForm(forms.Form):
    """A role among those the person filling the form may give."""

    role = forms.ChoiceField(choices=Membership.Role.choices)

    def __init__(self, data=None, *, roles=None):
        super().__init__(data)
        if roles is not None:
            self.fields["role"].choices = [(role.value, role.label) for role in roles]
